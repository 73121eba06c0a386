import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript } from './testing.ts';

function withReviews(s: MarketScript, n: number): MarketScript {
  for (let i = 0; i < n; i++) {
    s.account(`b${i}`)
      .fullOrder(`o${i}`, `b${i}`, 'm', 'l', { price: 3900 })
      .review(`r${i}`, `o${i}`, `b${i}`, 'm', 'l', 5, '很好用');
  }
  return s;
}

test('a listing that becomes another product after gathering reviews keeps the trace of it (偷换链接)', () => {
  const s = withReviews(
    new MarketScript().merchant('m', ['op']).listing('l', 'm', 3900, '北欧风 陶瓷马克杯 大容量 350ml', {}),
    6,
  );
  s.updateListing('l', 'm', 3900, '北欧风 陶瓷马克杯 大容量 350ml 送勺').updateListing(
    'l',
    'm',
    19900,
    '蓝牙耳机 降噪 超长续航 运动款',
  );
  const l = s.run().engine.state.listings.get('l')!;
  assert.equal(l.reviews, 6);
  assert.equal(l.updates, 2);
  assert.ok(l.drift.similarity < 0.3, `similarity ${l.drift.similarity}`);
  assert.equal(l.drift.reviews, 6, 'what it had gathered when it changed');
  assert.ok(Math.abs(l.drift.priceRatio - 19900 / 3900) < 1e-9);
});

test('an ordinary edit of a listing (a word added, a price cut) is not a change of product', () => {
  const s = withReviews(
    new MarketScript().merchant('m', ['op']).listing('l', 'm', 3900, '北欧风 陶瓷马克杯 大容量 350ml'),
    3,
  );
  s.updateListing('l', 'm', 3500, '北欧风 陶瓷马克杯 大容量 350ml 限时特价');
  const l = s.run().engine.state.listings.get('l')!;
  assert.ok(l.drift.similarity > 0.5, `similarity ${l.drift.similarity}`);
});
