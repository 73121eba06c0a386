import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

function market() {
  const s = new MarketScript().account('x');
  for (const m of ['m1', 'm2', 'm3']) s.merchant(m, [`op-${m}`]).listing(`l-${m}`, m, 2000);
  return s;
}

test('flags an account that gives one-star reviews and demands money to delete them at several shops', () => {
  const s = market();
  for (const m of ['m1', 'm2']) {
    s.fullOrder(`o-${m}`, 'x', m, `l-${m}`, { price: 2000 })
      .review(`r-${m}`, `o-${m}`, 'x', m, `l-${m}`, 1, '假货，已向12315举报')
      .message(`c-${m}`, 'x', `op-${m}`, '给我转200，我就把差评删了', `o-${m}`);
  }
  const f = s.run(only('extortion'));
  assert.ok(f.has('account', 'x', 'extortion'));
  assert.ok(f.has('review', 'r-m1') && f.has('review', 'r-m2'));
  assert.ok(f.has('order', 'o-m1'));
  assert.match(f.of('account', 'x')[0].explanation.en, /demands for money/);
});

test('a wronged buyer who threatens to complain at one shop is not an extortionist', () => {
  const f = market()
    .fullOrder('o1', 'x', 'm1', 'l-m1', { price: 2000 })
    .message('c1', 'x', 'op-m1', '东西摔坏了，不给解决我就投诉，不然差评')
    .review('r1', 'o1', 'x', 'm1', 'l-m1', 1, '收到是坏的')
    .refund('rf1', 'o1', 2000)
    .fullOrder('o2', 'x', 'm2', 'l-m2', { price: 2000 })
    .review('r2', 'o2', 'x', 'm2', 'l-m2', 2, '一般')
    .run(only('extortion'));
  assert.equal(f.signals.length, 0);
});
