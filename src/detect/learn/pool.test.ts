import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../platform/random.ts';
import { joinBinnedColumns } from './binning.ts';
import { applyBins, binMatrix, fitBinBounds, type Matrix, selectBinnedRows } from './gbdt.ts';
import { type GbdtJob, GbdtPool } from './pool.ts';

function problem(n: number, cols: number, seed: number) {
  const rng = new Random(seed);
  const data = new Float32Array(n * cols);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < cols; f++) data[i * cols + f] = rng.chance(0.05) ? Number.NaN : rng.normal();
    y[i] = rng.next() < 1 / (1 + Math.exp(-(2 * data[i * cols] - data[i * cols + 1]))) ? 1 : 0;
  }
  const x: Matrix = { rows: n, cols, data };
  return { x, y };
}

test('a pool of threads trains the same models as one thread, in submission order', async () => {
  const { x, y } = problem(1500, 5, 1);
  const binned = applyBins(x, fitBinBounds(x, 255));
  const train = Array.from({ length: 1000 }, (_, i) => i);
  const val = Array.from({ length: 500 }, (_, i) => 1000 + i);
  const jobs: GbdtJob[] = [1, 2, 3].map((seed) => ({
    binned: selectBinnedRows(binned, train),
    y: train.map((i) => y[i]),
    params: { seed, subsample: 0.8, colsampleByTree: 0.6, maxRounds: 60, earlyStoppingRounds: 10 },
    validBinned: { binned: selectBinnedRows(binned, val), y: val.map((i) => y[i]) },
  }));
  const run = async (threads: number) => {
    const pool = new GbdtPool(threads);
    try {
      return await Promise.all(jobs.map((j) => pool.train(j)));
    } finally {
      await pool.close();
    }
  };
  const [one, two] = [await run(1), await run(2)];
  assert.equal(two.length, 3);
  for (let k = 0; k < 3; k++) {
    assert.deepEqual(two[k].trees, one[k].trees, `model ${k}`);
    assert.equal(two[k].baseScore, one[k].baseScore);
    assert.equal(two[k].meta.bestIteration, one[k].meta.bestIteration);
  }
  assert.notDeepEqual(one[0].trees, one[1].trees, 'different seeds give different models');
});

test('a failing job rejects without stopping the pool', async () => {
  const { x, y } = problem(200, 2, 2);
  const binned = applyBins(x, fitBinBounds(x, 255));
  const pool = new GbdtPool(2);
  try {
    await assert.rejects(pool.train({ binned, y: y.subarray(0, 10) }), /200 rows but 10 labels/);
    const m = await pool.train({ binned, y, params: { maxRounds: 5 } });
    assert.equal(m.trees.length, 5);
  } finally {
    await pool.close();
  }
});

test('binning over the pool gives the bins and bounds of one thread, also from a later column on', async () => {
  const { x } = problem(3000, 70, 3);
  const whole = binMatrix(x);
  const pool = new GbdtPool(2);
  try {
    const shared = await pool.bin(x);
    assert.equal(shared.cols, 70);
    assert.deepEqual(shared.bins, whole.bins);
    assert.deepEqual(shared.upper, whole.upper);
    const tail = await pool.bin(x, 255, 40);
    assert.equal(tail.cols, 30);
    assert.deepEqual(tail.upper, whole.upper.slice(40));
    assert.deepEqual(tail.bins, whole.bins.subarray(40 * x.rows));
    // Joined to the first columns' bins, the tail gives the whole matrix's bins back.
    const head = binMatrix({
      rows: x.rows,
      cols: 40,
      data: Float32Array.from({ length: x.rows * 40 }, (_, k) => x.data[Math.floor(k / 40) * 70 + (k % 40)]),
    });
    const joined = joinBinnedColumns(head, tail);
    assert.deepEqual(joined.bins, whole.bins);
    assert.deepEqual(joined.upper, whole.upper);
  } finally {
    await pool.close();
  }
});
