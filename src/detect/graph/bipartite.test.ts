import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../platform/random.ts';
import {
  BipartiteBuilder,
  bipartiteFromArrays,
  bipartiteFromEdges,
  colDegrees,
  rowDegrees,
} from './bipartite.ts';

test('string ids get dense indices; duplicate pairs merge by summing weights', () => {
  const g = bipartiteFromEdges([
    ['u1', 'p1'],
    ['u2', 'p1', 2],
    ['u1', 'p2'],
    ['u1', 'p1', 0.5],
  ]);
  assert.deepEqual(g.rowIds, ['u1', 'u2']);
  assert.deepEqual(g.colIds, ['p1', 'p2']);
  assert.equal(g.numEdges, 3);
  assert.deepEqual([...g.rowPtr], [0, 2, 3]);
  assert.deepEqual([...g.rowCol], [0, 1, 0]);
  assert.deepEqual([...g.weight], [1.5, 1, 2]);
  assert.deepEqual([...colDegrees(g)], [2, 1]);
  assert.deepEqual([...rowDegrees(g)], [2, 1]);
});

test('row and column CSR describe the same edges, sorted, on a random multigraph', () => {
  const rnd = new Random(3);
  const R = 40;
  const C = 25;
  const m = 600;
  const rows = new Int32Array(m);
  const cols = new Int32Array(m);
  const w = new Float64Array(m);
  const expected = new Map<string, number>();
  for (let e = 0; e < m; e++) {
    rows[e] = rnd.int(0, R - 1);
    cols[e] = rnd.int(0, C - 1);
    w[e] = rnd.int(1, 3);
    const k = `${rows[e]},${cols[e]}`;
    expected.set(k, (expected.get(k) ?? 0) + w[e]);
  }
  const g = bipartiteFromArrays(R, C, rows, cols, w);
  assert.equal(g.numEdges, expected.size);
  const fromRows = new Map<string, number>();
  for (let r = 0; r < R; r++) {
    for (let e = g.rowPtr[r]; e < g.rowPtr[r + 1]; e++) {
      if (e > g.rowPtr[r]) assert.ok(g.rowCol[e - 1] < g.rowCol[e], 'row adjacency sorted, no duplicates');
      fromRows.set(`${r},${g.rowCol[e]}`, g.weight[e]);
    }
  }
  assert.deepEqual(fromRows, expected);
  for (let c = 0; c < C; c++) {
    for (let k = g.colPtr[c]; k < g.colPtr[c + 1]; k++) {
      if (k > g.colPtr[c]) assert.ok(g.colRow[k - 1] < g.colRow[k], 'column adjacency sorted');
      const e = g.colEdge[k];
      assert.equal(g.rowCol[e], c);
      assert.ok(e >= g.rowPtr[g.colRow[k]] && e < g.rowPtr[g.colRow[k] + 1], 'colEdge points into the row');
    }
  }
});

test('empty graphs and isolated nodes are fine; bad input is rejected', () => {
  const empty = bipartiteFromArrays(0, 0, [], []);
  assert.equal(empty.numEdges, 0);
  assert.deepEqual([...empty.rowPtr], [0]);
  const isolated = new BipartiteBuilder();
  isolated.row('lonely');
  isolated.col('unsold');
  const g = isolated.build();
  assert.equal(g.numRows, 1);
  assert.equal(g.numCols, 1);
  assert.equal(g.numEdges, 0);
  assert.throws(() => bipartiteFromArrays(2, 2, [0, 2], [0, 0]), RangeError);
  assert.throws(() => bipartiteFromArrays(2, 2, [0], [1.5]), RangeError);
  assert.throws(() => bipartiteFromArrays(2, 2, [0], [1], [-1]), RangeError);
  assert.throws(() => bipartiteFromArrays(2, 2, [0, 1], [1]), RangeError);
});

test('the builder grows past its initial capacity', () => {
  const b = new BipartiteBuilder();
  for (let i = 0; i < 5000; i++) b.add(`u${i % 700}`, `p${i % 13}`);
  const g = b.build();
  assert.equal(g.numRows, 700);
  assert.equal(g.numCols, 13);
  let total = 0;
  for (const w of g.weight) total += w;
  assert.equal(total, 5000);
});
