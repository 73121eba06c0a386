import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  auroc,
  averagePrecision,
  bestThreshold,
  confusionAt,
  f1Macro,
  logLoss,
  reportAt,
} from './metrics.ts';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('auroc: perfect, reversed and hand-computed rankings', () => {
  close(auroc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]), 1);
  close(auroc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]), 0);
  // Pairs (pos, neg): (0.8 > 0.1), (0.8 > 0.4), (0.35 > 0.1), (0.35 < 0.4) → 3 of 4.
  close(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
});

test('auroc: ties count one half', () => {
  close(auroc([0.5, 0.5], [1, 0]), 0.5);
  // pos {0.5, 0.9}, neg {0.5, 0.1}: pairs 0.5/0.5 tie, 0.5>0.1, 0.9>0.5, 0.9>0.1 → 3.5/4.
  close(auroc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0]), 0.875);
  close(auroc([0.3, 0.3, 0.3], [1, 0, 0]), 0.5);
});

test('auroc and AP are NaN when a class is absent', () => {
  assert.ok(Number.isNaN(auroc([0.1, 0.2], [0, 0])));
  assert.ok(Number.isNaN(auroc([0.1, 0.2], [1, 1])));
  assert.ok(Number.isNaN(averagePrecision([0.1, 0.2], [0, 0])));
  close(averagePrecision([0.1, 0.2], [1, 1]), 1);
});

test('average precision matches the step-wise (scikit-learn) definition', () => {
  // sklearn.metrics.average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333…
  close(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 5 / 6);
  close(averagePrecision([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]), 1);
  // Ranked 1,0,1,0,0: (1/2)·1 + (1/2)·(2/3).
  close(averagePrecision([5, 4, 3, 2, 1], [1, 0, 1, 0, 0]), 0.5 + 1 / 3);
});

test('average precision treats tied scores as one threshold', () => {
  // All tied: one threshold, precision = prevalence.
  close(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]), 0.25);
  // Top group {1, 0} tied: recall 1/2 at precision 1/2, then {1} at 2/3.
  close(averagePrecision([0.9, 0.9, 0.5, 0.1], [1, 0, 1, 0]), 0.5 * 0.5 + 0.5 * (2 / 3));
});

test('confusion, precision/recall/F1 and F1-macro at a threshold', () => {
  const scores = [0.9, 0.8, 0.6, 0.4, 0.2, 0.1];
  const labels = [1, 0, 1, 1, 0, 0];
  assert.deepEqual(confusionAt(scores, labels, 0.5), { tp: 2, fp: 1, tn: 2, fn: 1 });
  const r = reportAt(scores, labels, 0.5);
  close(r.precision, 2 / 3);
  close(r.recall, 2 / 3);
  close(r.f1, 2 / 3);
  close(r.f1Negative, 2 / 3);
  close(f1Macro(scores, labels, 0.5), 2 / 3);
  // Nothing predicted positive: F1 of fraud is 0, F1 of class 0 is 2·3/(2·3+3).
  const none = reportAt(scores, labels, 2);
  assert.equal(none.f1, 0);
  close(none.f1Negative, 6 / 9);
});

test('bestThreshold finds the F1-macro optimum and separates perfectly when possible', () => {
  const scores = [0.95, 0.9, 0.7, 0.3, 0.2, 0.05];
  const labels = [1, 1, 1, 0, 0, 0];
  const best = bestThreshold(scores, labels, 'f1_macro');
  close(best.f1Macro, 1);
  assert.ok(best.threshold > 0.3 && best.threshold <= 0.7);
  close(reportAt(scores, labels, best.threshold).f1Macro, 1);
  const f1 = bestThreshold([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0], 'f1');
  close(f1.f1, reportAt([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0], f1.threshold).f1);
  close(f1.f1, 0.8);
});

test('bestThreshold with one class only does not throw', () => {
  const r = bestThreshold([0.2, 0.4], [0, 0]);
  close(r.f1Macro, 0.5);
});

test('logLoss of confident right and wrong answers', () => {
  close(logLoss([0.5, 0.5], [1, 0]), Math.log(2));
  assert.ok(logLoss([0.999], [1]) < 0.01);
  assert.ok(logLoss([0], [1]) > 30);
});

test('length mismatch throws', () => {
  assert.throws(() => auroc([0.1], [1, 0]), /1 scores but 2 labels/);
});
