// 职业差评师 / 恶意退款: accounts that post low ratings, claim refunds and ask merchants for money to take
// them down, across many shops. Honest buyers who complain when wronged ask for a fix or a refund, not
// for money to delete a review, and do it at one shop, not many.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { DAY_MS } from './format.ts';
import { patternCache } from './patterns.ts';

interface Pressure {
  lowReview: boolean;
  refund: boolean;
  demand: boolean;
  evidence: string[];
  at: number;
}

/** account → merchant → how it pressed that merchant. */
type Memory = Map<string, Map<string, Pressure>>;

export const extortion: Detector<'extortion', Memory> = {
  kind: 'extortion',
  version: '1',
  listens: ['message.sent', 'review.posted', 'refund.requested'],
  memory: () => new Map(),
  create(ref, env, pressure) {
    const re = patternCache();
    const demandRe = () => re.patterns(ref.rule.params.demand_patterns);

    function touch(
      account: string,
      merchant: string,
      what: 'lowReview' | 'refund' | 'demand',
      eventId: string,
    ) {
      let byM = pressure.get(account);
      if (!byM) pressure.set(account, (byM = new Map()));
      let pr = byM.get(merchant);
      if (!pr)
        byM.set(
          merchant,
          (pr = { lowReview: false, refund: false, demand: false, evidence: [], at: env.now() }),
        );
      pr[what] = true;
      pr.at = env.now();
      if (pr.evidence.length < 10) pr.evidence.push(eventId);
      const since = env.now() - ref.rule.params.window_days * DAY_MS;
      const shops = [...byM].filter(([, x]) => x.at >= since && x.demand && (x.lowReview || x.refund));
      const demands = [...byM.values()].filter((x) => x.at >= since && x.demand).length;
      if (shops.length < ref.rule.params.min_merchants) return;
      const evidence = shops.flatMap(([, x]) => x.evidence).slice(0, 40);
      const explanation = {
        zh: `在 ${shops.length} 家店铺给出差评或申请退款，并向商家索要钱财以删除差评（共 ${demands} 家）`,
        en: `low ratings or refund claims at ${shops.length} shops, with demands for money to remove them (at ${demands} shops)`,
      };
      const w = ref.rule.params.score;
      const score = clamp01(w.base + w.per_shop * shops.length);
      const facts = { shops: shops.length, demand_shops: demands };
      env.emit({ kind: 'account', subject: account, key: 'extortion', score, evidence, explanation, facts });
      // Once the pattern is plain, every shop the account pressed is a target: its low ratings and the orders
      // behind any pressure (a paid demand leaves no review at all).
      const acc = env.state.accounts.get(account);
      for (const r of acc?.reviews ?? []) {
        if (r.rating <= ref.rule.params.max_rating) {
          env.emit({
            kind: 'review',
            subject: r.id,
            key: 'extortion',
            score,
            evidence: [r.eventId, ...evidence.slice(0, 10)],
            explanation,
            facts,
          });
        }
      }
      for (const o of acc?.orders ?? []) {
        if (
          byM.has(o.merchant) &&
          (o.refundRequestedAt !== undefined ||
            (o.review && o.review.rating <= ref.rule.params.max_rating) ||
            byM.get(o.merchant)!.demand)
        ) {
          env.emit({
            kind: 'order',
            subject: o.id,
            key: 'extortion',
            score: clamp01(score - w.order_discount),
            evidence: [o.eventId, ...evidence.slice(0, 10)],
            explanation,
            facts,
          });
        }
      }
    }

    return (e) => {
      const s = env.state;
      if (e.type === 'message.sent') {
        const d = e.data;
        if (!demandRe().test(d.text)) return;
        const side = env.money.sidesOf(d.to_id)[0];
        const merchant = side?.merchant ?? (d.order_id ? s.orders.get(d.order_id)?.merchant : undefined);
        if (merchant) touch(d.from_id, merchant, 'demand', e.id);
      } else if (e.type === 'review.posted') {
        if (e.data.rating <= ref.rule.params.max_rating)
          touch(e.data.buyer_id, e.data.merchant_id, 'lowReview', e.id);
      } else if (e.type === 'refund.requested') {
        const o = s.orders.get(e.data.order_id);
        if (o) touch(o.buyer, o.merchant, 'refund', e.id);
      }
    };
  },
};
