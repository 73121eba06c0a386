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
    0.9794257374839938, 0.9235194541506027, 0.9719891413739233, 0.10017764345161134, 0.23047527973054724,
    0.18973270007152518,
  ],
  merchant: [
    0.8213571030815786, 0.20592706449111878, 0.16128172091219034, 0.7104820301147851, 0.40438135754131543,
    0.9393055519423115,
  ],
  listing: [
    0.06884334462655796, 0.15815847227853141, 0.30021861149533896, 0.9598974264392232, 0.9587592705364907,
    0.9629105873103387,
  ],
  order: [
    0.8358997893244384, 0.7198684330994862, 0.12660864374532027, 0.3615399375499237, 0.3477228122019902,
    0.8406479376925657,
  ],
  review: [
    0.9014584804583988, 0.06578662957846901, 0.8949701047208608, 0.19514031602377427, 0.6713360039618078,
    0.7717457325268153,
  ],
  'context.account': [
    0.3819576274323906, 0.011993030750936183, 0.9917592942395853, 0.152355897216976, 0.40078029547409183,
    0.46599538918171896,
  ],
  'context.merchant': [
    0.9668630807357799, 0.9834377895688172, 0.9377509081957212, 0.9770669406273789, 0.9788223753780867,
    0.5423852190918155,
  ],
  'context.listing': [
    0.005396431864488077, 0.27530985441999994, 0.2510903680857439, 0.9939219399898043, 0.9939219399898043,
    0.9939219399898043,
  ],
  'context.order': [
    0.6679217267804947, 0.7506890301676983, 0.0017324866743321492, 0.10870907047253896, 0.08972822571245356,
    0.06915720851706962,
  ],
  'context.review': [
    0.7845392655263306, 0.9982078142960706, 0.8237909122639452, 0.7875826264922758, 0.04343257976554822,
    0.11858743571543286,
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
