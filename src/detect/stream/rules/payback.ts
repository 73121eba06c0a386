// Follow the money (刷单返款): after orders at a merchant, money comes back to the buyer from the merchant's
// side — its own operator account or an account it paid — roughly equal to what the buyer paid. Small sums
// (compensation, cash-back) are other rules' business.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { compensating } from '../money.ts';
import type { OrderState, Transfer } from '../state.ts';
import { DAY_MS, yuan } from './format.ts';
import { patternCache } from './patterns.ts';

interface Memory {
  matchedOrders: Set<string>;
  matchedTransfers: Set<string>;
  /** Payers no shop declared: payer → merchant → buyers it paid back amounts matching their orders there. */
  undeclared: Map<string, Map<string, Set<string>>>;
  recipients: Map<string, Set<string>>;
}

export const payback: Detector<'payback', Memory> = {
  kind: 'payback',
  version: '1',
  listens: ['transfer.made', 'order.paid'],
  memory: () => ({
    matchedOrders: new Set(),
    matchedTransfers: new Set(),
    undeclared: new Map(),
    recipients: new Map(),
  }),
  create(ref, env, { matchedOrders, matchedTransfers, undeclared, recipients }) {
    const re = patternCache();

    function tryMatch(t: Transfer, merchant: string, hops: number, via: string[]) {
      const p = ref.rule.params;
      const honest = {
        compensation: re.words(p.compensation_patterns),
        complaint: re.words(p.complaint_patterns),
        compensationWindowHours: p.compensation_window_hours,
        complaintWindowDays: p.complaint_window_days,
      };
      if (compensating(env.state, merchant, t, honest)) return;
      const win = p.window_days * DAY_MS;
      const buyer = env.state.accounts.get(t.to);
      if (!buyer) return;
      const cands: OrderState[] = [];
      for (const o of buyer.orders) {
        if (o.merchant !== merchant || matchedOrders.has(o.id) || o.cancelledAt !== undefined) continue;
        if (Math.abs(t.at - o.createdAt) > win) continue;
        cands.push(o);
      }
      if (cands.length === 0) return;
      const paid = (o: OrderState) => o.paidAmount ?? o.amount;
      const pick = (amount: number) => {
        const fits = (sum: number) =>
          amount >= sum * p.min_amount_ratio && amount <= sum * p.max_amount_ratio;
        // One order that the sum fits, else all open orders together (a ring pays per batch).
        const one = cands
          .filter((o) => fits(paid(o)))
          .sort((a, b) => Math.abs(amount - paid(a)) - Math.abs(amount - paid(b)));
        return one.length ? [one[0]] : fits(cands.reduce((s, o) => s + paid(o), 0)) ? cands : [];
      };
      let chosen = pick(t.amount);
      let transfers = [t];
      if (chosen.length === 0) {
        // The money may come back in several pieces: add up this side's other unmatched payments.
        transfers = buyer.transfersIn.filter(
          (x) =>
            !matchedTransfers.has(x.id) &&
            Math.abs(x.at - t.at) <= win &&
            env.money.linkTo(x.from, merchant) !== undefined,
        );
        if (!transfers.includes(t)) transfers.push(t);
        if (transfers.length > 1) chosen = pick(transfers.reduce((s, x) => s + x.amount, 0));
      }
      if (chosen.length === 0) return;
      for (const x of transfers) matchedTransfers.add(x.id);
      const amount = transfers.reduce((s, x) => s + x.amount, 0);
      const total = chosen.reduce((s, o) => s + paid(o), 0);
      const score = clamp01(p.score.base + p.score.per_hop * hops);
      const route =
        hops === 0
          ? { zh: '由商家自有账号', en: "from the merchant's own account" }
          : { zh: `经 ${hops} 个中间账号`, en: `through ${hops} intermediary account(s)` };
      const explanation = {
        zh: `买家下单后收到${route.zh}转来的 ${yuan(amount)} 元${transfers.length > 1 ? `（分 ${transfers.length} 笔）` : ''}，与其实付 ${yuan(total)} 元相当（疑似刷单返款）`,
        en: `after ordering, the buyer received ${yuan(amount)} yuan ${route.en}${transfers.length > 1 ? ` in ${transfers.length} payments` : ''}, matching the ${yuan(total)} yuan paid (likely a brushing pay-back)`,
      };
      const evidence = [...transfers.map((x) => x.eventId), ...via, ...chosen.map((o) => o.eventId)];
      const facts = {
        hops,
        amount_ratio: amount / total,
        orders: chosen.length,
        transfers: transfers.length,
      };
      for (const o of chosen) {
        matchedOrders.add(o.id);
        env.emit({ kind: 'order', subject: o.id, key: t.id, score, evidence, explanation, facts });
      }
      env.emit({
        kind: 'account',
        subject: t.to,
        key: `${merchant}:${t.id}`,
        score,
        evidence,
        explanation,
        facts,
      });
      env.emit({
        kind: 'merchant',
        subject: merchant,
        key: `${t.to}:${t.id}`,
        score,
        evidence,
        explanation,
        facts,
      });
      for (const v of via.length ? [t.from] : []) {
        env.emit({
          kind: 'account',
          subject: v,
          key: `relay:${merchant}:${t.id}`,
          score: clamp01(score - p.score.relay_discount),
          evidence,
          explanation: {
            zh: `该账号收到商家一方的资金后转给其买家 ${yuan(amount)} 元（疑似返款中间账号）`,
            en: `received money from the merchant's side and passed ${yuan(amount)} yuan to its buyer (likely a pay-back relay)`,
          },
          facts,
        });
      }
    }

    function onTransfer(t: Transfer) {
      if (matchedTransfers.has(t.id)) return;
      const sides = env.money.sidesOf(t.from);
      for (const l of sides) {
        if (l.hops >= ref.rule.params.max_hops + 1) continue;
        const via = l.via ? [l.via.eventId] : [];
        tryMatch(t, l.merchant, l.hops, via);
        if (matchedTransfers.has(t.id)) return;
      }
      if (sides.length === 0) learnPayer(t);
    }

    /**
     * An account no shop declared that keeps paying one merchant's buyers back what they paid is acting for
     * that merchant; once it has done so for enough distinct buyers (and mostly for them), it joins the
     * merchant's side and its pay-backs are matched like the operator's.
     */
    function learnPayer(t: Transfer) {
      const p = ref.rule.params;
      const buyer = env.state.accounts.get(t.to);
      if (!buyer) return;
      let rec = recipients.get(t.from);
      if (!rec) recipients.set(t.from, (rec = new Set()));
      rec.add(t.to);
      const win = p.window_days * DAY_MS;
      for (const o of buyer.orders) {
        const paid = o.paidAmount ?? o.amount;
        if (matchedOrders.has(o.id) || Math.abs(t.at - o.createdAt) > win) continue;
        if (t.amount < paid * p.min_amount_ratio || t.amount > paid * p.max_amount_ratio) continue;
        let byM = undeclared.get(t.from);
        if (!byM) undeclared.set(t.from, (byM = new Map()));
        let buyers = byM.get(o.merchant);
        if (!buyers) byM.set(o.merchant, (buyers = new Set()));
        buyers.add(t.to);
        if (buyers.size < p.min_undeclared_buyers || buyers.size / rec.size < p.min_undeclared_share)
          continue;
        if (!env.state.inferAgent(t.from, o.merchant)) continue;
        for (const x of env.state.accounts.get(t.from)?.transfersOut ?? []) {
          if (!matchedTransfers.has(x.id) && Math.abs(x.at - t.at) <= win) tryMatch(x, o.merchant, 0, []);
        }
        return;
      }
    }

    return (e) => {
      const s = env.state;
      if (e.type === 'transfer.made') {
        const a = s.accounts.get(e.data.from_id);
        const t = a?.transfersOut[a.transfersOut.length - 1];
        if (t) onTransfer(t);
      } else if (e.type === 'order.paid') {
        // Money sent before the order (a pre-funded ring) is matched once the order is paid.
        const o = s.orders.get(e.data.order_id);
        const buyer = o && s.accounts.get(o.buyer);
        if (!o || !buyer) return;
        const since = env.now() - ref.rule.params.window_days * DAY_MS;
        for (const t of buyer.transfersIn) if (t.at >= since && !matchedTransfers.has(t.id)) onTransfer(t);
      }
    };
  },
};
