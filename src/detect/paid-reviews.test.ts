import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PaidReviews } from './paid-reviews.ts';
import { MarketScript } from './stream/testing.ts';

const DAY = 86_400_000;
const params = {
  goodRatingMin: 4,
  lowRatingMax: 2,
  windowMs: 10 * DAY,
  isSideOf: (account: string, merchant: string) => account === `op-${merchant}`,
};

function reviewAt(s: MarketScript, buyer: string, shop: string, rating: number) {
  s.fullOrder(`o-${buyer}-${shop}`, buyer, shop, `l-${shop}`, { price: 2990 }).review(
    `r-${buyer}-${shop}`,
    `o-${buyer}-${shop}`,
    buyer,
    shop,
    `l-${shop}`,
    rating,
    rating >= 4 ? '很好用，推荐' : '质量很差',
  );
}

test('an undeclared account paying several good reviewers of one shop is seen from the payer, the shop and each review', () => {
  const s = new MarketScript();
  for (const m of ['s1', 's2']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 2990);
  for (const b of ['b1', 'b2', 'b3', 'b4', 'c1', 'c2']) s.account(b);
  s.account('staff');
  s.account('friend');
  for (const b of ['b1', 'b2', 'b3']) reviewAt(s, b, 's1', 5);
  reviewAt(s, 'b4', 's1', 1);
  for (const b of ['c1', 'c2']) reviewAt(s, b, 's2', 5);
  s.wait(2 * 24 * 60);
  // Cash-back for s1's good reviews from an account nobody declared; compensation for the low one.
  s.transfer('t1', 'staff', 'b1', 588);
  s.transfer('t2', 'staff', 'b2', 566);
  s.transfer('t3', 'staff', 'b3', 520);
  s.transfer('t4', 'staff', 'b4', 1000);
  // A friend pays back one reviewer of s2: one transfer, one reviewer.
  s.transfer('t5', 'friend', 'c1', 3000);
  const state = s.run().engine.state;
  const p = new PaidReviews(state, params);
  assert.deepEqual(p.payer('staff', 'good'), { maxAtShop: 3, shops: 1 });
  assert.deepEqual(p.payer('friend', 'good'), { maxAtShop: 1, shops: 0 });
  assert.deepEqual(p.merchant('s1', 'good'), { maxByOne: 3, byRepeatPayers: 3 });
  assert.deepEqual(p.merchant('s2', 'good'), { maxByOne: 1, byRepeatPayers: 0 });
  assert.equal(p.review(state.reviews.get('r-b1-s1')!, 'good'), 3);
  assert.equal(p.review(state.reviews.get('r-c1-s2')!, 'good'), 1);
  assert.equal(p.review(state.reviews.get('r-c2-s2')!, 'good'), 0);
  // The low review's compensation is not cash-back.
  assert.equal(p.review(state.reviews.get('r-b4-s1')!, 'good'), 0);
});

test('money sent long after the review does not count', () => {
  const s = new MarketScript();
  s.merchant('s1', ['op']).listing('l-s1', 's1', 2990);
  for (const b of ['b1', 'b2']) s.account(b);
  s.account('payer');
  for (const b of ['b1', 'b2']) reviewAt(s, b, 's1', 5);
  s.wait(11 * 24 * 60);
  s.transfer('t1', 'payer', 'b1', 500);
  s.transfer('t2', 'payer', 'b2', 500);
  const p = new PaidReviews(s.run().engine.state, params);
  assert.deepEqual(p.merchant('s1', 'good'), { maxByOne: 0, byRepeatPayers: 0 });
});

test('an outsider paying several low reviewers of one shop is an attack paymaster; the shop compensating its own is not', () => {
  const s = new MarketScript();
  for (const m of ['victim', 'rival']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 2990);
  for (const b of ['a1', 'a2', 'a3', 'u1', 'u2']) s.account(b);
  s.account('paymaster');
  for (const b of ['a1', 'a2', 'a3']) reviewAt(s, b, 'victim', 1);
  for (const b of ['u1', 'u2']) reviewAt(s, b, 'rival', 1);
  s.wait(24 * 60);
  for (const b of ['a1', 'a2', 'a3']) s.transfer(`t-${b}`, 'paymaster', b, 4990);
  // The rival compensates its own unhappy buyers from its operator account.
  for (const b of ['u1', 'u2']) s.transfer(`t-${b}`, 'op-rival', b, 500);
  const state = s.run().engine.state;
  const p = new PaidReviews(state, params);
  assert.deepEqual(p.payer('paymaster', 'low'), { maxAtShop: 3, shops: 1 });
  assert.deepEqual(p.payer('paymaster', 'low', 'victim'), { maxAtShop: 0, shops: 0 });
  assert.deepEqual(p.payer('op-rival', 'low'), { maxAtShop: 0, shops: 0 });
  assert.deepEqual(p.merchant('victim', 'low'), { maxByOne: 3, byRepeatPayers: 3 });
  assert.deepEqual(p.merchant('rival', 'low'), { maxByOne: 0, byRepeatPayers: 0 });
  assert.equal(p.review(state.reviews.get('r-a2-victim')!, 'low'), 3);
  assert.equal(p.review(state.reviews.get('r-u1-rival')!, 'low'), 0);
});
