// Blending weights for several scorers, chosen on validation data by greedy forward selection with
// replacement (Caruana et al., "Ensemble selection from libraries of models", ICML 2004).
import { averagePrecision } from './metrics.ts';

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
