import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags five-star reviews right after delivery that repeat a template', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  for (let i = 0; i < 4; i++) {
    s.account(`b${i}`)
      .fullOrder(`o${i}`, `b${i}`, 'm', 'l1', { price: 1000 })
      .wait(5)
      .review(
        `r${i}`,
        `o${i}`,
        `b${i}`,
        'm',
        'l1',
        5,
        `宝贝收到了质量非常好物流很快五星好评${i % 2 ? '！' : '。'}`,
      );
  }
  const f = s.run(only('quick_templated_review'));
  assert.ok(f.has('review', 'r3'));
  assert.ok(!f.has('review', 'r0'), 'the first of a template has nothing to repeat yet');
});

test('short honest praise and varied quick reviews are not templates', () => {
  const s = new MarketScript().merchant('m', ['op']).listing('l1', 'm', 1000);
  const texts = ['好评', '很好', '颜色正，尺码合适，穿着舒服', '送朋友的，她很喜欢这个包装'];
  texts.forEach((t, i) => {
    s.account(`b${i}`)
      .fullOrder(`o${i}`, `b${i}`, 'm', 'l1', { price: 1000 })
      .wait(5)
      .review(`r${i}`, `o${i}`, `b${i}`, 'm', 'l1', 5, t);
  });
  assert.equal(s.run(only('quick_templated_review')).signals.length, 0);
});
