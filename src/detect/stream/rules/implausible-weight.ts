// Parcels far lighter than the goods they should hold (空包). The reference is what this listing usually
// weighs when shipped (a high quantile, so a mostly-brushed listing does not drag it down); goods that are
// light anyway are never judged.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { sortedQuantile } from '../state.ts';
import { pct } from './format.ts';

export const implausibleWeight: Detector<'implausible_weight'> = {
  kind: 'implausible_weight',
  version: '1',
  listens: ['order.shipped'],
  create(ref, env) {
    return (e) => {
      if (e.type !== 'order.shipped' || e.data.weight_grams === undefined) return;
      const p = ref.rule.params;
      const o = env.state.orders.get(e.data.order_id);
      if (!o) return;
      let expected = 0;
      for (const it of o.items) {
        const l = env.state.listings.get(it.listing);
        if (!l || l.unitWeights.length < p.min_reference_orders) return;
        expected += sortedQuantile(l.unitWeights, p.typical_quantile) * it.quantity;
      }
      if (expected < p.min_typical_grams) return;
      const ratio = e.data.weight_grams / expected;
      if (ratio > p.max_weight_ratio) return;
      env.emit({
        kind: 'order',
        subject: o.id,
        key: 'weight',
        score: clamp01(p.score.base + p.score.per_missing * (1 - ratio / p.max_weight_ratio)),
        evidence: [o.eventId, e.id],
        explanation: {
          zh: `包裹重 ${e.data.weight_grams} 克，同款商品通常约 ${Math.round(expected)} 克（仅 ${pct(ratio)}），疑似空包`,
          en: `parcel weighs ${e.data.weight_grams} g where this item usually ships at about ${Math.round(expected)} g (${pct(ratio)}): likely an empty parcel`,
        },
        facts: { weight_ratio: ratio, expected_grams: expected },
      });
    };
  },
};
