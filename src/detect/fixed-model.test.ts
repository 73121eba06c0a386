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
    0.892454876191206, 0.9965741885467743, 0.6301568054697118, 0.6437943586298729, 0.9995082065656291,
    0.9997073798362688,
  ],
  merchant: [
    0.9312482146902015, 0.5139918776729244, 0.9940416964496712, 0.9184279512150435, 0.7068834105714897,
    0.91230842923527,
  ],
  listing: [
    0.013119564917699509, 0.9276024461089706, 0.04692130516315357, 0.15227346544479423, 0.9191550345827019,
    0.9236731499607367,
  ],
  order: [
    0.7754895355596348, 0.8364196471208033, 0.22201578074620856, 0.880319452618779, 0.5108232882699665,
    0.14115950679716774,
  ],
  review: [
    0.9979933123720515, 0.9125385007612504, 0.9508550577168846, 0.5927890299919553, 0.9872169908403173,
    0.9790687616697344,
  ],
  'context.account': [
    0.9326969582059725, 0.0007103021363998211, 0.9668979626963291, 0.019701110339177298, 0.9656756841045794,
    0.4921506670033723,
  ],
  'context.merchant': [
    0.670636865857383, 0.8137560324325274, 0.6413539287814229, 0.6953681169190874, 0.9128564621159263,
    0.8312843409067615,
  ],
  'context.listing': [
    0.004295269224527908, 0.007385370366124625, 0.026642598802351453, 0.036625243684124925,
    0.9203419612969166, 0.9343808004778259,
  ],
  'context.order': [
    0.6806970373811192, 0.01724325740860802, 0.22338301880536346, 0.9240473445178226, 0.25138253553031287,
    0.933229476755077,
  ],
  'context.review': [
    0.8088182394557372, 0.612502537934837, 0.8491639595243209, 0.9439165678391507, 0.03816588930745163,
    0.4309659400856743,
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
