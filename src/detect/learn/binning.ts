// Quantile binning of feature columns for histogram-based tree learning; bin 0 is kept for missing values.
import { type Matrix, sortedColumn } from './matrix.ts';

/**
 * Per-feature quantile bins, column-major: bins[f * rows + i] is 0 for missing, else 1 + the index of the
 * first upper bound ≥ v. Column-major keeps each feature's histogram (≤ 4 KB) hot in L1 while it is built.
 */
export interface Binned {
  rows: number;
  cols: number;
  bins: Uint8Array;
  /** Per feature, the upper bound of each value bin (last is +Infinity). */
  upper: Float64Array[];
}

/** Quantile cut points over distinct values, each distinct value its own bin when there are few enough. */
export function fitBinBounds(x: Matrix, maxBins: number): Float64Array[] {
  if (maxBins < 2 || maxBins > 255) throw new Error(`gbdt: maxBins must be in 2..255, got ${maxBins}`);
  const out: Float64Array[] = [];
  const col = new Float64Array(x.rows);
  for (let f = 0; f < x.cols; f++) {
    const sorted = sortedColumn(x, f, col);
    const m = sorted.length;
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let k = 0; k < m; k++) {
      if (k === 0 || sorted[k] !== sorted[k - 1]) {
        distinct.push(sorted[k]);
        counts.push(1);
      } else counts[counts.length - 1]++;
    }
    const bounds: number[] = [];
    if (distinct.length <= maxBins) {
      for (let d = 0; d + 1 < distinct.length; d++) bounds.push((distinct[d] + distinct[d + 1]) / 2);
    } else {
      // Greedy equal-frequency cuts, re-aiming after each cut so heavy ties do not eat the budget.
      let done = 0;
      let acc = 0;
      for (let d = 0; d + 1 < distinct.length && bounds.length < maxBins - 1; d++) {
        acc += counts[d];
        const target = (m - done) / (maxBins - bounds.length);
        if (acc - done >= target) {
          bounds.push((distinct[d] + distinct[d + 1]) / 2);
          done = acc;
        }
      }
    }
    bounds.push(Number.POSITIVE_INFINITY);
    out.push(Float64Array.from(bounds));
  }
  return out;
}

function binOf(upper: Float64Array, v: number): number {
  if (Number.isNaN(v)) return 0;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** Bins a matrix with given bounds (fit them on training rows with fitBinBounds). */
export function applyBins(x: Matrix, upper: Float64Array[]): Binned {
  if (upper.length !== x.cols) throw new Error(`gbdt: ${upper.length} bin bounds for ${x.cols} columns`);
  const bins = new Uint8Array(x.rows * x.cols);
  for (let f = 0; f < x.cols; f++) {
    const u = upper[f];
    const col = f * x.rows;
    for (let i = 0; i < x.rows; i++) bins[col + i] = binOf(u, x.data[i * x.cols + f]);
  }
  return { rows: x.rows, cols: x.cols, bins, upper };
}

export function binMatrix(x: Matrix, maxBins = 255): Binned {
  return applyBins(x, fitBinBounds(x, maxBins));
}
