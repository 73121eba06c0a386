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
    0.05046082563191325, 0.03125311369628373, 0.9693540039038812, 0.7888759077182244, 0.19462140693377097,
    0.06549901699596006,
  ],
  merchant: [
    0.8442019604975809, 0.5416187211329395, 0.5534314518874999, 0.9636538122667326, 0.9525734455846411,
    0.6116492212026199,
  ],
  listing: [
    0.06884334462655796, 0.15815847227853141, 0.30021861149533896, 0.9598974264392232, 0.9587592705364907,
    0.9629105873103387,
  ],
  order: [
    0.9483574607453974, 0.9996927784343735, 0.9901962789137984, 0.2454918241899859, 0.0376928309171435,
    0.9983190859921374,
  ],
  review: [
    0.9208068837018324, 0.9564680980565266, 0.9092014633066442, 0.9719098077490531, 0.9028555845808899,
    0.012395794276356478,
  ],
  'context.account': [
    0.9271690653276355, 0.9782409773330201, 0.7280307124433931, 0.7553173842172998, 0.9872613827413277,
    0.26391315734262205,
  ],
  'context.merchant': [
    0.9498448649937259, 0.9759078754794511, 0.7708497439832109, 0.6698573145011496, 0.6301802859284056,
    0.741419729838452,
  ],
  'context.listing': [
    0.00013658919717511668, 0.0022915009087264085, 0.002509493753319399, 0.997042116965828,
    0.9965648086205775, 0.22561070420494708,
  ],
  'context.order': [
    0.01310622501944992, 0.03856540405982722, 0.014061570056888796, 0.0004794148000220865,
    0.035696990918020484, 0.0008589801040664517,
  ],
  'context.review': [
    0.011744848563302232, 0.9052980437757833, 0.09835133894955198, 0.8462824405062664, 0.03811792034946585,
    0.9870611335802586,
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
