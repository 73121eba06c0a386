// Paid amount far from the listed price: overpaying is a way to move money; deep cuts beyond coupons hide
// orders that never really happened.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { pct, yuan } from './format.ts';

export const priceDeviation: Detector<'price_deviation'> = {
  kind: 'price_deviation',
  version: '1',
  listens: ['order.paid'],
  create(ref, env) {
    return (e) => {
      if (e.type !== 'order.paid') return;
      const p = ref.rule.params;
      const o = env.state.orders.get(e.data.order_id);
      if (!o || o.listedAmount < p.min_listed_fen) return;
      const dev = (e.data.amount - o.listedAmount) / o.listedAmount;
      const over = dev > p.min_deviation;
      const under = dev < -Math.max(p.min_deviation, p.max_coupon_share);
      if (!over && !under) return;
      env.emit({
        kind: 'order',
        subject: o.id,
        key: 'paid',
        score: clamp01(p.score.base + Math.abs(dev) * p.score.per_deviation),
        evidence: [o.eventId, e.id],
        explanation: {
          zh: `实付 ${yuan(e.data.amount)} 元，标价合计 ${yuan(o.listedAmount)} 元，偏离 ${pct(dev)}`,
          en: `paid ${yuan(e.data.amount)} yuan against a listed ${yuan(o.listedAmount)} yuan (${pct(dev)} off)`,
        },
        facts: { deviation: dev },
      });
    };
  },
};
