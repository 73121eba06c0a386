import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc, type Matrix } from '../../detect/index.ts';
import { Random } from '../../platform/random.ts';
import {
  applyQuantileScaler,
  fitQuantileScaler,
  normalQuantile,
  predictLogistic,
  trainLogistic,
} from './linear.ts';

test('normalQuantile matches known standard-normal quantiles', () => {
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-12);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.326347874) < 1e-8);
  assert.ok(Math.abs(normalQuantile(1e-6) + 4.753424309) < 1e-7);
  assert.throws(() => normalQuantile(1));
});

test('quantile scaler is monotone, tames outliers and maps missing to 0', () => {
  const x: Matrix = { rows: 5, cols: 1, data: Float32Array.from([1, 2, 3, 4, 1e9]) };
  const s = fitQuantileScaler(x);
  const z = applyQuantileScaler(s, {
    rows: 4,
    cols: 1,
    data: Float32Array.from([2.5, 1e12, Number.NaN, -5]),
  });
  assert.ok(z.data[0] > s.scores[0][1] && z.data[0] < s.scores[0][2], 'interpolates between neighbours');
  assert.equal(z.data[1], Math.fround(s.scores[0][4]), 'beyond the largest training value: its score');
  assert.ok(z.data[1] < 2, 'an extreme value stays within the training range of scores');
  assert.equal(z.data[2], 0);
  assert.equal(z.data[3], Math.fround(s.scores[0][0]));
});

test('logistic regression recovers a linear rule through a monotone distortion', () => {
  const rng = new Random(11);
  const make = (n: number) => {
    const data = new Float32Array(n * 3);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      // The learner sees exp(a) (heavy-tailed), b, and pure noise.
      data.set([Math.exp(a), b, rng.normal()], i * 3);
      y[i] = rng.next() < 1 / (1 + Math.exp(-(2 * a - b - 1))) ? 1 : 0;
    }
    return { x: { rows: n, cols: 3, data } as Matrix, y };
  };
  const train = make(3000);
  const test_ = make(2000);
  const model = trainLogistic(train.x, train.y, { lambda: 1 });
  assert.ok(model.weights[0] > 0 && model.weights[1] < 0, `weights ${Array.from(model.weights)}`);
  assert.ok(Math.abs(model.weights[2]) < 0.2 * model.weights[0], 'noise column gets a small weight');
  assert.ok(auroc(predictLogistic(model, test_.x), test_.y) > 0.8);
  assert.throws(() => trainLogistic(train.x, train.y.subarray(1)), /labels/);
});
