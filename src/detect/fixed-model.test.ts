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

/** Probabilities of the bundled model on fixed probe rows, recorded when it was last retrained. */
const EXPECTED: Record<string, number[]> = {
  account: [
    0.5417728603614661, 0.8872869452831359, 0.0759711428052577, 0.9452547321811611, 0.9985368906026951,
    0.1072255700618789,
  ],
  merchant: [
    0.9612374375024397, 0.3362989490205772, 0.861869808823946, 0.5946573133029056, 0.7840062937620913,
    0.9783099208821004,
  ],
  listing: [
    0.8755290239763706, 0.9482520816913684, 0.5447036794654153, 0.9563688762413918, 0.9524277403057786,
    0.9482520816913684,
  ],
  order: [
    0.956925973376463, 0.01845736301995402, 0.17908069033256047, 0.9644262267191093, 0.8866275862489694,
    0.9747239359501224,
  ],
  review: [
    0.7735726322894054, 0.08421272176935928, 0.04167631889813071, 0.969345756224044, 0.6266812798234054,
    0.9199496635444495,
  ],
  'context.account': [
    0.1923341161764704, 0.3921809242597335, 0.5268050952788317, 0.961173578150369, 0.8974584152862181,
    0.006107926628599804,
  ],
  'context.merchant': [
    0.9886779167192644, 0.9521760331478868, 0.9232881116269812, 0.9470208891835993, 0.8586807609743643,
    0.9742864787872348,
  ],
  'context.listing': [
    0.9450763889027819, 0.9941765076941592, 0.0013047916363229585, 0.9956702704115761, 0.006087826150516548,
    0.9952701260647541,
  ],
  'context.order': [
    0.0027013027181142517, 0.22141445447849714, 0.03271376962851488, 0.21886741097635135, 0.5018630114965799,
    0.9626822084191574,
  ],
  'context.review': [
    0.23857048910640014, 0.9542984735539227, 0.942468758273031, 0.14996900928187673, 0.06773395136905802,
    0.13394826132018486,
  ],
};

test('the bundled model scores fixed rows exactly as before, both stages', () => {
  const scorer = loadScorer();
  assert.ok(scorer.context, 'the bundled model has its second stage');
  const got: Record<string, number[]> = {};
  for (const [stage, kinds] of [
    ['', scorer.kinds],
    ['context.', scorer.context],
  ] as const) {
    for (const kind of SUBJECT_KINDS) {
      const km = kinds[kind];
      if (!km) continue;
      const m = km.model;
      const thresholds = m.featureNames.map(() => [] as number[]);
      for (const t of m.trees)
        for (let n = 0; n < t.feature.length; n++) {
          if (t.feature[n] >= 0) thresholds[t.feature[n]].push(t.threshold[n]);
        }
      got[stage + kind] = Array.from(m.predict(probeRows(thresholds, 6, `probe:${stage}${kind}`)));
    }
  }
  if (process.env.PRINT_PROBES) console.log(JSON.stringify(got));
  assert.deepEqual(got, EXPECTED);
});
