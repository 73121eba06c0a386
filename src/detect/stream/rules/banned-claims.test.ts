import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarketScript, only } from '../testing.ts';

test('flags listings with banned absolute claims, in title or description', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('l1', 'm', 1000, '【全网第一】保温杯')
    .listing('l2', 'm', 1000, '面霜', { description: '本品效果100%有效，国家级产品' })
    .run(only('banned_claims'));
  assert.ok(f.has('listing', 'l1'));
  assert.ok(f.has('listing', 'l2'));
  assert.equal(f.of('listing', 'l2')[0].facts?.aggravated, 1);
  assert.match(f.of('listing', 'l1')[0].explanation.zh, /全网第一/);
});

test('lawful uses are not claims: usage tips, first-time wording, standards, true background, specs, brands', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('a', 'm', 1000, '龙井茶', {
      description: '最佳赏味期为30天。第一次冲泡建议85℃。执行国家标准一级。制作技艺为国家级非物质文化遗产。',
    })
    .listing('b', 'm', 1000, '行李箱', { description: '最大承重20公斤。面料100%纯棉。本店追求最好的服务。' })
    .listing('c', 'm', 1000, '最生活 毛巾', { brand: '最生活' })
    .run(only('banned_claims'));
  assert.equal(f.signals.length, 0, JSON.stringify(f.signals.map((s) => s.explanation.en)));
});

test('spacing a claim out or writing it in full-width forms does not hide it; the snippet quotes the original', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('spaced', 'm', 1000, '保温杯', { description: '品质 全 网 第 一，放心购买' })
    .listing('wide', 'm', 1000, '蓝牙耳机 ＮＯ．１')
    .listing('zw', 'm', 1000, '最\u200b好的面霜')
    .listing('lawful', 'm', 1000, '茶具', { description: '第 一 次使用前请清洗' })
    .run(only('banned_claims'));
  assert.ok(f.has('listing', 'spaced'));
  assert.match(f.of('listing', 'spaced')[0].explanation.zh, /全 网 第 一/);
  assert.ok(f.has('listing', 'wide'));
  assert.ok(f.has('listing', 'zw'));
  assert.ok(!f.has('listing', 'lawful'), 'a lawful use is still lawful when spaced out');
});

test('marks inside a claim, formal or circled numerals do not hide it either; lawful uses stay lawful', () => {
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('dot', 'm', 1000, '保温杯', { description: '连续三年销量·第一，回头客超多' })
    .listing('dash', 'm', 1000, '电子书兑换码', { description: '连续三年N-o.1，回头客超多' })
    .listing('formal', 'm', 1000, '蜂蜜', { description: '本店第 壹，品质有保障' })
    .listing('circled', 'm', 1000, '【全网第①】充电宝')
    .listing('star', 'm', 1000, '面霜 全网*第一')
    .listing('first-use', 'm', 1000, '茶具', { description: '第1次使用前请清洗；规格 1.5L；型号 A-1' })
    .listing('grade', 'm', 1000, '大米', { description: '执行国家标准一级，第1批次' })
    .run(only('banned_claims'));
  for (const id of ['dot', 'dash', 'formal', 'circled', 'star']) assert.ok(f.has('listing', id), id);
  assert.match(f.of('listing', 'formal')[0].explanation.zh, /第 壹/, 'the snippet quotes the original');
  assert.ok(!f.has('listing', 'first-use'), JSON.stringify(f.of('listing', 'first-use')));
  assert.ok(!f.has('listing', 'grade'), JSON.stringify(f.of('listing', 'grade')));
});

test('a rule file word "(a+)+b" is a word, and as a lawful-use pattern it is read in one pass', () => {
  const long = `${'a'.repeat(32)}!`;
  const f = new MarketScript()
    .merchant('m', ['op'])
    .listing('long', 'm', 1000, long, { description: 'a'.repeat(4000) })
    .listing('literal', 'm', 1000, '保温杯 (a+)+b 款')
    .listing('lawful', 'm', 1000, '最好aaab')
    .run((r) =>
      r.kind === 'banned_claims'
        ? {
            ...r,
            params: { ...r.params, terms: [...r.params.terms, '(a+)+b'], allowed: ['最好(a+)+b', '(a+)+b'] },
          }
        : undefined,
    );
  assert.ok(!f.has('listing', 'long'), 'a run of a is no claim');
  assert.match(f.of('listing', 'literal')[0].explanation.en, /"\(a\+\)\+b"/);
  assert.ok(!f.has('listing', 'lawful'), 'the pattern still matches what it describes');
});
