import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../platform/random.ts';
import type { Matrix } from './learn/matrix.ts';
import { loadScorer } from './scorer.ts';
import { SUBJECT_KINDS } from './signals.ts';

/**
 * Rows that walk many paths of a fixed model: each value sits just beside one of the model's own split
 * thresholds for its feature, or is missing.
 */
function probeRows(thresholds: number[][], n: number, seed: string): Matrix {
  const rng = new Random(seed);
  const cols = thresholds.length;
  const data = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < cols; f++) {
      const t = thresholds[f];
      if (t.length === 0 || rng.chance(0.1)) data[i * cols + f] = Number.NaN;
      else data[i * cols + f] = rng.pick(t) + (rng.chance(0.5) ? -1e-3 : 1e-3);
    }
  }
  return { rows: n, cols, data };
}

/** Probabilities of the bundled model on fixed probe rows, recorded when the learner was rewritten. */
const EXPECTED: Record<string, number[]> = {
  account: [
    0.9930326200958239, 0.8798917946741162, 0.9515452028283496, 0.1050609544648661, 0.06844580195043029,
    0.639804405130797,
  ],
  merchant: [
    0.9481906598345777, 0.055813123573056136, 0.9037228498680347, 0.5088061273849589, 0.9608660175860183,
    0.13229014199541592,
  ],
  listing: [
    0.908595908947108, 0.0024704632527123333, 0.908595908947108, 0.0035973371306178012, 0.0035973371306178012,
    0.908595908947108,
  ],
  order: [
    0.8750062866479562, 0.006249961562973251, 0.6279901458107358, 0.6284294700833332, 0.20843072145912342,
    0.46290264994647734,
  ],
  review: [
    0.7178399301671782, 0.26597041177607833, 0.767541966289998, 0.1347970575294944, 0.6980484840018316,
    0.2926165588881377,
  ],
};

test('the bundled model scores fixed rows exactly as before', () => {
  const scorer = loadScorer();
  const got: Record<string, number[]> = {};
  for (const kind of SUBJECT_KINDS) {
    const km = scorer.kinds[kind];
    if (!km) continue;
    const m = km.model;
    const thresholds = m.featureNames.map(() => [] as number[]);
    for (const t of m.trees)
      for (let n = 0; n < t.feature.length; n++) {
        if (t.feature[n] >= 0) thresholds[t.feature[n]].push(t.threshold[n]);
      }
    got[kind] = Array.from(m.predict(probeRows(thresholds, 6, `probe:${kind}`)));
  }
  assert.deepEqual(got, EXPECTED);
});
