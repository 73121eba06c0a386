// The real-time order decision: allow, review or block an order about to be created, from what the
// detectors hold in memory now and the last batch run. Every cut-off is the rule file's decision policy;
// the shared-identifier and price checks reuse the windows and limits of the rules they name.
import type { EventOf } from '../events/index.ts';
import { noisyOr } from './alerts.ts';
import type { BatchView } from './batch.ts';
import type { Rule, RuleOf, RuleSet } from './rules/schema.ts';
import { clamp01 } from './signals.ts';
import { DAY_MS, HOUR_MS } from './stream/rules/format.ts';
import type { MarketState } from './stream/state.ts';

export interface DecisionReason {
  code: string;
  score: number;
  zh: string;
  en: string;
}

export interface Decision {
  order_id: string;
  decision: 'allow' | 'review' | 'block';
  score: number;
  reasons: DecisionReason[];
  model: string | null;
}

type Order = EventOf<'order.created'>;
type Add = (code: string, score: number, zh: string, en: string) => void;

const ruleOf = <K extends Rule['kind']>(rules: RuleSet, id: string, kind: K) =>
  rules.rules.find((r): r is RuleOf<K> => r.id === id && r.kind === kind);

export function decideOrder(
  e: Order,
  state: MarketState,
  batch: BatchView,
  rules: RuleSet,
  model: string | null,
): Decision {
  const p = rules.policy.decisions;
  const d = e.data;
  const reasons: DecisionReason[] = [];
  const add: Add = (code, score, zh, en) => reasons.push({ code, score: clamp01(score), zh, en });
  const buyerScore = batch.modelScore('account', d.buyer_id);
  if (buyerScore >= p.buyer_model_min)
    add(
      'buyer_model',
      buyerScore,
      `买家账号风险评分 ${buyerScore.toFixed(2)}`,
      `buyer account risk score ${buyerScore.toFixed(2)}`,
    );
  const ring = batch.ringOf(d.buyer_id);
  if (ring)
    add(
      'buyer_ring',
      p.buyer_ring.base + p.buyer_ring.per_suspicion * ring.suspicion,
      `买家属于可疑团伙 ${ring.id}`,
      `buyer belongs to suspicious ring ${ring.id}`,
    );
  sharedIdentifierReasons(e, state, rules, add);
  const merchantScore = batch.modelScore('merchant', d.merchant_id);
  const m = p.merchant_model;
  if (merchantScore >= m.min_score && (buyerScore >= m.min_buyer_score || reasons.length > 0))
    add(
      'merchant_model',
      m.base + m.per_score * merchantScore,
      `商家风险评分 ${merchantScore.toFixed(2)}（疑似刷单商家）`,
      `merchant risk score ${merchantScore.toFixed(2)} (suspected brushing client)`,
    );
  priceReason(e, state, rules, add);
  const buyer = state.accounts.get(d.buyer_id);
  const age = buyer ? Date.parse(e.time) - (buyer.registeredAt ?? buyer.firstSeenAt) : 0;
  if (
    buyer &&
    age < p.fresh_account.max_age_hours * HOUR_MS &&
    buyer.orders.length === 0 &&
    reasons.length > 0
  )
    add(
      'fresh_account',
      p.fresh_account.score,
      '注册不足一天的新账号首单',
      'first order of an account less than a day old',
    );
  const total = clamp01(noisyOr(reasons.map((r) => r.score)));
  reasons.sort((a, b) => b.score - a.score);
  return {
    order_id: d.order_id,
    decision: total >= p.block_at ? 'block' : total >= p.review_at ? 'review' : 'allow',
    score: Math.round(total * 10000) / 10000,
    reasons: reasons.map(shown),
    model,
  };
}

/**
 * A reason as answered: its score (the share of the order's risk it stands for) to two decimals, and its
 * texts ending with that number (the subject's own score, which a text may quote, is another number).
 */
function shown(r: DecisionReason): DecisionReason {
  const score = Math.round(r.score * 100) / 100;
  return {
    code: r.code,
    score,
    zh: `${r.zh}（计入本单风险 ${score.toFixed(2)}）`,
    en: `${r.en} (counts ${score.toFixed(2)} toward this order's risk)`,
  };
}

/** Other accounts on this device or address that bought from this merchant lately (not a shared network). */
function sharedIdentifierReasons(e: Order, s: MarketState, rules: RuleSet, add: Add) {
  const p = rules.policy.decisions.shared_identifier;
  const d = e.data;
  const now = Date.parse(e.time);
  for (const id of p.rules) {
    const rule = ruleOf(rules, id, 'shared_identifier');
    const kind = rule?.params.identifier;
    const value = kind === 'device' ? d.device_id : kind === 'address' ? d.address_hash : undefined;
    if (!rule || !kind || !value) continue;
    if (s.ids[kind].size(value) < p.min_identifier_accounts) continue;
    if (s.ids[kind].merchantCount(value) >= rule.params.max_identifier_merchants) continue;
    const accounts = s.ids[kind].accountsOf(value);
    const window = rule.params.window_days * DAY_MS;
    let here = 0;
    for (const a of accounts) {
      if (a === d.buyer_id) continue;
      const orders = s.accounts.get(a)?.orders;
      if (orders?.some((o) => o.merchant === d.merchant_id && now - o.createdAt < window)) here++;
    }
    if (here < p.min_other_accounts) continue;
    const name = kind === 'device' ? { zh: '设备', en: 'device' } : { zh: '收货地址', en: 'address' };
    add(
      `shared_${kind}`,
      p.base + p.per_account * here,
      `同一${name.zh}上另有 ${here} 个账号近期在该商家下单`,
      `${here} other accounts on this ${name.en} ordered from this merchant recently`,
    );
  }
}

/** The paid amount far from the listed prices (the price rule's smallest listed total applies). */
function priceReason(e: Order, s: MarketState, rules: RuleSet, add: Add) {
  const p = rules.policy.decisions.price;
  const rule = ruleOf(rules, p.rule, 'price_deviation');
  if (!rule) return;
  const d = e.data;
  let listed = 0;
  for (const it of d.items) listed += it.quantity * (s.listings.get(it.listing_id)?.price ?? it.unit_price);
  if (listed < rule.params.min_listed_fen || Math.abs(d.amount - listed) / listed <= p.min_deviation) return;
  const pct = Math.round((100 * (d.amount - listed)) / listed);
  add('price', p.score, `订单金额与标价合计偏离 ${pct}%`, `amount is ${pct}% off the listed prices`);
}
