import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureValues } from './feature-testing.ts';
import { Neighbourhood } from './neighbourhood.ts';
import { MarketScript } from './stream/testing.ts';
import { leftUnpaid, UnpaidOrders } from './unpaid-orders.ts';

const DAY = 86_400_000;

function tracker(s: MarketScript) {
  const { engine } = s.run();
  const hood = new Neighbourhood(engine.state, {
    poolMaxAccounts: 12,
    complaintWindowMs: 7 * DAY,
    orderWindowMs: 14 * DAY,
    moneyWindowMs: 7 * DAY,
    lowRatingMax: 2,
  });
  const u = new UnpaidOrders(engine.state, {
    windowMs: 14 * DAY,
    beforeMs: 3 * DAY,
    afterMs: 15 * DAY,
    linked: (a) => hood.linked(a),
    isSideOf: (account, merchant) => engine.money.linkTo(account, merchant) !== undefined,
    sidesOf: (account) => engine.money.sidesOf(account).map((l) => l.merchant),
  });
  return { u, state: engine.state };
}

/**
 * Three crew accounts (two on one phone) order the victim's best seller in bulk and let the orders time out;
 * the rival's operator funds an intermediary that pays them. Honest buyers order the same listing and pay, and
 * one honest buyer leaves an order unpaid at another shop.
 */
function locked(): MarketScript {
  const s = new MarketScript();
  for (const m of ['victim', 'rival', 'other']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 4990);
  s.account('middle');
  // Each on its own network: only the farm phone links two of the crew.
  const ip = (a: string) => `10.1.0.${a.charCodeAt(0)}${a.charCodeAt(a.length - 1)}`;
  s.account('c1', { device: 'farm', ip: ip('c1') }).account('c2', { device: 'farm', ip: ip('c2') });
  s.account('c3', { ip: ip('c3') });
  for (const b of ['h1', 'h2', 'h3', 'shopper']) s.account(b, { ip: ip(b) });
  for (const b of ['h1', 'h2', 'h3'])
    s.fullOrder(`o-${b}`, b, 'victim', 'l-victim', { price: 4990, ip: ip(b) });
  s.transfer('fund', 'op-rival', 'middle', 100_000, '货款');
  for (const c of ['c1', 'c2', 'c3']) {
    for (const k of [1, 2]) {
      s.order(`o-${c}-${k}`, c, 'victim', 'l-victim', {
        price: 4990,
        quantity: 20,
        device: c === 'c3' ? 'dev-c3' : 'farm',
        ip: ip(c),
      });
      s.wait(60);
    }
  }
  for (const c of ['c1', 'c2', 'c3']) s.cancel(`o-${c}-1`).cancel(`o-${c}-2`, '不想要了');
  s.order('o-shopper', 'shopper', 'other', 'l-other', { price: 4990, ip: ip('shopper') });
  s.wait(30).cancel('o-shopper', '拍错了');
  s.fullOrder('o-shopper-2', 'shopper', 'other', 'l-other', { price: 4990, ip: ip('shopper') });
  s.wait(12 * 60);
  for (const c of ['c1', 'c2', 'c3']) s.transfer(`t-${c}`, 'middle', c, 1000);
  return s;
}

test('unpaid orders: bulk unpaid orders on one listing, linked crew mates, and who paid them', () => {
  const { u, state } = tracker(locked());
  const o = state.orders.get('o-c1-1')!;
  assert.ok(leftUnpaid(o));
  assert.ok(!leftUnpaid(state.orders.get('o-h1')!));
  const f = u.order(o);
  assert.equal(f.qtyRatio, 20);
  assert.equal(f.listingUnpaid, 5);
  assert.equal(f.listingShare, 6 / 9);
  assert.equal(f.linkedUnpaid, 1);
  assert.equal(f.paidWithOthers, 3);
  assert.equal(u.order(state.orders.get('o-h1')!).paidWithOthers, 0);
  assert.deepEqual(u.account('c1'), {
    unpaid: 2,
    orders: 2,
    unpaidAtTop: 2,
    ordersAtTop: 2,
    unpaidElsewhere: 0,
    ordersElsewhere: 0,
    linkedMates: 1,
    paidWithOthers: 2,
  });
  assert.equal(u.account('shopper').unpaid, 1);
  assert.equal(u.account('shopper').paidWithOthers, 0);
  assert.equal(u.payer('middle'), 3);
  assert.equal(u.payer('middle', 'victim'), 0);
  assert.equal(u.side('rival'), 3);
  assert.equal(u.side('victim'), 0);
  assert.deepEqual(u.merchant('victim'), {
    unpaid: 6,
    unpaidBuyers: 3,
    linkedUnpaidBuyers: 2,
    peakListing: 6,
    paidBuyers: 3,
  });
  assert.equal(u.merchant('other').unpaidBuyers, 1);
  assert.equal(u.merchant('other').paidBuyers, 0);
});

test('a shop paying its own buyers who left orders unpaid is not paying a crew elsewhere', () => {
  const s = new MarketScript();
  s.merchant('a', ['op-a']).listing('l-a', 'a', 990);
  for (const b of ['b1', 'b2']) {
    s.account(b).order(`o-${b}`, b, 'a', 'l-a', { price: 990 }).cancel(`o-${b}`);
    s.transfer(`t-${b}`, 'op-a', b, 500);
  }
  const { u } = tracker(s);
  assert.equal(u.side('a'), 0);
  assert.equal(u.payer('op-a'), 0);
  assert.equal(u.merchant('a').paidBuyers, 0);
});

test('feature rows: unpaid crew orders, the crew accounts, the paying rival and the locked shop', () => {
  const value = featureValues(locked());
  assert.equal(value('order', 'o-c1-1', 'unpaid'), 1);
  assert.equal(value('order', 'o-h1', 'unpaid'), 0);
  assert.equal(value('order', 'o-c1-1', 'qty_vs_listing_usual'), 20);
  assert.equal(value('order', 'o-c1-1', 'linked_unpaid_here'), 1);
  assert.equal(value('order', 'o-c1-1', 'unpaid_paid_with_others_log'), Math.fround(Math.log1p(3)));
  assert.ok(Number.isNaN(value('order', 'o-h1', 'unpaid_hold_minutes_log')));
  assert.equal(value('account', 'c1', 'unpaid_share'), 1);
  assert.equal(value('account', 'c1', 'unpaid_top_shop_share'), 1);
  assert.ok(Number.isNaN(value('account', 'c1', 'unpaid_rate_elsewhere')));
  assert.equal(value('account', 'c1', 'unpaid_paid_with_others_share'), 1);
  assert.equal(value('account', 'shopper', 'unpaid_share'), 0.5);
  assert.equal(value('account', 'shopper', 'unpaid_paid_with_others_share'), 0);
  assert.equal(value('account', 'middle', 'paid_unpaid_buyers_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('merchant', 'rival', 'paid_unpaid_buyers_elsewhere_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('merchant', 'victim', 'paid_unpaid_buyers_elsewhere_log'), 0);
  assert.equal(value('merchant', 'victim', 'unpaid_paid_buyers_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('merchant', 'victim', 'unpaid_share'), Math.fround(6 / 9));
  assert.equal(value('merchant', 'victim', 'unpaid_linked_buyer_share'), Math.fround(2 / 3));
  assert.equal(value('merchant', 'other', 'unpaid_paid_buyers_log'), 0);
});
