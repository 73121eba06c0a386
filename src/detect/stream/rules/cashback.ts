// 好评返现 (Provisions Art. 9(5)): cash-back offered in chat for good reviews, or paid after one. The payer
// may be the shop's operator, an account it funds, or a staff member's own account that keeps paying the
// shop's reviewers — all count as the shop's side.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { DAY_MS, yuan } from './format.ts';

export const cashback: Detector<'cashback'> = {
  kind: 'cashback',
  version: '1',
  listens: ['message.sent', 'transfer.made'],
  create(ref, env) {
    let compiled: { src: string[]; re: RegExp } | undefined;
    const offerRe = () => {
      const src = ref.rule.params.offer_patterns;
      if (!compiled || compiled.src !== src) compiled = { src, re: new RegExp(src.join('|'), 'i') };
      return compiled.re;
    };
    // payer → merchant → reviews it paid for after the review was posted
    const paid = new Map<string, Map<string, Array<{ review: string; buyer: string; transfer: string; amount: number }>>>();

    return (e) => {
      const s = env.state;
      const p = ref.rule.params;
      if (e.type === 'message.sent') {
        const d = e.data;
        if (!offerRe().test(d.text)) return;
        // The shop offers, or the buyer claims what was offered: either way the shop is the subject.
        const fromSide = env.money.sidesOf(d.from_id);
        const toSide = env.money.sidesOf(d.to_id);
        const side = fromSide.find((l) => l.hops <= 1) ?? toSide.find((l) => l.hops <= 1);
        if (!side) return;
        env.emit({
          kind: 'merchant',
          subject: side.merchant,
          key: `msg:${e.id}`,
          score: 0.75,
          evidence: [e.id],
          explanation: {
            zh: `聊天中出现好评返现内容：“${d.text.slice(0, 40)}”`,
            en: `chat offers or claims cash-back for a good review: "${d.text.slice(0, 40)}"`,
          },
          facts: { offer_message: 1 },
        });
        return;
      }
      if (e.type !== 'transfer.made') return;
      const d = e.data;
      if (d.amount > p.max_transfer_fen) return;
      const buyer = s.accounts.get(d.to_id);
      if (!buyer) return;
      const since = env.now() - p.window_days * DAY_MS;
      for (const r of buyer.reviews) {
        if (r.at < since || r.rating < p.min_rating || r.at > env.now()) continue;
        const link = env.money.linkTo(d.from_id, r.merchant);
        let byM = paid.get(d.from_id);
        if (!byM) paid.set(d.from_id, (byM = new Map()));
        let list = byM.get(r.merchant);
        if (!list) byM.set(r.merchant, (list = []));
        if (!list.some((x) => x.review === r.id)) list.push({ review: r.id, buyer: r.buyer, transfer: e.id, amount: d.amount });
        const reviewers = new Set(list.map((x) => x.buyer)).size;
        // Without a known link to the shop, one payment after a review could be a friend; a payer who
        // keeps paying the shop's reviewers is acting for the shop.
        if (!link && reviewers < 2) continue;
        const viaStaff = !link;
        for (const x of list) {
          const rv = s.reviews.get(x.review);
          if (!rv) continue;
          const explanation = {
            zh: `五星评价后收到商家一方${viaStaff ? `（账号 ${d.from_id} 已向该店 ${reviewers} 位评价者付款）` : ''}转账 ${yuan(x.amount)} 元（好评返现）`,
            en: `after a ${rv.rating}-star review the reviewer was paid ${yuan(x.amount)} yuan by the shop's side${viaStaff ? ` (account ${d.from_id} has paid ${reviewers} of this shop's reviewers)` : ''}: cash-back for a good review`,
          };
          const evidence = [x.transfer, rv.eventId];
          const score = clamp01(0.8 + 0.03 * reviewers);
          const facts = { amount: x.amount, reviewers_paid: reviewers, payer_hops: link?.hops ?? -1 };
          env.emit({ kind: 'review', subject: rv.id, key: 'cashback', score, evidence, explanation, facts });
          env.emit({ kind: 'merchant', subject: rv.merchant, key: `pay:${rv.id}`, score, evidence, explanation, facts });
          if (!link || link.hops > 0) {
            env.emit({ kind: 'account', subject: d.from_id, key: `payer:${rv.merchant}`, score: clamp01(score - 0.1), evidence, explanation, facts });
          }
        }
      }
    };
  },
};
