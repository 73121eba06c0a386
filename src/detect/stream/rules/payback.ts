// Follow the money (刷单返款): after orders at a merchant, money comes back to the buyer from the merchant's
// side — its own operator account or an account it paid — roughly equal to what the buyer paid. Small sums
// (compensation, cash-back) are other rules' business.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import type { OrderState, Transfer } from '../state.ts';
import { DAY_MS, yuan } from './format.ts';

export const payback: Detector<'payback'> = {
  kind: 'payback',
  version: '1',
  listens: ['transfer.made', 'order.paid'],
  create(ref, env) {
    const matchedOrders = new Set<string>();
    const matchedTransfers = new Set<string>();

    function tryMatch(t: Transfer, merchant: string, hops: number, via: string[]) {
      const p = ref.rule.params;
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
      const fits = (sum: number) =>
        t.amount >= sum * p.min_amount_ratio && t.amount <= sum * p.max_amount_ratio;
      // One order that the sum fits, else all open orders together (a ring pays per batch).
      let chosen = cands
        .filter((o) => fits(paid(o)))
        .sort((a, b) => Math.abs(t.amount - paid(a)) - Math.abs(t.amount - paid(b)));
      chosen = chosen.length ? [chosen[0]] : fits(cands.reduce((s, o) => s + paid(o), 0)) ? cands : [];
      if (chosen.length === 0) return;
      matchedTransfers.add(t.id);
      const total = chosen.reduce((s, o) => s + paid(o), 0);
      const score = clamp01(0.95 - 0.08 * hops);
      const route =
        hops === 0
          ? { zh: '由商家自有账号', en: "from the merchant's own account" }
          : { zh: `经 ${hops} 个中间账号`, en: `through ${hops} intermediary account(s)` };
      const explanation = {
        zh: `买家下单后收到${route.zh}转来的 ${yuan(t.amount)} 元，与其实付 ${yuan(total)} 元相当（疑似刷单返款）`,
        en: `after ordering, the buyer received ${yuan(t.amount)} yuan ${route.en}, matching the ${yuan(total)} yuan paid (likely a brushing pay-back)`,
      };
      const evidence = [t.eventId, ...via, ...chosen.map((o) => o.eventId)];
      const facts = { hops, amount_ratio: t.amount / total, orders: chosen.length };
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
          score: clamp01(score - 0.05),
          evidence,
          explanation: {
            zh: `该账号收到商家一方的资金后转给其买家 ${yuan(t.amount)} 元（疑似返款中间账号）`,
            en: `received money from the merchant's side and passed ${yuan(t.amount)} yuan to its buyer (likely a pay-back relay)`,
          },
          facts,
        });
      }
    }

    function onTransfer(t: Transfer) {
      if (matchedTransfers.has(t.id)) return;
      for (const l of env.money.sidesOf(t.from)) {
        if (l.hops >= ref.rule.params.max_hops + 1) continue;
        const via = l.via ? [l.via.eventId] : [];
        tryMatch(t, l.merchant, l.hops, via);
        if (matchedTransfers.has(t.id)) return;
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
