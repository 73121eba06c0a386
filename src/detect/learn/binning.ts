// Quantile binning of feature columns for histogram-based tree learning; bin 0 is kept for missing values.
import type { Matrix } from './matrix.ts';

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

/** Columns per pass over a row-major matrix: one pass reads a row's block contiguously for all of them. */
const BLOCK = 16;

/** Quantile cut points over distinct values, each distinct value its own bin when there are few enough. */
export function fitBinBounds(x: Matrix, maxBins: number): Float64Array[] {
  if (maxBins < 2 || maxBins > 255) throw new Error(`gbdt: maxBins must be in 2..255, got ${maxBins}`);
  const out: Float64Array[] = [];
  // Values are float32, so each column sorts as uint32 keys that order like the floats (about twice as fast
  // as a float sort); −0 still sorts before +0 and the two still count as one value.
  const cols = Array.from({ length: Math.min(BLOCK, x.cols) }, () => new Float32Array(x.rows));
  const keys = cols.map((c) => new Uint32Array(c.buffer));
  const filled = new Int32Array(cols.length);
  const sorted = new Float64Array(x.rows);
  for (let f0 = 0; f0 < x.cols; f0 += BLOCK) {
    const w = Math.min(BLOCK, x.cols - f0);
    filled.fill(0);
    for (let i = 0; i < x.rows; i++) {
      const base = i * x.cols + f0;
      for (let j = 0; j < w; j++) {
        const v = x.data[base + j];
        if (!Number.isNaN(v)) cols[j][filled[j]++] = v;
      }
    }
    for (let j = 0; j < w; j++) {
      const m = filled[j];
      const k = keys[j].subarray(0, m);
      for (let i = 0; i < m; i++) k[i] = k[i] & 0x80000000 ? ~k[i] >>> 0 : (k[i] | 0x80000000) >>> 0;
      k.sort();
      for (let i = 0; i < m; i++) k[i] = k[i] & 0x80000000 ? (k[i] & 0x7fffffff) >>> 0 : ~k[i] >>> 0;
      for (let i = 0; i < m; i++) sorted[i] = cols[j][i];
      out.push(boundsOf(sorted.subarray(0, m), maxBins));
    }
  }
  return out;
}

function boundsOf(sorted: Float64Array, maxBins: number): Float64Array {
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
  return Float64Array.from(bounds);
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

/** A Uint8Array on shared memory, so worker threads read the bins without a copy. */
function sharedBytes(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
}

/** Bins a matrix with given bounds (fit them on training rows with fitBinBounds). */
export function applyBins(x: Matrix, upper: Float64Array[]): Binned {
  if (upper.length !== x.cols) throw new Error(`gbdt: ${upper.length} bin bounds for ${x.cols} columns`);
  const bins = sharedBytes(x.rows * x.cols);
  const { rows, cols, data } = x;
  for (let f0 = 0; f0 < cols; f0 += BLOCK) {
    const w = Math.min(BLOCK, cols - f0);
    for (let i = 0; i < rows; i++) {
      const base = i * cols + f0;
      for (let j = 0; j < w; j++) bins[(f0 + j) * rows + i] = binOf(upper[f0 + j], data[base + j]);
    }
  }
  return { rows, cols, bins, upper };
}

export function binMatrix(x: Matrix, maxBins = 255): Binned {
  return applyBins(x, fitBinBounds(x, maxBins));
}

/** The given rows of binned data, in the given order (same bounds). */
export function selectBinnedRows(b: Binned, rows: ArrayLike<number>): Binned {
  const m = rows.length;
  const bins = sharedBytes(m * b.cols);
  for (let k = 0; k < m; k++) {
    const i = rows[k];
    if (!(i >= 0 && i < b.rows)) throw new Error(`selectBinnedRows: row ${i} outside 0..${b.rows - 1}`);
  }
  for (let f = 0; f < b.cols; f++) {
    const from = f * b.rows;
    const to = f * m;
    for (let k = 0; k < m; k++) bins[to + k] = b.bins[from + rows[k]];
  }
  return { rows: m, cols: b.cols, bins, upper: b.upper };
}
