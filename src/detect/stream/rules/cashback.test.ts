import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

const shop = () =>
  new MarketScript()
    .merchant('m1', ['op1'])
    .listing('l1', 'm1', 3000)
    .account('b1')
    .account('b2')
    .account('b3');

test('flags the review and the merchant when the shop pays after a five-star review', () => {
  const f = shop()
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 3000 })
    .review('r1', 'o1', 'b1', 'm1', 'l1', 5, '很好用，推荐')
    .wait(90)
    .transfer('t1', 'op1', 'b1', 300, '红包')
    .run(only('cashback'));
  assert.ok(f.has('review', 'r1', 'cashback'));
  assert.ok(f.has('merchant', 'm1', 'cashback'));
  assert.match(f.of('review', 'r1')[0].explanation.zh, /好评返现/);
});

test('flags a cash-back offer in chat', () => {
  const f = shop().message('c1', 'op1', 'b1', '亲，五星好评截图发客服返现5元哦').run(only('cashback'));
  assert.ok(f.has('merchant', 'm1', 'cashback'));
});

test("an account the shop never declared is caught once it keeps paying the shop's reviewers", () => {
  let s = shop().account('staff');
  for (const b of ['b1', 'b2', 'b3']) {
    s = s
      .fullOrder(`o-${b}`, b, 'm1', 'l1', { price: 3000 })
      .review(`r-${b}`, `o-${b}`, b, 'm1', 'l1', 5, '不错')
      .wait(60)
      .transfer(`t-${b}`, 'staff', b, 200);
  }
  const f = s.run(only('cashback'));
  assert.ok(f.has('account', 'staff', 'cashback'));
  assert.ok(f.has('review', 'r-b1') && f.has('review', 'r-b3'));
});

test('compensation after a complaint is not cash-back, nor is a request for a review without reward', () => {
  const f = shop()
    .fullOrder('o1', 'b1', 'm1', 'l1', { price: 3000 })
    .message('c0', 'op1', 'b1', '亲，满意的话给个好评哦')
    .message('c1', 'b1', 'op1', '东西坏了，不处理我就投诉')
    .message('c2', 'op1', 'b1', '非常抱歉，已给您转账补偿9元')
    .review('r1', 'o1', 'b1', 'm1', 'l1', 5, '处理及时')
    .transfer('t1', 'op1', 'b1', 900, '补偿')
    .run(only('cashback'));
  assert.equal(f.signals.length, 0);
});
