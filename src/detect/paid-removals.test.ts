// Merchant features that tell compensation for a low review from money that buys its removal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { featureValues } from './feature-testing.ts';
import { MarketScript } from './stream/testing.ts';

/**
 * Four unhappy buyers at each shop, each paid ¥10 by the shop's operator two hours after a one-star review;
 * one compensated buyer removes the review anyway, every paid buyer of the other shop does.
 */
function market(): MarketScript {
  const s = new MarketScript();
  for (const m of ['compensates', 'buys-removals']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 2990);
  for (const m of ['compensates', 'buys-removals']) {
    for (const b of ['b1', 'b2', 'b3', 'b4']) {
      const buyer = `${m}-${b}`;
      s.account(buyer);
      s.fullOrder(`o-${buyer}`, buyer, m, `l-${m}`, { price: 2990 });
      s.review(`r-${buyer}`, `o-${buyer}`, buyer, m, `l-${m}`, 1, '质量太差了');
      s.wait(120).transfer(`t-${buyer}`, `op-${m}`, buyer, 1000).wait(180);
      if (m === 'buys-removals' || b === 'b1') s.removeReview(`r-${buyer}`);
    }
  }
  return s;
}

test('paid low reviews: a shop whose paid unhappy buyers keep their reviews compensates; one whose all remove them buys removals', () => {
  const value = featureValues(market());
  assert.equal(value('merchant', 'compensates', 'paid_low_reviews_kept_log'), Math.fround(Math.log1p(3)));
  assert.equal(value('merchant', 'compensates', 'paid_low_reviews_removed_share'), 0.25);
  assert.equal(value('merchant', 'buys-removals', 'paid_low_reviews_kept_log'), 0);
  assert.equal(value('merchant', 'buys-removals', 'paid_low_reviews_removed_share'), 1);
});
