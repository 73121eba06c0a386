import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags a parcel far lighter than the item usually ships', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 9900);
  for (let i = 0; i < 4; i++)
    s.account(`b${i}`).fullOrder(`o${i}`, `b${i}`, 'm', 'l1', { price: 9900, weight: 800 });
  s.account('x').fullOrder('ox', 'x', 'm', 'l1', { price: 9900, weight: 30 });
  const f = s.run(only('implausible_weight'));
  assert.deepEqual(
    f.signals.map((x) => x.subject),
    ['ox'],
  );
  assert.match(f.signals[0].explanation.zh, /空包/);
});

test('never judges goods that are light anyway', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 990, '贴纸');
  for (let i = 0; i < 4; i++)
    s.account(`b${i}`).fullOrder(`o${i}`, `b${i}`, 'm', 'l1', { price: 990, weight: 25 });
  s.account('x').fullOrder('ox', 'x', 'm', 'l1', { price: 990, weight: 5 });
  assert.equal(s.run(only('implausible_weight')).signals.length, 0);
});
