import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureValues } from './feature-testing.ts';
import { ForeignPaybacks } from './foreign-paybacks.ts';
import { MarketScript } from './stream/testing.ts';

const DAY = 86_400_000;

function tracker(s: MarketScript) {
  const { engine } = s.run();
  return new ForeignPaybacks(engine.state, {
    beforeMs: 3 * DAY,
    afterMs: 15 * DAY,
    isSideOf: (account, merchant) => engine.money.linkTo(account, merchant) !== undefined,
    sidesOf: (account) => engine.money.sidesOf(account).map((l) => l.merchant),
  });
}

/** A rival's operator funds an intermediary, which pays back three ring buyers of the victim's shop. */
function framed(): MarketScript {
  const s = new MarketScript();
  for (const m of ['victim', 'rival']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 990);
  s.account('middle');
  for (const b of ['b1', 'b2', 'b3', 'honest']) s.account(b);
  s.transfer('fund', 'op-rival', 'middle', 50_000, '货款');
  for (const b of ['b1', 'b2', 'b3']) {
    s.fullOrder(`o-${b}`, b, 'victim', 'l-victim', { price: 990 });
    s.review(`r-${b}`, `o-${b}`, b, 'victim', 'l-victim', 5, '非常好，五星好评');
  }
  s.fullOrder('o-honest', 'honest', 'victim', 'l-victim', { price: 990 });
  s.wait(12 * 60);
  for (const b of ['b1', 'b2', 'b3']) s.transfer(`t-${b}`, 'middle', b, 1990);
  return s;
}

test('a rival’s side paying back several buyers of a shop is foreign money there, and the rival’s payer pays elsewhere', () => {
  const s = framed();
  const f = tracker(s);
  assert.deepEqual(f.merchant('victim'), { foreignBuyers: 3, ownBuyers: 0 });
  assert.deepEqual(f.merchant('rival'), { foreignBuyers: 0, ownBuyers: 0 });
  assert.deepEqual(f.payer('middle'), { maxAtShop: 3, shops: 1 });
  assert.deepEqual(f.payer('op-rival'), { maxAtShop: 0, shops: 0 });
  assert.ok(f.foreignPaid('victim', 'b2'));
  assert.ok(!f.foreignPaid('victim', 'honest'));
  const state = s.run().engine.state;
  assert.equal(f.order(state.orders.get('o-b1')!), 3);
  assert.equal(f.order(state.orders.get('o-honest')!), 0);
});

test('a brushing client paying back its own ring is its own side, not foreign money', () => {
  const s = new MarketScript();
  s.merchant('client', ['op-client']).listing('l-client', 'client', 990);
  for (const b of ['b1', 'b2', 'b3']) {
    s.account(b).fullOrder(`o-${b}`, b, 'client', 'l-client', { price: 990 });
    s.transfer(`t-${b}`, 'op-client', b, 1500);
  }
  const f = tracker(s);
  assert.deepEqual(f.merchant('client'), { foreignBuyers: 0, ownBuyers: 3 });
  assert.ok(f.ownPaid('client', 'b1'));
  assert.deepEqual(f.payer('op-client'), { maxAtShop: 0, shops: 0 });
});

test('money a shop owes its own buyers, or one friend’s transfer, is not foreign money at the other shops they use', () => {
  const s = new MarketScript();
  for (const m of ['a', 'b']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 990);
  s.account('friend');
  for (const x of ['c1', 'c2']) {
    s.account(x);
    s.fullOrder(`oa-${x}`, x, 'a', 'l-a', { price: 990 });
    s.fullOrder(`ob-${x}`, x, 'b', 'l-b', { price: 990 });
    // Shop a makes good on its own order (a pay-back or compensation for that order, not for shop b's).
    s.transfer(`t-${x}`, 'op-a', x, 990);
  }
  s.transfer('gift', 'friend', 'c1', 5000);
  const f = tracker(s);
  assert.deepEqual(f.merchant('b'), { foreignBuyers: 0, ownBuyers: 0 });
  assert.deepEqual(f.merchant('a'), { foreignBuyers: 0, ownBuyers: 2 });
  assert.deepEqual(f.payer('op-a'), { maxAtShop: 0, shops: 0 });
  assert.deepEqual(f.payer('friend'), { maxAtShop: 0, shops: 0 });
});

test('feature rows: the framed shop shows foreign pay-backs and no own ones, the rival pays buyers elsewhere', () => {
  const value = featureValues(framed());
  assert.equal(value('merchant', 'victim', 'foreign_paid_buyers_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('merchant', 'victim', 'foreign_of_paid_share'), 1);
  assert.equal(value('merchant', 'victim', 'paid_buyers_elsewhere_log'), 0);
  assert.equal(value('merchant', 'rival', 'paid_buyers_elsewhere_log'), Math.fround(Math.log1p(3)));
  assert.ok(Number.isNaN(value('merchant', 'rival', 'foreign_of_paid_share')));
  assert.equal(value('account', 'middle', 'paid_buyers_elsewhere_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('account', 'b1', 'foreign_paid_order_share'), 1);
  assert.equal(value('account', 'honest', 'foreign_paid_order_share'), 0);
  assert.equal(value('order', 'o-b1', 'foreign_paid_log'), Math.fround(Math.log1p(3)));
});
