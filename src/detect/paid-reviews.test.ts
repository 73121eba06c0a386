import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PaidGoodReviews } from './paid-reviews.ts';
import { MarketScript } from './stream/testing.ts';

const DAY = 86_400_000;
const params = { goodRatingMin: 4, windowMs: 10 * DAY };

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
  const p = new PaidGoodReviews(state, params);
  assert.deepEqual(p.payer('staff'), { maxAtShop: 3, shops: 1 });
  assert.deepEqual(p.payer('friend'), { maxAtShop: 1, shops: 0 });
  assert.deepEqual(p.merchant('s1'), { maxByOne: 3, byRepeatPayers: 3 });
  assert.deepEqual(p.merchant('s2'), { maxByOne: 1, byRepeatPayers: 0 });
  assert.equal(p.review(state.reviews.get('r-b1-s1')!), 3);
  assert.equal(p.review(state.reviews.get('r-c1-s2')!), 1);
  assert.equal(p.review(state.reviews.get('r-c2-s2')!), 0);
  // The low review's compensation is not counted.
  assert.equal(p.review(state.reviews.get('r-b4-s1')!), 0);
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
  const p = new PaidGoodReviews(s.run().engine.state, params);
  assert.deepEqual(p.merchant('s1'), { maxByOne: 0, byRepeatPayers: 0 });
});
