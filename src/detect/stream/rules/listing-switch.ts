// 偷换链接: a listing that gathered reviews as one product and became another, keeping them. Whatever the
// switcher keeps (brand, a word of the old title, the category), the title a shopper reads has moved
// away from the one the reviews were written about, and the reviews stayed: that is what this reads.
// The score only grows as the title moves further and as more reviews were carried over.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';

export const listingSwitch: Detector<'listing_switch'> = {
  kind: 'listing_switch',
  version: '1',
  listens: ['listing.updated'],
  create(ref, env) {
    return (e) => {
      if (e.type !== 'listing.updated') return;
      const p = ref.rule.params;
      const l = env.state.listings.get(e.data.listing_id);
      if (!l) return;
      const d = l.drift;
      if (d.similarity > p.max_similarity || d.reviews < p.min_reviews) return;
      const drop = p.max_similarity > 0 ? (p.max_similarity - d.similarity) / p.max_similarity : 1;
      const pct = Math.round(d.similarity * 100);
      env.emit({
        kind: 'listing',
        subject: l.id,
        key: 'switch',
        score: clamp01(
          p.score.base + p.score.per_drop * drop + p.score.per_review_doubling * Math.log2(1 + d.reviews),
        ),
        evidence: [e.id],
        explanation: {
          zh: `商品链接累计 ${d.reviews} 条评价后，标题改为另一商品（与最初标题相似度 ${pct}%），原评价仍保留：“${l.first.title}” → “${e.data.title}”`,
          en: `after gathering ${d.reviews} reviews the listing's title became another product's (${pct}% similar to its first title) while keeping the reviews: "${l.first.title}" → "${e.data.title}"`,
        },
        facts: { title_similarity: d.similarity, reviews_kept: d.reviews, price_ratio: d.priceRatio },
      });
    };
  },
};
