import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureValues } from './feature-testing.ts';
import { MutualBrushing } from './mutual-brushing.ts';
import { Neighbourhood } from './neighbourhood.ts';
import { MarketScript } from './stream/testing.ts';

const DAY = 86_400_000;

/**
 * Shops A, B, C brush each other (互刷): A's staff is on A's operator's phone, B's shares B's operator's phone
 * contract, C's declared operator buys itself and C also has a staff account nobody can tie to it. D's staff
 * genuinely shops at A once (one way), and D and E pay each other for goods without buying from each other.
 */
function group(): MarketScript {
  const s = new MarketScript();
  for (const m of ['A', 'B', 'C', 'D', 'E']) s.merchant(m, [`op${m}`]).listing(`l-${m}`, m, 990);
  // Everyone else is on one carrier NAT: a busy address that links nobody.
  for (let i = 0; i < 13; i++) s.account(`nat${i}`);
  s.account('sA', { device: 'dev-opA', ip: '1.1.1.1' });
  s.account('sB', { phone: 'opB', ip: '1.1.1.2' });
  s.account('uC', { ip: '1.1.1.3' });
  s.account('sD', { device: 'dev-opD', ip: '1.1.1.4' });
  s.account('h1', { ip: '1.1.1.5' });
  let n = 0;
  const buy = (buyer: string, shop: string, rating: number) => {
    const o = `o${++n}`;
    s.fullOrder(o, buyer, shop, `l-${shop}`, { price: 990, ip: `2.2.2.${n}` });
    s.review(`r${n}`, o, buyer, shop, `l-${shop}`, rating, rating >= 4 ? '不错，挺好用的' : '一般');
  };
  buy('sA', 'B', 5);
  buy('sA', 'B', 5);
  buy('sA', 'C', 4);
  buy('sB', 'A', 5);
  buy('sB', 'A', 5);
  buy('sB', 'C', 5);
  buy('opC', 'A', 5);
  buy('opC', 'B', 5);
  buy('uC', 'A', 5);
  buy('uC', 'B', 5);
  buy('sD', 'A', 3);
  buy('h1', 'A', 5);
  buy('h1', 'D', 4);
  s.transfer('t1', 'opD', 'opE', 300_000, '货款');
  s.transfer('t2', 'opE', 'opD', 20_000, '退货款');
  s.transfer('t3', 'opB', 'opA', 990, '结算');
  return s;
}

function tracker(s: MarketScript) {
  const state = s.run().engine.state;
  const hood = new Neighbourhood(state, {
    poolMaxAccounts: 12,
    complaintWindowMs: 7 * DAY,
    orderWindowMs: 14 * DAY,
    moneyWindowMs: 7 * DAY,
    lowRatingMax: 2,
  });
  return { state, mb: new MutualBrushing(state, { goodRatingMin: 4, linked: (a) => hood.linked(a) }) };
}

test('staff linked to operators act for their shop; shops whose sides buy at each other form a closed group', () => {
  const { state, mb } = tracker(group());
  assert.deepEqual(mb.sidesOf('sA'), ['A']);
  assert.deepEqual(mb.sidesOf('sB'), ['B']);
  assert.deepEqual(mb.sidesOf('opC'), ['C']);
  assert.deepEqual(mb.sidesOf('uC'), []);
  assert.deepEqual(mb.sidesOf('sD'), ['D']);
  assert.deepEqual(mb.sidesOf('h1'), []);
  assert.ok(mb.reciprocal('A', 'B') && mb.reciprocal('B', 'C') && mb.reciprocal('A', 'C'));
  // D's staff bought at A, but A's side never bought at D; D and E only pay each other.
  assert.ok(!mb.reciprocal('A', 'D') && !mb.reciprocal('D', 'E'));
  assert.deepEqual(mb.shop('A'), { partners: 2, group: 3, reciprocalOrders: 6, boughtElsewhere: 2 });
  assert.deepEqual(mb.shop('D'), { partners: 0, group: 0, reciprocalOrders: 0, boughtElsewhere: 1 });
  assert.deepEqual(mb.shop('E'), { partners: 0, group: 0, reciprocalOrders: 0, boughtElsewhere: 0 });
  const order = (id: string) => state.orders.get(id)!;
  // o1: A's staff at B, which bought back; o11: D's staff at A, one way; o12: an honest buyer.
  assert.equal(mb.reciprocalSide(order('o1')), 'A');
  assert.equal(mb.pairOrders(order('o1')), 4);
  assert.ok(mb.otherSide(order('o11')) && mb.reciprocalSide(order('o11')) === undefined);
  assert.ok(!mb.otherSide(order('o12')));
  // The staff account nobody can tie to C still circulates within the group; the honest buyer does not.
  assert.deepEqual(mb.circulation('uC'), { shops: 2, share: 1 });
  assert.deepEqual(mb.circulation('h1'), { shops: 1, share: 0.5 });
  assert.equal(mb.groupShopsOf('uC', 'A'), 2);
  assert.equal(mb.groupShopsOf('uC', 'D'), 0);
  // Praise of the same pair of shops: opC and uC both praised A and B; the honest buyer shares no pair.
  // Five accounts praised something, A four of them and B three: lift 2·5/(4·3).
  assert.deepEqual(mb.coPraised('A'), { shops: 1, maxLift: 10 / 12 });
  assert.deepEqual(mb.coPraised('D'), { shops: 0, maxLift: 0 });
  assert.deepEqual(mb.coPraiseOfAccount('uC'), { others: 1, maxLift: 10 / 12 });
  assert.deepEqual(mb.coPraiseOfAccount('h1'), { others: 0, maxLift: 0 });
  assert.equal(mb.coPraiseOfOrder(order('o9')), 1);
  assert.equal(mb.coPraiseOfOrder(order('o12')), 0);
});

test('feature rows: members show reciprocal good reviewers and their group; the one-way shopper and supplier pair do not', () => {
  const value = featureValues(group());
  const f = (x: number) => Math.fround(x);
  assert.equal(value('merchant', 'A', 'mutual_partners'), 2);
  assert.equal(value('merchant', 'A', 'mutual_group_size_log'), f(Math.log1p(3)));
  // A's good reviewers: sB, opC (reciprocal sides), uC and h1 (nobody's side); sD gave three stars.
  assert.equal(value('merchant', 'A', 'mutual_side_good_reviewer_share'), 0.5);
  assert.equal(value('merchant', 'A', 'mutual_reciprocal_good_reviewer_share'), 0.5);
  assert.equal(value('merchant', 'A', 'mutual_partner_transfers_log'), f(Math.log1p(1)));
  for (const m of ['D', 'E']) {
    assert.equal(value('merchant', m, 'mutual_partners'), 0);
    assert.equal(value('merchant', m, 'mutual_partner_transfers_log'), 0);
    assert.equal(value('merchant', m, 'mutual_reciprocal_good_reviewer_share'), 0);
  }
  assert.equal(value('merchant', 'D', 'mutual_side_bought_at_shops'), 1);
  assert.equal(value('account', 'sA', 'mutual_reciprocated_orders_log'), f(Math.log1p(3)));
  assert.equal(value('account', 'sA', 'mutual_reciprocated_good_reviews_log'), f(Math.log1p(3)));
  assert.equal(value('account', 'sA', 'mutual_reciprocated_shops'), 2);
  assert.equal(value('account', 'sD', 'mutual_other_side_order_share'), 1);
  assert.equal(value('account', 'sD', 'mutual_reciprocated_orders_log'), 0);
  assert.equal(value('account', 'uC', 'mutual_group_shops'), 2);
  assert.equal(value('account', 'h1', 'mutual_group_order_share'), 0.5);
  assert.equal(value('order', 'o1', 'mutual_buyer_reciprocal'), 1);
  assert.equal(value('order', 'o11', 'mutual_buyer_other_side'), 1);
  assert.equal(value('order', 'o11', 'mutual_buyer_reciprocal'), 0);
  assert.equal(value('order', 'o12', 'mutual_buyer_other_side'), 0);
  // The declared operator's own purchase has an order row too.
  assert.equal(value('order', 'o7', 'mutual_buyer_reciprocal'), 1);
});
