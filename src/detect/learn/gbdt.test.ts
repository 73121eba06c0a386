import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../platform/random.ts';
import {
  averageModels,
  binMatrix,
  fitBinBounds,
  GbdtModel,
  type Matrix,
  MODEL_FORMAT_VERSION,
  sigmoid,
  trainGbdt,
  widenFeatures,
} from './gbdt.ts';
import { auroc } from './metrics.ts';

/** n rows of `cols` standard-normal features with labels from `label(row)`. */
function synthetic(n: number, cols: number, seed: number, label: (x: Float32Array, rng: Random) => number) {
  const rng = new Random(seed);
  const data = new Float32Array(n * cols);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * cols, (i + 1) * cols);
    for (let f = 0; f < cols; f++) row[f] = rng.normal();
    y[i] = label(row, rng);
  }
  const x: Matrix = { rows: n, cols, data };
  return { x, y };
}

const xor = (r: Float32Array) => (r[0] > 0 !== r[1] > 0 ? 1 : 0);
const additive = (r: Float32Array, rng: Random) =>
  rng.next() < sigmoid(2 * r[0] - 1.5 * r[1] + r[2] * r[2] - 1) ? 1 : 0;

test('learns an XOR interaction that no single feature reveals', () => {
  const train = synthetic(3000, 6, 1, xor);
  const test_ = synthetic(2000, 6, 2, xor);
  const model = trainGbdt(train.x, train.y, { params: { maxRounds: 100, maxDepth: 3, learningRate: 0.2 } });
  const a = auroc(model.predict(test_.x), test_.y);
  assert.ok(a > 0.97, `XOR test AUROC ${a}`);
});

test('learns an additive noisy problem well above chance, close to the Bayes ranking', () => {
  const train = synthetic(4000, 8, 3, additive);
  const test_ = synthetic(3000, 8, 4, additive);
  const model = trainGbdt(train.x, train.y, { params: { maxRounds: 150, maxDepth: 3, learningRate: 0.1 } });
  const a = auroc(model.predict(test_.x), test_.y);
  const bayes = auroc(
    Array.from({ length: test_.x.rows }, (_, i) => {
      const r = test_.x.data.subarray(i * 8, i * 8 + 8);
      return 2 * r[0] - 1.5 * r[1] + r[2] * r[2];
    }),
    test_.y,
  );
  assert.ok(a > 0.8 && a > bayes - 0.03, `additive test AUROC ${a}, Bayes ${bayes}`);
});

test('missing values are routed by a learned default direction', () => {
  const rng = new Random(5);
  const n = 2000;
  const data = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.chance(0.3) ? 1 : 0;
    data[i * 2] = y[i] === 1 ? Number.NaN : rng.normal();
    data[i * 2 + 1] = rng.normal();
  }
  const model = trainGbdt({ rows: n, cols: 2, data }, y, {
    params: { maxRounds: 30, maxDepth: 2, learningRate: 0.3 },
  });
  const p = model.predict({ rows: 2, cols: 2, data: Float32Array.from([Number.NaN, 0, 0.5, 0]) });
  assert.ok(p[0] > 0.9 && p[1] < 0.1, `NaN row ${p[0]}, value row ${p[1]}`);
});

test('Saabas contributions sum to the margin, also for an averaged ensemble', () => {
  const train = synthetic(1500, 5, 6, additive);
  const a = trainGbdt(train.x, train.y, {
    params: { maxRounds: 40, subsample: 0.8, colsampleByTree: 0.8, seed: 1 },
  });
  const b = trainGbdt(train.x, train.y, {
    params: { maxRounds: 30, subsample: 0.8, colsampleByTree: 0.8, seed: 2 },
  });
  const avg = averageModels([a, b]);
  const margins = avg.predictMargin(train.x);
  const ma = a.predictMargin(train.x);
  const mb = b.predictMargin(train.x);
  for (const row of [0, 17, 321, 1499]) {
    for (const [model, m] of [
      [a, ma[row]],
      [avg, margins[row]],
    ] as const) {
      const { bias, values } = model.contributions(train.x, row);
      const total = bias + values.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(total - m) < 1e-9, `row ${row}: ${total} vs ${m}`);
    }
    assert.ok(Math.abs(margins[row] - (ma[row] + mb[row]) / 2) < 1e-9);
  }
  const top = a.explain(train.x, 0, 3);
  assert.equal(top.length, 3);
  assert.ok(Math.abs(top[0].contribution) >= Math.abs(top[1].contribution));
  assert.ok(a.featureNames.includes(top[0].feature));
});

test('weighted averages and widened models predict the weighted mean margin on wider matrices', () => {
  const train = synthetic(800, 3, 9, additive);
  const a = trainGbdt(train.x, train.y, {
    params: { maxRounds: 20, seed: 1 },
    featureNames: ['a', 'b', 'c'],
  });
  const b = trainGbdt(train.x, train.y, {
    params: { maxRounds: 10, maxDepth: 2, seed: 2 },
    featureNames: ['a', 'b', 'c'],
  });
  const avg = averageModels([a, b], [3, 1]);
  const ma = a.predictMargin(train.x);
  const mb = b.predictMargin(train.x);
  const m = avg.predictMargin(train.x);
  for (const row of [0, 5, 799]) assert.ok(Math.abs(m[row] - (0.75 * ma[row] + 0.25 * mb[row])) < 1e-9);
  assert.throws(() => averageModels([a, b], [1]), /weight/);
  assert.throws(() => averageModels([a, b], [0, 0]), /weight/);

  // A fourth column appended: the widened model reads the first three as before.
  const wide: Matrix = { rows: train.x.rows, cols: 4, data: new Float32Array(train.x.rows * 4) };
  for (let i = 0; i < train.x.rows; i++) {
    wide.data.set(train.x.data.subarray(i * 3, i * 3 + 3), i * 4);
    wide.data[i * 4 + 3] = 99;
  }
  const w = widenFeatures(a, ['a', 'b', 'c', 'extra']);
  assert.deepEqual(Array.from(w.predictMargin(wide)), Array.from(ma));
  assert.throws(() => widenFeatures(a, ['b', 'a', 'c', 'extra']), /first/);
});

test('JSON round-trip gives identical predictions and keeps names and metadata', () => {
  const train = synthetic(1000, 4, 7, additive);
  const valid = synthetic(500, 4, 8, additive);
  const model = trainGbdt(train.x, train.y, {
    featureNames: ['price', 'age', 'refunds', 'ip_reuse'],
    valid,
    params: { maxRounds: 60, subsample: 0.7, colsampleByNode: 0.5, seed: 3 },
  });
  const json = JSON.stringify(model.toJSON());
  const back = GbdtModel.fromJSON(JSON.parse(json));
  assert.deepEqual(Array.from(back.predict(valid.x)), Array.from(model.predict(valid.x)));
  assert.deepEqual(back.featureNames, ['price', 'age', 'refunds', 'ip_reuse']);
  assert.equal(back.meta.trees, model.trees.length);
  assert.equal(back.toJSON().version, MODEL_FORMAT_VERSION);
  assert.throws(() => GbdtModel.fromJSON({ ...JSON.parse(json), version: 99 }), /format version 99/);
  assert.throws(() => GbdtModel.fromJSON({ format: 'other' }), /not a tianping-gbdt model/);
});

test('early stopping stops on noise and keeps the best round', () => {
  const noise = (_: Float32Array, rng: Random) => (rng.chance(0.2) ? 1 : 0);
  const train = synthetic(1000, 5, 9, noise);
  const valid = synthetic(1000, 5, 10, noise);
  const model = trainGbdt(train.x, train.y, {
    valid,
    params: { maxRounds: 1000, earlyStoppingRounds: 20, learningRate: 0.3 },
  });
  assert.ok(model.meta.roundsTrained < 200, `trained ${model.meta.roundsTrained} rounds`);
  assert.equal(model.meta.roundsTrained, model.meta.bestIteration + 21);
  assert.equal(model.trees.length, model.meta.bestIteration + 1);
});

test('training repeats exactly for a seed and growth limits hold', () => {
  const train = synthetic(800, 6, 11, additive);
  const params = { maxRounds: 15, subsample: 0.7, colsampleByTree: 0.6, seed: 4 };
  const a = trainGbdt(train.x, train.y, { params });
  const b = trainGbdt(train.x, train.y, { params });
  assert.deepEqual(Array.from(a.predictMargin(train.x)), Array.from(b.predictMargin(train.x)));
  const leafwise = trainGbdt(train.x, train.y, {
    params: { maxRounds: 5, growPolicy: 'lossguide', maxLeaves: 5, maxDepth: 0 },
  });
  for (const t of leafwise.trees) assert.ok(t.feature.filter((f) => f < 0).length <= 5);
  const shallow = trainGbdt(train.x, train.y, { params: { maxRounds: 5, maxDepth: 2 } });
  for (const t of shallow.trees) assert.ok(t.feature.length <= 7);
});

test('scalePosWeight raises the base score', () => {
  const train = synthetic(500, 3, 12, additive);
  const plain = trainGbdt(train.x, train.y, { params: { maxRounds: 1 } });
  const weighted = trainGbdt(train.x, train.y, { params: { maxRounds: 1, scalePosWeight: 4 } });
  assert.ok(Math.abs(weighted.baseScore - plain.baseScore - Math.log(4)) < 1e-9);
});

test('binning: one bin per distinct value when few, ≤ maxBins otherwise, bin 0 for missing', () => {
  const data = Float32Array.from([1, 0, 2, 0.5, 1, Number.NaN, 3, 0.25]);
  const x: Matrix = { rows: 4, cols: 2, data };
  const b = binMatrix(x, 255);
  assert.deepEqual(Array.from(b.upper[0]), [1.5, 2.5, Number.POSITIVE_INFINITY]);
  assert.deepEqual(Array.from(b.bins.subarray(0, 4)), [1, 2, 1, 3]);
  assert.equal(b.bins[4 + 2], 0);
  const many = synthetic(5000, 1, 13, () => 0).x;
  const bounds = fitBinBounds(many, 32);
  assert.ok(bounds[0].length <= 32 && bounds[0].length >= 28, `${bounds[0].length} bins`);
  assert.throws(() => fitBinBounds(many, 300), /maxBins/);
});

test('trains 10k rows × 100 features quickly', () => {
  const train = synthetic(10000, 100, 14, additive);
  const started = performance.now();
  trainGbdt(train.x, train.y, { params: { maxRounds: 30, maxDepth: 6 } });
  const s = (performance.now() - started) / 1000;
  assert.ok(s < 20, `${s}s`);
});

test('sparse histograms grow exactly the trees of the column scan', () => {
  // Mostly zeros (one common bin per feature), with missing values and a signal in two columns.
  const rng = new Random(21);
  const n = 3000;
  const cols = 8;
  const data = new Float32Array(n * cols);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < cols; f++) {
      const r = rng.next();
      data[i * cols + f] = r < 0.8 ? 0 : r < 0.85 ? Number.NaN : rng.int(1, 40);
    }
    y[i] = rng.next() < sigmoid(0.1 * data[i * cols] - 0.08 * data[i * cols + 1] - 1) ? 1 : 0;
  }
  const x: Matrix = { rows: n, cols, data };
  for (const params of [
    { maxRounds: 30, maxDepth: 5, subsample: 0.8 },
    { maxRounds: 20, growPolicy: 'lossguide' as const, maxLeaves: 12, maxDepth: 0 },
  ]) {
    const sparse = trainGbdt(x, y, { params });
    const dense = trainGbdt(x, y, { params, sparseHistograms: false });
    assert.ok(
      sparse.trees.some((t) => t.feature.length > 1),
      'the trees split',
    );
    assert.deepEqual(sparse.trees, dense.trees);
  }
});

test('GOSS ranks as well as full rows, repeats for a seed and checks its shares', () => {
  const train = synthetic(6000, 8, 21, additive);
  const test_ = synthetic(4000, 8, 22, additive);
  const params = { maxRounds: 120, maxDepth: 4, learningRate: 0.1 };
  const full = trainGbdt(train.x, train.y, { params });
  const goss = trainGbdt(train.x, train.y, { params: { ...params, gossTop: 0.2, gossOther: 0.1 } });
  const [aFull, aGoss] = [full, goss].map((m) => auroc(m.predict(test_.x), test_.y));
  assert.ok(aGoss > aFull - 0.01, `GOSS AUROC ${aGoss} vs full ${aFull}`);
  assert.notDeepEqual(goss.trees, full.trees, 'GOSS samples rows');
  // The same seed gives the same sample, so the same model.
  const again = trainGbdt(train.x, train.y, { params: { ...params, gossTop: 0.2, gossOther: 0.1 } });
  assert.deepEqual(again.trees, goss.trees);
  assert.throws(() => trainGbdt(train.x, train.y, { params: { gossTop: 0.6, gossOther: 0.5 } }), /gossOther/);
});
