import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

function shop() {
  return new MarketScript().merchant('m1', ['op1']).listing('l1', 'm1', 5000).account('b1').account('mid');
}

test('flags the order, buyer and merchant when the merchant pays the order money back', () => {
  const f = shop()
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .wait(60)
    .transfer('t1', 'op1', 'b1', 5800)
    .run(only('payback'));
  for (const [kind, id] of [
    ['order', 'o1'],
    ['account', 'b1'],
    ['merchant', 'm1'],
  ] as const)
    assert.ok(f.has(kind, id, 'payback'), `${kind} ${id}`);
  const s = f.of('order', 'o1')[0];
  assert.ok(s.evidence.length >= 2);
  assert.match(s.explanation.zh, /返款/);
  assert.match(s.explanation.en, /pay-back/);
});

test('follows the money through an intermediary account', () => {
  const f = shop()
    .transfer('t0', 'op1', 'mid', 50000)
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .transfer('t1', 'mid', 'b1', 5300)
    .run(only('payback'));
  assert.ok(f.has('order', 'o1'));
  assert.equal(f.of('order', 'o1')[0].facts?.hops, 1);
  assert.ok(f.has('account', 'mid'), 'the relay account is flagged too');
});

test('matches money sent before the order once the order is paid', () => {
  const f = shop()
    .transfer('t1', 'op1', 'b1', 5200)
    .wait(30)
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .run(only('payback'));
  assert.ok(f.has('order', 'o1'));
});

test('does not flag small compensation or money from strangers', () => {
  const f = shop()
    .account('friend')
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .transfer('t1', 'op1', 'b1', 500, '补偿')
    .transfer('t2', 'friend', 'b1', 5000)
    .run(only('payback'));
  assert.equal(f.signals.length, 0);
});

test('adds up a pay-back split into several payments', () => {
  const f = shop()
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .transfer('t1', 'op1', 'b1', 2000)
    .transfer('t2', 'op1', 'b1', 3300)
    .run(only('payback'));
  assert.ok(f.has('order', 'o1'));
  assert.equal(f.of('order', 'o1')[0].facts?.transfers, 2);
});

test('finds the shop side from chat when the platform declared no operator accounts', () => {
  const f = new MarketScript()
    .account('staff')
    .account('b1')
    .listing('l1', 'm1', 5000)
    .order('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .message('c1', 'b1', 'staff', '什么时候发货？', 'o1')
    .pay('o1', 5000)
    .transfer('t1', 'staff', 'b1', 5500)
    .run(only('payback'));
  assert.ok(f.has('order', 'o1') && f.has('merchant', 'm1'));
});

test('compensation after an apology, even close to the order amount, is not a pay-back', () => {
  const f = shop()
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 990 })
    .message('c1', 'op1', 'b1', '非常抱歉，已给您转账补偿10元，请查收', 'o1')
    .transfer('t1', 'op1', 'b1', 1000, '补偿')
    .run(only('payback'));
  assert.equal(f.signals.length, 0);
});

test("an undeclared account that keeps paying one shop's buyers back joins that shop's side", () => {
  const s = new MarketScript().account('payer').listing('l1', 'm1', 5000);
  for (const b of ['b1', 'b2', 'b3']) {
    s.account(b).fullOrder(`o-${b}`, b, 'm1', 'l1', { price: 5000 }).transfer(`t-${b}`, 'payer', b, 5400);
  }
  const f = s.run(only('payback'));
  assert.ok(f.has('merchant', 'm1'));
  assert.ok(f.has('order', 'o-b1') && f.has('order', 'o-b3'));
});

test('one friend paying back one purchase is not a side', () => {
  const f = new MarketScript()
    .account('friend')
    .account('b1')
    .listing('l1', 'm1', 5000)
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 5000 })
    .transfer('t1', 'friend', 'b1', 5000)
    .run(only('payback'));
  assert.equal(f.signals.length, 0);
});
