// Five-star reviews posted minutes after delivery whose text nearly repeats other reviews of the shop.
// Very short texts ("好评") are common and honest, so they never count as a template.
import { clamp01 } from '../../signals.ts';
import { NearDuplicatePool, normalizeText } from '../../text/similarity.ts';
import type { Detector } from '../engine.ts';
import { minutes } from './format.ts';

/** Per merchant: its recent five-star review texts. */
type Memory = Map<string, NearDuplicatePool<string>>;

export const quickTemplatedReview: Detector<'quick_templated_review', Memory> = {
  kind: 'quick_templated_review',
  version: '1',
  listens: ['review.posted'],
  memory: () => new Map(),
  // A snapshot carries each pool's fields but not its class.
  revive(pools) {
    for (const p of pools.values()) Object.setPrototypeOf(p, NearDuplicatePool.prototype);
    return pools;
  },
  create(ref, env, pools) {
    return (e) => {
      const p = ref.rule.params;
      if (e.type !== 'review.posted' || e.data.rating !== p.rating) return;
      const d = e.data;
      const text = normalizeText(d.text ?? '');
      if (text.length < p.min_text_chars) return;
      let pool = pools.get(d.merchant_id);
      if (!pool) pools.set(d.merchant_id, (pool = new NearDuplicatePool(p.pool_reviews)));
      const similar = pool.addAndMatch(text, e.id, env.now(), p.min_similarity);
      const o = env.state.orders.get(d.order_id);
      const after = o?.deliveredAt !== undefined ? env.now() - o.deliveredAt : undefined;
      const quick = after === undefined || after <= p.max_minutes_after_delivery * 60_000;
      if (!quick || similar.length < p.min_similar_reviews) return;
      const when =
        after === undefined
          ? { zh: '订单尚未签收即', en: 'before the order was delivered' }
          : { zh: `签收后 ${minutes(after)} 分钟`, en: `${minutes(after)} minutes after delivery` };
      env.emit({
        kind: 'review',
        subject: d.review_id,
        key: 'templated',
        score: clamp01(p.score.base + p.score.per_similar * similar.length),
        evidence: [e.id, ...similar.slice(0, 20)],
        explanation: {
          zh: `${when.zh}发布五星评价，文字与本店另外 ${similar.length} 条评价高度相似`,
          en: `five-star review ${when.en}, text nearly identical to ${similar.length} other reviews of this shop`,
        },
        facts: { similar: similar.length, minutes_after_delivery: after === undefined ? -1 : after / 60_000 },
      });
    };
  },
};
