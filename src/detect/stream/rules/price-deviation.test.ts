import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rule } from '../../rules/schema.ts';
import { MarketScript } from '../testing.ts';

const shadowOff = (r: Rule) => (r.kind === 'price_deviation' ? { ...r, mode: 'live' as const } : undefined);

test('flags an order paid far above or below its listed price', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('l1', 'm', 10000)
    .account('b')
    .order('o1', 'b', 'm', 'l1', { price: 10000 })
    .pay('o1', 100)
    .order('o2', 'b', 'm', 'l1', { price: 10000 })
    .pay('o2', 19000)
    .run(shadowOff);
  assert.ok(f.has('order', 'o1') && f.has('order', 'o2'));
});

test('coupons within the normal range are fine', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('l1', 'm', 10000)
    .account('b')
    .order('o1', 'b', 'm', 'l1', { price: 10000 })
    .pay('o1', 8000)
    .run(shadowOff);
  assert.equal(f.signals.length, 0);
});
