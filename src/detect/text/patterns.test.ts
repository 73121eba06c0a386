import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPattern, isWord, LinearPattern, patternTest, toRe2, wordTest } from './patterns.ts';

test('"(a+)+b" is a pattern that still means what it says, and a run of a does not make it slow', () => {
  const p = new LinearPattern('(a+)+b');
  assert.equal(p.test('xxaaab'), true);
  // V8 backtracks 2^n times here; RE2 reads the text once.
  assert.equal(p.test('a'.repeat(100_000)), false);
  assert.deepEqual(
    [...p.matches('aab ab b')],
    [
      { index: 0, length: 3 },
      { index: 4, length: 2 },
    ],
  );
});

test('patterns ignore case and read \\s and \\uXXXX as JavaScript does', () => {
  assert.equal(new LinearPattern('no\\.1').test('NO.1'), true);
  assert.equal(new LinearPattern('200\\s*元').test('转200\u3000元'), true, 'a full-width space is a space');
  assert.equal(new LinearPattern('[\\s]x').test('\u00a0x'), true);
  assert.equal(new LinearPattern('a\\Sb').test('a b'), false);
  assert.equal(new LinearPattern('\\uFF01').test('！'), true);
  assert.equal(toRe2('[]a]\\\\s'), '[]a]\\\\s', 'an escaped backslash and a leading ] are left alone');
});

test('what RE2 cannot do in linear time is refused with the reason; so is a pattern too complex', () => {
  const look = checkPattern('(?=x)a', 1000);
  assert.ok(
    'problem' in look && /not a pattern that can be matched in linear time.*\(\?=/.test(look.problem),
  );
  const back = checkPattern('(a)\\1', 1000);
  assert.ok('problem' in back && /invalid escape sequence: `\\1`/.test(back.problem));
  const big = checkPattern('a{1000}', 100);
  assert.ok('problem' in big && /too complex: RE2 compiles it to 1002 steps, at most 100/.test(big.problem));
  assert.deepEqual(checkPattern('第一(次|步)', 1000), { size: new LinearPattern('第一(次|步)').programSize });
});

test('a pattern list mixes words and patterns; a word list takes every entry literally', () => {
  assert.equal(isWord('返现'), true);
  assert.equal(isWord('好评.{0,4}返'), false);
  const offers = patternTest(['返现', '好评.{0,4}返']);
  assert.equal(offers.test('给个好评就返'), true);
  assert.equal(offers.test('亲，返现哦'), true);
  assert.equal(offers.test('谢谢'), false);
  const words = wordTest(['好评.{0,4}返']);
  assert.equal(words.test('给个好评就返'), false);
  assert.equal(words.test('好评.{0,4}返'), true);
  assert.equal(patternTest([]).test('x'), false);
});
