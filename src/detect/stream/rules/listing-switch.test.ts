import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('a listing that gathered reviews and became another product is flagged; the reason quotes both titles', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('l', 'm', 3990, '百花槐花蜂蜜 500g 农家自产')
    .account('b1')
    .fullOrder('o1', 'b1', 'm', 'l', { price: 3990 })
    .review('r1', 'o1', 'b1', 'm', 'l', 5, '蜂蜜很好')
    .updateListing('l', 'm', 12990, '百花 无线蓝牙耳机 降噪 长续航')
    .run(only('listing_switch'));
  assert.ok(f.has('listing', 'l'));
  const s = f.of('listing', 'l')[0];
  assert.match(s.explanation.zh, /百花槐花蜂蜜/);
  assert.match(s.explanation.en, /蓝牙耳机/);
  assert.equal(s.facts?.reviews_kept, 1);
});

test('ordinary edits, and a new product on a listing with no reviews, are not a switch', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('edit', 'm', 3990, '百花槐花蜂蜜 500g 农家自产')
    .listing('fresh', 'm', 3990, '百花槐花蜂蜜 500g 农家自产')
    .account('b1')
    .fullOrder('o1', 'b1', 'm', 'edit', { price: 3990 })
    .review('r1', 'o1', 'b1', 'm', 'edit', 5, '蜂蜜很好')
    .updateListing('edit', 'm', 3590, '百花槐花蜂蜜 500g 农家自产 2026新款 包邮')
    .updateListing('fresh', 'm', 12990, '无线蓝牙耳机 降噪 长续航')
    .run(only('listing_switch'));
  assert.equal(f.signals.length, 0, JSON.stringify(f.signals.map((s) => s.explanation.en)));
});
