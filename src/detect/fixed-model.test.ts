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
    0.03962997634669878, 0.9463379312060739, 0.00691209640288911, 0.97526718181621, 0.6884576646895425,
    0.17279456523275774,
  ],
  merchant: [
    0.9834965162790825, 0.7923203066805328, 0.465436767896497, 0.9935272753177801, 0.8733963719336724,
    0.49951454916020555,
  ],
  listing: [
    0.06884334462655796, 0.15815847227853141, 0.30021861149533896, 0.9598974264392232, 0.9587592705364907,
    0.9629105873103387,
  ],
  order: [
    0.9080821272391499, 0.5699086965002318, 0.9421347665136071, 0.9595946710855865, 0.7499148675182064,
    0.13101412370278423,
  ],
  review: [
    0.08446387944259637, 0.9529676097357448, 0.9727489346459536, 0.6815236941456996, 0.8711817203142108,
    0.8187833643420982,
  ],
  'context.account': [
    0.9687809212295245, 0.8059149821946545, 0.9847632108237295, 0.18537156899420903, 0.9470981645666116,
    0.2511891456486886,
  ],
  'context.merchant': [
    0.9227747793910205, 0.7193525748768026, 0.7293350356992981, 0.7965405437386598, 0.4922325031785093,
    0.4696249177224019,
  ],
  'context.listing': [
    0.0019645653581033618, 0.47399609194154035, 0.1636378241934946, 0.995445679477679, 0.995445679477679,
    0.995445679477679,
  ],
  'context.order': [
    0.17230475345506516, 0.2566311312537511, 0.8913021865684917, 0.1523598827199497, 0.09974703985021734,
    0.30768186409429776,
  ],
  'context.review': [
    0.14165010895935823, 0.9199733310447801, 0.31315113936721956, 0.42383783254083507, 0.2391719222690772,
    0.869645379129915,
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
