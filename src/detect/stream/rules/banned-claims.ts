// Listings with banned absolute claims (广告法 Art. 9(3)); lawful uses are removed first.
import { createHash } from 'node:crypto';
import { type CompiledLexicon, compileLexicon, findClaims } from '../../text/absolute-claims.ts';
import type { Detector } from '../engine.ts';

export const bannedClaims: Detector<'banned_claims'> = {
  kind: 'banned_claims',
  version: '1',
  listens: ['listing.published', 'listing.updated'],
  create(ref, env) {
    let lex: { params: unknown; c: CompiledLexicon } | undefined;
    return (e) => {
      if (e.type !== 'listing.published' && e.type !== 'listing.updated') return;
      const p = ref.rule.params;
      if (!lex || lex.params !== p) lex = { params: p, c: compileLexicon(p) };
      const d = e.data;
      const f = findClaims({ title: d.title, description: d.description, brand: d.brand }, lex.c);
      if (f.hits.length === 0) return;
      const terms = [...new Set(f.hits.map((h) => h.term))];
      const key = createHash('sha1')
        .update(`${d.title}\u0000${d.description ?? ''}`)
        .digest('hex')
        .slice(0, 16);
      env.emit({
        kind: 'listing',
        subject: d.listing_id,
        key,
        score: f.score,
        evidence: [e.id],
        explanation: {
          zh: `商品文案含绝对化用语：${terms.map((t) => `“${t}”`).join('、')}（如“${f.hits[0].snippet.trim()}”）${f.aggravated ? '，且涉及功效/收益宣传' : ''}`,
          en: `listing text uses banned absolute claims: ${terms.map((t) => `"${t}"`).join(', ')} (e.g. "${f.hits[0].snippet.trim()}")${f.aggravated ? ', together with health or return claims' : ''}`,
        },
        facts: { terms: terms.length, aggravated: f.aggravated ? 1 : 0 },
      });
    };
  },
};
