import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags a burst of one-star reviews from fresh linked accounts, and who paid them — never the victim', () => {
  const s = new MarketScript()
    .merchant('victim', ['opv'])
    .merchant('rival', ['opr'])
    .listing('l1', 'victim', 990);
  for (let i = 0; i < 6; i++) s.account(`a${i}`, { device: `farm-${i % 2}` });
  for (let i = 0; i < 6; i++)
    s.order(`o${i}`, `a${i}`, 'victim', 'l1', { price: 990, device: `farm-${i % 2}` }).pay(`o${i}`, 990);
  s.wait(24 * 60);
  for (let i = 0; i < 6; i++) s.deliver(`o${i}`);
  for (let i = 0; i < 6; i++) {
    s.wait(30)
      .review(`r${i}`, `o${i}`, `a${i}`, 'victim', 'l1', 1, '垃圾产品')
      .transfer(`t${i}`, 'opr', `a${i}`, 2000);
  }
  const f = s.run(only('review_attack'));
  assert.ok(f.has('review', 'r5', 'review_attack'));
  assert.ok(f.has('account', 'a0', 'review_attack'));
  assert.ok(f.has('merchant', 'rival', 'review_attack'), 'the instigator');
  assert.ok(!f.has('merchant', 'victim'), 'the victim is never the subject');
});

test('a bad batch rated low by long-standing unrelated customers is not an attack', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 990);
  for (let i = 0; i < 6; i++) s.account(`c${i}`);
  s.wait(60 * 24 * 60);
  for (let i = 0; i < 6; i++)
    s.fullOrder(`o${i}`, `c${i}`, 'm', 'l1', { price: 990 }).review(
      `r${i}`,
      `o${i}`,
      `c${i}`,
      'm',
      'l1',
      1,
      '这批货有问题',
    );
  assert.equal(s.run(only('review_attack')).signals.length, 0);
});
