import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WordMatcher } from './word-matcher.ts';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the regular expression it replaces found: the words longest first, `gi`. */
function byRegExp(words: string[], text: string): Array<[number, number]> {
  const re = new RegExp(
    [...words]
      .sort((a, b) => b.length - a.length)
      .map(escapeRe)
      .join('|'),
    'gi',
  );
  return [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
}

test('finds what the longest-first regular expression found, over random words and texts', () => {
  // Mixed case, CJK, an astral character's halves and letters whose case changes length or script.
  const alphabet = 'abAB第一最😀İıſK';
  let seed = 7;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pick = (len: number) => Array.from({ length: len }, () => alphabet[next(alphabet.length)]).join('');
  for (let trial = 0; trial < 3000; trial++) {
    const words = Array.from({ length: 1 + next(6) }, () => pick(1 + next(4)));
    const text = pick(next(24));
    const m = new WordMatcher(words);
    const found = m.findAll(text).map((x) => [x.start, x.end]);
    assert.deepEqual(found, byRegExp(words, text), JSON.stringify({ words, text }));
    assert.equal(m.test(text), new RegExp(words.map(escapeRe).join('|'), 'i').test(text));
  }
});

test('the longest word at the leftmost place wins, and says which word it was', () => {
  const m = new WordMatcher(['最低价', '全网最低价', '第一', 'NO.1']);
  const text = '全网最低价，销量第一 no.1';
  assert.deepEqual(
    m.findAll(text).map((x) => [text.slice(x.start, x.end), x.word]),
    [
      ['全网最低价', 1],
      ['第一', 2],
      ['no.1', 3],
    ],
  );
});

test('words are literal: "(a+)+b" matches only those six characters, and a long run of a is just text', () => {
  const m = new WordMatcher(['(a+)+b']);
  assert.equal(m.test(`${'a'.repeat(100_000)}b`), false);
  assert.equal(m.test('aaab'), false);
  assert.deepEqual(m.findAll('x (A+)+B y'), [{ start: 2, end: 8, word: 0 }]);
});

test('astral characters and CJK match as written, at UTF-16 offsets', () => {
  const m = new WordMatcher(['😀', '好评返现']);
  const text = '😀好评返现';
  assert.deepEqual(
    m.findAll(text).map((x) => text.slice(x.start, x.end)),
    ['😀', '好评返现'],
  );
  assert.equal(new WordMatcher([]).test('anything'), false);
  assert.throws(() => new WordMatcher(['']), RangeError);
});
