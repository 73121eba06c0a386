// Blending weights for several scorers, chosen on validation data by greedy forward selection with
// replacement (Caruana et al., "Ensemble selection from libraries of models", ICML 2004).
import { averagePrecision } from '../../detect/index.ts';

/** Weighted sum of margin vectors (weights are used as given). */
export function blendMargins(margins: ArrayLike<number>[], weights: number[]): Float64Array {
  if (margins.length !== weights.length) throw new Error('blend: one weight per margin vector');
  const n = margins[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let k = 0; k < margins.length; k++) {
    if (margins[k].length !== n) throw new Error('blend: margin vectors differ in length');
    if (weights[k] === 0) continue;
    for (let i = 0; i < n; i++) out[i] += weights[k] * margins[k][i];
  }
  return out;
}

/**
 * Weights summing to 1 from `steps` greedy picks: each step adds one more unit of the scorer whose addition
 * gives the best validation score (ties go to the earlier scorer, so list the preferred one first). Coarse
 * integer weights and few steps keep the choice from fitting validation noise.
 */
export function greedyWeights(
  valMargins: ArrayLike<number>[],
  labels: ArrayLike<number>,
  steps: number,
  score: (margins: Float64Array, labels: ArrayLike<number>) => number = averagePrecision,
): number[] {
  if (valMargins.length === 0) throw new Error('greedyWeights: no scorers');
  if (!(Number.isInteger(steps) && steps >= 1))
    throw new Error(`greedyWeights: steps must be ≥ 1, got ${steps}`);
  const counts = valMargins.map(() => 0);
  const n = labels.length;
  const sum = new Float64Array(n);
  const trial = new Float64Array(n);
  for (let s = 1; s <= steps; s++) {
    let pick = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < valMargins.length; k++) {
      const m = valMargins[k];
      for (let i = 0; i < n; i++) trial[i] = (sum[i] + m[i]) / s;
      const v = score(trial, labels);
      if (v > bestScore) {
        bestScore = v;
        pick = k;
      }
    }
    counts[pick]++;
    const m = valMargins[pick];
    for (let i = 0; i < n; i++) sum[i] += m[i];
  }
  return counts.map((c) => c / steps);
}

export interface BlendChoice {
  weights: number[];
  /** 'default' when the prior blend was kept, 'greedy' when validation clearly preferred the greedy one. */
  source: 'default' | 'greedy';
  defaultValAp: number;
  greedyValAp: number;
}

/**
 * Keeps a default blend unless the greedy blend beats it on validation AP by more than `margin`. The
 * default comes from many inner re-splits, so one validation draw must show a clear gain to overrule it.
 * Without a default (all zero) the greedy blend is used.
 */
export function chooseBlend(
  valMargins: ArrayLike<number>[],
  labels: ArrayLike<number>,
  opts: { defaultWeights: number[]; steps: number; margin: number },
): BlendChoice {
  const greedy = greedyWeights(valMargins, labels, opts.steps);
  const greedyValAp = averagePrecision(blendMargins(valMargins, greedy), labels);
  const total = opts.defaultWeights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) return { weights: greedy, source: 'greedy', defaultValAp: Number.NaN, greedyValAp };
  const prior = opts.defaultWeights.map((w) => w / total);
  const defaultValAp = averagePrecision(blendMargins(valMargins, prior), labels);
  return greedyValAp > defaultValAp + opts.margin
    ? { weights: greedy, source: 'greedy', defaultValAp, greedyValAp }
    : { weights: prior, source: 'default', defaultValAp, greedyValAp };
}
