// 好评返现 (Provisions Art. 9(5)): cash-back offered in chat for good reviews, or paid after one. The payer
// may be the shop's operator, an account it funds, or a staff member's own account that keeps paying the
// shop's reviewers. Compensation for a real problem (the shop apologised or promised 补偿 just before) is
// an honest look-alike and does not count.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { compensating } from '../money.ts';
import type { ReviewState } from '../state.ts';
import { DAY_MS, yuan } from './format.ts';
import { patternCache } from './patterns.ts';

interface Memory {
  /** Undeclared payer → merchant → buyers it paid after a good review there. */
  paidReviewers: Map<
    string,
    Map<string, Map<string, { review: ReviewState; transfer: string; amount: number }>>
  >;
  /** Undeclared payer → every buyer it paid. */
  paidAnyone: Map<string, Set<string>>;
}

export const cashback: Detector<'cashback', Memory> = {
  kind: 'cashback',
  version: '2',
  listens: ['message.sent', 'transfer.made'],
  memory: () => ({ paidReviewers: new Map(), paidAnyone: new Map() }),
  create(ref, env, { paidReviewers, paidAnyone }) {
    const re = patternCache();

    function emitFor(
      rv: ReviewState,
      transfer: string,
      amount: number,
      payer: string,
      hops: number | undefined,
      reviewers: number,
    ) {
      const viaStaff = hops === undefined;
      const explanation = {
        zh: `${rv.rating} 星评价后收到商家一方${viaStaff ? `（账号 ${payer} 已向该店 ${reviewers} 位评价者付款）` : ''}转账 ${yuan(amount)} 元（好评返现）`,
        en: `after a ${rv.rating}-star review the reviewer was paid ${yuan(amount)} yuan by the shop's side${viaStaff ? ` (account ${payer} has paid ${reviewers} of this shop's reviewers)` : ''}: cash-back for a good review`,
      };
      const evidence = [transfer, rv.eventId];
      const w = ref.rule.params.score;
      const score = clamp01(
        viaStaff
          ? w.staff_base + w.staff_per_reviewer * reviewers
          : w.linked_base + w.linked_per_hop * (hops ?? 0),
      );
      const facts = { amount, reviewers_paid: reviewers, payer_hops: hops ?? -1 };
      env.emit({ kind: 'review', subject: rv.id, key: 'cashback', score, evidence, explanation, facts });
      env.emit({
        kind: 'merchant',
        subject: rv.merchant,
        key: `pay:${rv.id}`,
        score,
        evidence,
        explanation,
        facts,
      });
      if (hops === undefined || hops > 0) {
        env.emit({
          kind: 'account',
          subject: payer,
          key: `payer:${rv.merchant}`,
          score: clamp01(score - w.payer_discount),
          evidence,
          explanation,
          facts,
        });
      }
    }

    const compensatingNow = (merchant: string, t: { to: string; at: number; memo?: string }) =>
      compensating(env.state, merchant, t, {
        compensation: re.words(ref.rule.params.compensation_patterns),
        complaint: re.words(ref.rule.params.complaint_patterns),
        compensationWindowHours: ref.rule.params.compensation_window_hours,
        complaintWindowDays: ref.rule.params.complaint_window_days,
      });

    return (e) => {
      const s = env.state;
      const p = ref.rule.params;
      if (e.type === 'message.sent') {
        const d = e.data;
        if (!re.patterns(p.offer_patterns).test(d.text)) return;
        // The shop offers, or the buyer claims what was offered: either way the shop is the subject. The
        // order named in the chat says which shop; else a party that is the shop's own account does.
        const s0 = env.state;
        const byOrder = d.order_id ? s0.orders.get(d.order_id)?.merchant : undefined;
        const own = byOrder ?? s0.operatorOf(d.to_id) ?? s0.operatorOf(d.from_id);
        const side = own
          ? { merchant: own }
          : (env.money.sidesOf(d.to_id).find((l) => l.hops <= p.max_offer_hops) ??
            env.money.sidesOf(d.from_id).find((l) => l.hops <= p.max_offer_hops));
        if (!side) return;
        // The shop's own offer is the violation itself; a buyer's claim is evidence of one.
        const fromShop = s0.operatorOf(d.from_id) === side.merchant;
        env.emit({
          kind: 'merchant',
          subject: side.merchant,
          key: `msg:${e.id}`,
          score: fromShop ? p.score.shop_offer : p.score.buyer_claim,
          evidence: [e.id],
          explanation: {
            zh: `聊天中出现好评返现内容：“${d.text.slice(0, 40)}”`,
            en: `chat offers or claims cash-back for a good review: "${d.text.slice(0, 40)}"`,
          },
          facts: { offer_message: fromShop ? 1 : 0, claim_message: fromShop ? 0 : 1 },
        });
        return;
      }
      if (e.type !== 'transfer.made') return;
      const d = e.data;
      if (d.amount > p.max_transfer_fen) return;
      const buyer = s.accounts.get(d.to_id);
      if (!buyer || buyer.reviews.length === 0) return;
      const now = env.now();
      const since = now - p.window_days * DAY_MS;
      const good = buyer.reviews.filter((r) => r.at >= since && r.at <= now && r.rating >= p.min_rating);
      if (good.length === 0) return;
      // A payer linked to a shop pays for that shop's review: the latest one before the money.
      const linked = good
        .map((r) => ({ r, l: env.money.linkTo(d.from_id, r.merchant) }))
        .filter((x) => x.l !== undefined)
        .sort((a, b) => b.r.at - a.r.at)[0];
      if (linked) {
        if (!compensatingNow(linked.r.merchant, { to: buyer.id, at: now, memo: d.memo }))
          emitFor(linked.r, e.id, d.amount, d.from_id, linked.l!.hops, 1);
        return;
      }
      if (env.money.sidesOf(d.from_id).length > 0) return;
      // An account no shop declared, paying one shop's reviewers again and again, acts for that shop.
      const anyone = paidAnyone.get(d.from_id) ?? new Set<string>();
      anyone.add(buyer.id);
      paidAnyone.set(d.from_id, anyone);
      const latest = [...good].sort((a, b) => b.at - a.at)[0];
      let byM = paidReviewers.get(d.from_id);
      if (!byM) paidReviewers.set(d.from_id, (byM = new Map()));
      let list = byM.get(latest.merchant);
      if (!list) byM.set(latest.merchant, (list = new Map()));
      if (!list.has(buyer.id)) list.set(buyer.id, { review: latest, transfer: e.id, amount: d.amount });
      if (list.size < p.min_staff_reviewers || list.size / anyone.size < p.min_staff_share) return;
      for (const x of list.values()) emitFor(x.review, x.transfer, x.amount, d.from_id, undefined, list.size);
    };
  },
};
