import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minhash, NearDuplicatePool, NearDuplicateSet, normalizeText } from './similarity.ts';

test('NearDuplicateSet finds exactly the matches NearDuplicatePool finds, through compaction', () => {
  // Templates with small edits, so that many texts match some earlier ones and many do not.
  const words = [
    '质量',
    '很好',
    '不错',
    '物流',
    '很快',
    '推荐',
    '购买',
    '客服',
    '耐心',
    '正版',
    '清晰',
    '下次',
  ];
  let seed = 7;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const pool = new NearDuplicatePool<number>(40);
  const set = new NearDuplicateSet<number>(40);
  let matched = 0;
  for (let i = 0; i < 600; i++) {
    let text = '';
    const n = 3 + rand(5);
    for (let k = 0; k < n; k++) text += words[(i % 4) + rand(k < 2 ? 2 : 12)];
    const expected = pool.addAndMatch(text, i, i, 0.5).sort((a, b) => a - b);
    const got: number[] = [];
    set.addAndMatch(text, i, 0.5, (x) => got.push(x));
    assert.deepEqual(got, expected, `text ${i}`);
    matched += got.length;
  }
  assert.ok(matched > 100, `the texts should often match (${matched})`);
});

test('minhash ignores repeated bigrams and keeps one-character texts apart', () => {
  assert.deepEqual(minhash('abab'), minhash('aba'));
  assert.notDeepEqual(minhash('a'), minhash('b'));
  assert.equal(normalizeText('好评！ 123 👍'), '好评');
});
