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

/**
 * Sorts columns of a row-major float32 matrix by value, keeping each value's row: values become uint32 keys
 * that order like the floats (−0 just before +0, which compare equal anyway) and are radix-sorted on their
 * four bytes, a pass skipped when every key shares that byte. Linear in the rows, so binning costs a few
 * passes over the data instead of a comparison sort plus one binary search per value.
 */
class ColumnSorter {
  private readonly keyA: Uint32Array[];
  private readonly rowA: Int32Array[];
  private readonly keyB: Uint32Array;
  private readonly rowB: Int32Array;
  private readonly counts = new Int32Array(4 * 256);
  private readonly floatView: Float32Array;
  private readonly keyView: Uint32Array;
  private readonly filled: Int32Array;
  /** After sortBlock: per column of the block, its sorted values and their rows, and how many are not NaN. */
  readonly values: Float64Array[];
  readonly rowsOf: Int32Array[];
  readonly count: Int32Array;

  constructor(private readonly x: Matrix) {
    const w = Math.min(BLOCK, x.cols);
    const n = x.rows;
    this.keyA = Array.from({ length: w }, () => new Uint32Array(n));
    this.rowA = Array.from({ length: w }, () => new Int32Array(n));
    this.keyB = new Uint32Array(n);
    this.rowB = new Int32Array(n);
    this.values = Array.from({ length: w }, () => new Float64Array(n));
    this.rowsOf = Array.from({ length: w }, () => new Int32Array(n));
    this.count = new Int32Array(w);
    this.floatView = new Float32Array(1);
    this.keyView = new Uint32Array(this.floatView.buffer);
    this.filled = new Int32Array(w);
  }

  /** Sorts columns f0 .. f0 + w − 1 (w ≤ BLOCK). */
  sortBlock(f0: number, w: number): void {
    const { x, keyA, rowA, filled } = this;
    const bits = new Uint32Array(x.data.buffer, x.data.byteOffset, x.data.length);
    filled.fill(0);
    for (let i = 0; i < x.rows; i++) {
      const base = i * x.cols + f0;
      for (let j = 0; j < w; j++) {
        const v = x.data[base + j];
        if (Number.isNaN(v)) continue;
        const b = bits[base + j];
        const m = filled[j]++;
        keyA[j][m] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
        rowA[j][m] = i;
      }
    }
    for (let j = 0; j < w; j++) this.sortColumn(j, filled[j]);
  }

  private sortColumn(j: number, m: number): void {
    const counts = this.counts;
    counts.fill(0);
    let src = this.keyA[j];
    let srcRow = this.rowA[j];
    for (let i = 0; i < m; i++) {
      const k = src[i];
      counts[k & 255]++;
      counts[256 + ((k >>> 8) & 255)]++;
      counts[512 + ((k >>> 16) & 255)]++;
      counts[768 + (k >>> 24)]++;
    }
    let dst = this.keyB;
    let dstRow = this.rowB;
    for (let pass = 0; pass < 4; pass++) {
      const shift = 8 * pass;
      const c = pass * 256;
      if (m === 0 || counts[c + ((src[0] >>> shift) & 255)] === m) continue;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const t = counts[c + b];
        counts[c + b] = sum;
        sum += t;
      }
      for (let i = 0; i < m; i++) {
        const k = src[i];
        const p = counts[c + ((k >>> shift) & 255)]++;
        dst[p] = k;
        dstRow[p] = srcRow[i];
      }
      [src, dst] = [dst, src];
      [srcRow, dstRow] = [dstRow, srcRow];
    }
    const values = this.values[j];
    const rows = this.rowsOf[j];
    const { floatView, keyView } = this;
    for (let i = 0; i < m; i++) {
      const k = src[i];
      keyView[0] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
      values[i] = floatView[0];
      rows[i] = srcRow[i];
    }
    this.count[j] = m;
  }
}

/** Bins of one sorted column: bound pointer moves up with the values (bin = 1 + first bound ≥ v). */
function fillBins(
  bins: Uint8Array,
  col: number,
  upper: Float64Array,
  values: Float64Array,
  rows: Int32Array,
  m: number,
): void {
  let b = 0;
  for (let k = 0; k < m; k++) {
    const v = values[k];
    while (v > upper[b]) b++;
    bins[col + rows[k]] = b + 1;
  }
}

/** Quantile cut points over distinct values, each distinct value its own bin when there are few enough. */
export function fitBinBounds(x: Matrix, maxBins: number): Float64Array[] {
  return binColumns(x, maxBins, null);
}

/** Fits the bounds and, when `bins` is given, bins x with them, from one sort of each column. */
function binColumns(x: Matrix, maxBins: number, bins: Uint8Array | null): Float64Array[] {
  return binColumnRange(x, 0, x.cols, maxBins, bins);
}

/**
 * binColumns for columns [from, to) only: each column's bounds and bins depend on that column alone, so
 * ranges binned apart (on different threads, see GbdtPool.bin) give exactly the whole matrix's bins.
 */
export function binColumnRange(
  x: Matrix,
  from: number,
  to: number,
  maxBins: number,
  bins: Uint8Array | null,
  /** The column whose bins start `bins` (bins of column f are at (f − base) · rows). */
  base = 0,
): Float64Array[] {
  if (maxBins < 2 || maxBins > 255) throw new Error(`gbdt: maxBins must be in 2..255, got ${maxBins}`);
  if (!(from >= 0 && from <= to && to <= x.cols))
    throw new Error(`gbdt: columns ${from}..${to} of ${x.cols}`);
  const out: Float64Array[] = [];
  const sorter = new ColumnSorter(x);
  for (let f0 = from; f0 < to; f0 += BLOCK) {
    const w = Math.min(BLOCK, to - f0);
    sorter.sortBlock(f0, w);
    for (let j = 0; j < w; j++) {
      const m = sorter.count[j];
      const upper = boundsOf(sorter.values[j].subarray(0, m), maxBins);
      out.push(upper);
      if (bins) fillBins(bins, (f0 + j - base) * x.rows, upper, sorter.values[j], sorter.rowsOf[j], m);
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

/** A Uint8Array on shared memory, so worker threads read the bins without a copy. */
export function sharedBytes(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
}

/** Bins a matrix with given bounds (fit them on training rows with fitBinBounds). */
export function applyBins(x: Matrix, upper: Float64Array[]): Binned {
  if (upper.length !== x.cols) throw new Error(`gbdt: ${upper.length} bin bounds for ${x.cols} columns`);
  const bins = sharedBytes(x.rows * x.cols);
  const sorter = new ColumnSorter(x);
  for (let f0 = 0; f0 < x.cols; f0 += BLOCK) {
    const w = Math.min(BLOCK, x.cols - f0);
    sorter.sortBlock(f0, w);
    for (let j = 0; j < w; j++) {
      fillBins(bins, (f0 + j) * x.rows, upper[f0 + j], sorter.values[j], sorter.rowsOf[j], sorter.count[j]);
    }
  }
  return { rows: x.rows, cols: x.cols, bins, upper };
}

/** fitBinBounds then applyBins on the same matrix, sorting each column once for both. */
export function binMatrix(x: Matrix, maxBins = 255): Binned {
  const bins = sharedBytes(x.rows * x.cols);
  const upper = binColumns(x, maxBins, bins);
  return { rows: x.rows, cols: x.cols, bins, upper };
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

/** The columns of `a` followed by those of `b` (same rows): column-major bins simply follow each other. */
export function joinBinnedColumns(a: Binned, b: Binned): Binned {
  if (a.rows !== b.rows) throw new Error(`joinBinnedColumns: ${a.rows} rows and ${b.rows} rows`);
  const bins = sharedBytes(a.bins.length + b.bins.length);
  bins.set(a.bins, 0);
  bins.set(b.bins, a.bins.length);
  return { rows: a.rows, cols: a.cols + b.cols, bins, upper: [...a.upper, ...b.upper] };
}
