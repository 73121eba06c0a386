import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags a merchant whose orders jump far above its own baseline', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  for (let d = 0; d < 3; d++)
    s.account(`r${d}`)
      .order(`base${d}`, `r${d}`, 'm', 'l1', { price: 1000 })
      .wait(24 * 60);
  for (let i = 0; i < 15; i++) s.account(`b${i}`).order(`o${i}`, `b${i}`, 'm', 'l1', { price: 1000 }).wait(2);
  const f = s.run(only('order_burst'));
  assert.ok(f.has('merchant', 'm'));
  assert.ok((f.of('merchant', 'm')[0].facts?.ratio ?? 0) >= 6);
});

test('a busy shop at its usual pace is not a burst', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  for (let i = 0; i < 300; i++)
    s.account(`b${i}`).order(`o${i}`, `b${i}`, 'm', 'l1', { price: 1000 }).wait(14);
  assert.equal(s.run(only('order_burst')).signals.length, 0);
});
