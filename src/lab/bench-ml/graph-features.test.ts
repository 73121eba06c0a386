import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Matrix } from '../../detect/index.ts';
import { buildGraphFeatures, type Csr, toCsr, unionCsr } from './graph-features.ts';

const neighbours = (g: Csr, i: number) => Array.from(g.indices.subarray(g.indptr[i], g.indptr[i + 1]));

// Path 0-1-2-3 plus edge 1-3, node 4 isolated; one feature equal to the node id.
const edges = Uint32Array.from([0, 1, 1, 2, 2, 3, 1, 3]);
const x: Matrix = { rows: 5, cols: 1, data: Float32Array.from([0, 1, 2, 3, 4]) };

test('toCsr is symmetric, sorted, and drops self-loops and repeats', () => {
  const g = toCsr(5, Uint32Array.from([0, 1, 1, 2, 2, 3, 1, 3, 0, 1, 2, 2]));
  assert.deepEqual(neighbours(g, 0), [1]);
  assert.deepEqual(neighbours(g, 1), [0, 2, 3]);
  assert.deepEqual(neighbours(g, 2), [1, 3]);
  assert.deepEqual(neighbours(g, 4), []);
  const u = unionCsr([toCsr(5, Uint32Array.from([0, 1])), toCsr(5, Uint32Array.from([1, 0, 3, 4]))]);
  assert.deepEqual(neighbours(u, 0), [1]);
  assert.deepEqual(neighbours(u, 4), [3]);
});

test('neighbour aggregates over one and two hops', () => {
  const rel = new Map([['r', toCsr(5, edges)]]);
  const t = buildGraphFeatures(x, ['id'], rel, {
    aggregates: ['mean', 'diff', 'mean2', 'max', 'min', 'std'],
  });
  const col = (name: string) => {
    const j = t.names.indexOf(name);
    assert.ok(j >= 0, `missing column ${name}`);
    return Array.from({ length: 5 }, (_, i) => t.matrix.data[i * t.matrix.cols + j]);
  };
  assert.deepEqual(col('id'), [0, 1, 2, 3, 4]);
  assert.deepEqual(col('r.degree'), [1, 3, 2, 2, 0]);
  // Means: 0→{1}=1, 1→{0,2,3}=5/3, 2→{1,3}=2, 3→{1,2}=1.5, 4→none.
  const mean = col('r.mean.id');
  assert.deepEqual(
    mean.slice(0, 4).map((v) => +v.toFixed(4)),
    [1, 1.6667, 2, 1.5],
  );
  assert.ok(Number.isNaN(mean[4]));
  assert.deepEqual(
    col('r.diff.id')
      .slice(0, 4)
      .map((v) => +v.toFixed(4)),
    [-1, -0.6667, 0, 1.5],
  );
  // Two-hop mean of node 0 = mean of node 1's mean = 5/3.
  assert.equal(+col('r.mean2.id')[0].toFixed(4), 1.6667);
  assert.deepEqual(col('r.max.id').slice(0, 4), [1, 3, 3, 2]);
  assert.deepEqual(col('r.min.id').slice(0, 4), [1, 0, 1, 1]);
  assert.equal(col('r.std.id')[2], 1);
});

test('label features use training labels only, and never a node its own label', () => {
  const g = toCsr(5, edges);
  const rel = new Map([['r', g]]);
  const train = [0, 1, 2];
  const build = (labels: number[]) =>
    buildGraphFeatures(x, ['id'], rel, { aggregates: [], labelAware: { train, labels } });
  const base = [1, 0, 1, 1, 0];
  const t = build(base);
  const col = (tab: typeof t, name: string) => {
    const j = tab.names.indexOf(name);
    return Array.from({ length: 5 }, (_, i) => tab.matrix.data[i * tab.matrix.cols + j]);
  };
  // Node 1's train neighbours are 0 (fraud) and 2 (fraud); node 3 (test) sees 1 (ok) and 2 (fraud).
  assert.deepEqual(col(t, 'r.label.known'), [1, 2, 1, 2, 0]);
  assert.deepEqual(col(t, 'r.label.fraud'), [0, 2, 0, 1, 0]);
  assert.deepEqual(col(t, 'r.label.fraud_frac').slice(0, 4), [0, 1, 0, 0.5]);
  // Two hops from node 0 via 1: 1's train neighbours minus 0 itself → {2}: one known, one fraud.
  assert.equal(col(t, 'r.label2.known')[0], 1);
  assert.equal(col(t, 'r.label2.fraud')[0], 1);

  // Flipping a train node's own label leaves its own features unchanged.
  for (const i of train) {
    const flipped = base.slice();
    flipped[i] = 1 - flipped[i];
    const t2 = build(flipped);
    const own = (tab: typeof t) =>
      Array.from(tab.matrix.data.subarray(i * tab.matrix.cols, (i + 1) * tab.matrix.cols));
    assert.deepEqual(own(t2), own(t), `node ${i} saw its own label`);
  }
  // Labels of non-train nodes are never read.
  const other = base.slice();
  other[3] = 0;
  other[4] = 1;
  assert.deepEqual(Array.from(build(other).matrix.data), Array.from(t.matrix.data));
});
