// Grows one regression tree on gradients and hessians over binned columns (the inner loop of gbdt.ts).
import type { Random } from '../../platform/random.ts';
import type { Binned } from './binning.ts';
import type { GbdtParams, Tree } from './gbdt.ts';

interface SplitInfo {
  gain: number;
  feature: number;
  bin: number;
  defaultLeft: boolean;
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Exact gradient and hessian sums (for the leaf value). */
  g: number;
  h: number;
  /** Packed fixed-point sums (for split search, so they match the histograms exactly). */
  packed: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

/**
 * Histogram bins hold gradient and hessian packed as fixed-point integers in one float64 (g·2^k + h), so
 * each row costs one read-modify-write per feature instead of two — the histogram loop is most of the
 * training time. Sums of up to `rows` values stay exact below 2^52; the fixed-point step is chosen from the
 * row count (≥ 11 bits each for 25k rows) and values are rounded stochastically, so sums stay unbiased
 * (the idea of LightGBM's quantized training, at much finer resolution). Leaf values use exact sums.
 */
class Packing {
  readonly shift: number;
  private readonly qg: number;
  private readonly qh: number;
  scaleG = 1;
  scaleH = 1;

  constructor(rows: number) {
    const r = Math.ceil(Math.log2(rows + 1));
    const bits = Math.min(20, Math.floor((52 - 2 * r) / 2));
    if (bits < 4) throw new Error(`gbdt: ${rows} rows is too many for packed histograms`);
    this.qg = 2 ** (bits - 1) - 1;
    this.qh = 2 ** bits - 1;
    this.shift = 2 ** (bits + r);
  }

  /** Fills packed[i] for every row from the exact gradients and hessians. */
  quantize(grad: Float64Array, hess: Float64Array, packed: Float64Array, rng: Random): void {
    let maxG = 0;
    let maxH = 0;
    for (let i = 0; i < grad.length; i++) {
      maxG = Math.max(maxG, Math.abs(grad[i]));
      maxH = Math.max(maxH, hess[i]);
    }
    this.scaleG = maxG > 0 ? this.qg / maxG : 1;
    this.scaleH = maxH > 0 ? this.qh / maxH : 1;
    for (let i = 0; i < grad.length; i++) this.pack(grad, hess, packed, rng, i);
  }

  /** quantize for rows idx[0, count) only (the rows a tree is grown on), scaled to those rows. */
  quantizeRows(
    grad: Float64Array,
    hess: Float64Array,
    packed: Float64Array,
    rng: Random,
    idx: Int32Array,
    count: number,
  ): void {
    let maxG = 0;
    let maxH = 0;
    for (let k = 0; k < count; k++) {
      const i = idx[k];
      maxG = Math.max(maxG, Math.abs(grad[i]));
      maxH = Math.max(maxH, hess[i]);
    }
    this.scaleG = maxG > 0 ? this.qg / maxG : 1;
    this.scaleH = maxH > 0 ? this.qh / maxH : 1;
    for (let k = 0; k < count; k++) this.pack(grad, hess, packed, rng, idx[k]);
  }

  private pack(grad: Float64Array, hess: Float64Array, packed: Float64Array, rng: Random, i: number): void {
    // One 32-bit draw gives both rounding offsets (its high and low 16 bits, exactly).
    const r = rng.next() * 65536;
    const hi = Math.floor(r);
    const gq = Math.floor(grad[i] * this.scaleG + hi / 65536);
    const hq = Math.floor(hess[i] * this.scaleH + (r - hi));
    packed[i] = gq * this.shift + hq;
  }

  gradOf(s: number): number {
    return Math.floor(s / this.shift) / this.scaleG;
  }

  hessOf(s: number): number {
    return (s - Math.floor(s / this.shift) * this.shift) / this.scaleH;
  }
}

/** The sparse histogram path is used when at most this share of a tree's values are outside the common bin. */
const SPARSE_SHARE = 0.4;

export interface GrownTree {
  tree: Tree;
  /** Bin threshold per node, to update training margins on binned data. */
  binThreshold: Int32Array;
}

/** Grows trees one at a time over shared buffers (row index list, histogram pool). */
export class TreeBuilder {
  private readonly rows: number;
  private readonly offset: Int32Array;
  private readonly nBins: Int32Array;
  private readonly histSize: number;
  /**
   * Histogram layout of the tree being grown: the slot of each feature's bin 0 and the slots in use. The
   * column scan packs the tree's sampled features side by side (half the memory to clear, subtract and keep
   * in cache under column sampling); the sparse path keeps every feature's slots.
   */
  private lay: Int32Array;
  private laySize = 0;
  private treeSparse: { rowStart: Int32Array; slot: Int32Array; common: Int32Array } | null = null;
  private readonly pool: Float64Array[] = [];
  /** Row indices; each open leaf owns a contiguous segment. Fill idx[0, count) before grow(). */
  readonly idx: Int32Array;
  private readonly tmp: Int32Array;
  private readonly packed: Float64Array;
  private readonly buf: Float64Array;
  private readonly packing: Packing;
  private nodes = emptyNodes();

  constructor(
    private readonly binned: Binned,
    private readonly p: GbdtParams,
    private readonly grad: Float64Array,
    private readonly hess: Float64Array,
    private readonly rng: Random,
    /** False keeps to the column scan (the sparse path gives the same histograms; tests compare them). */
    private readonly allowSparse = true,
  ) {
    this.rows = binned.rows;
    this.offset = new Int32Array(binned.cols);
    this.nBins = new Int32Array(binned.cols);
    let total = 0;
    for (let f = 0; f < binned.cols; f++) {
      this.offset[f] = total;
      this.nBins[f] = binned.upper[f].length + 1;
      total += this.nBins[f];
    }
    this.histSize = total;
    this.lay = new Int32Array(binned.cols);
    this.idx = new Int32Array(this.rows);
    this.tmp = new Int32Array(this.rows);
    this.packed = new Float64Array(this.rows);
    this.buf = new Float64Array(this.rows);
    this.packing = new Packing(this.rows);
  }

  private takeHist(): Float64Array {
    const h = this.pool.pop() ?? new Float64Array(this.histSize);
    h.fill(0, 0, this.laySize);
    return h;
  }

  private release(leaf: OpenLeaf): void {
    if (leaf.hist) this.pool.push(leaf.hist);
    leaf.hist = null;
  }

  /**
   * Row-wise sparse copy of the bins (LightGBM's trick for sparse features): per row, the histogram slots
   * of its values that are not in their feature's most frequent bin. A node's histogram then costs one
   * update per such value, and each feature's most frequent bin is the node's total minus its other bins —
   * exact, since packed sums are integers. Built when it saves enough updates over the column scan.
   */
  private sparse: { rowStart: Int32Array; slot: Int32Array; common: Int32Array } | null = null;
  private sparseChecked = false;

  private sparseFor(feats: Int32Array) {
    if (!this.sparseChecked && this.allowSparse) {
      this.sparseChecked = true;
      const { rows, nBins, offset } = this;
      const { cols, bins } = this.binned;
      const common = new Int32Array(cols);
      let nnz = 0;
      const counts = new Int32Array(256);
      for (let f = 0; f < cols; f++) {
        counts.fill(0);
        const col = f * rows;
        for (let i = 0; i < rows; i++) counts[bins[col + i]]++;
        let best = 0;
        for (let b = 1; b < nBins[f]; b++) if (counts[b] > counts[best]) best = b;
        common[f] = best;
        nnz += rows - counts[best];
      }
      if (nnz <= SPARSE_SHARE * rows * cols) {
        const rowStart = new Int32Array(rows + 1);
        for (let f = 0; f < cols; f++) {
          const col = f * rows;
          for (let i = 0; i < rows; i++) if (bins[col + i] !== common[f]) rowStart[i + 1]++;
        }
        for (let i = 0; i < rows; i++) rowStart[i + 1] += rowStart[i];
        const fill = rowStart.slice(0, rows);
        const slot = new Int32Array(nnz);
        for (let f = 0; f < cols; f++) {
          const col = f * rows;
          for (let i = 0; i < rows; i++) {
            const b = bins[col + i];
            if (b !== common[f]) slot[fill[i]++] = offset[f] + b;
          }
        }
        this.sparse = { rowStart, slot, common };
      }
    }
    // Every value of a row is added, used feature or not: worth it only when the tree uses most features.
    const s = this.sparse;
    return s && s.slot.length <= SPARSE_SHARE * this.rows * feats.length ? s : null;
  }

  private buildHist(hist: Float64Array, start: number, end: number, feats: Int32Array, total: number): void {
    const sp = this.treeSparse;
    if (sp) {
      const { idx, packed, offset, nBins } = this;
      const { rowStart, slot, common } = sp;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        const g = packed[i];
        const to = rowStart[i + 1];
        for (let e = rowStart[i]; e < to; e++) hist[slot[e]] += g;
      }
      for (let j = 0; j < feats.length; j++) {
        const f = feats[j];
        const o = offset[f];
        const c = common[f];
        let rest = 0;
        for (let b = 0; b < nBins[f]; b++) if (b !== c) rest += hist[o + b];
        hist[o + c] = total - rest;
      }
      return;
    }
    const { idx, packed, buf, rows } = this;
    const offset = this.lay;
    const bins = this.binned.bins;
    const m = end - start;
    // Gather the node's packed gradients once so the per-feature loops read them contiguously.
    for (let k = 0; k < m; k++) buf[k] = packed[idx[start + k]];
    // Four features per pass over the rows: one read of the row index and gradient serves four histograms,
    // and the four read-modify-writes are independent, so a run of rows in the same bin of one feature does
    // not stall the loop on its own previous store. Packed sums are exact integers, so the order of the
    // additions does not change the histogram.
    const nf = feats.length;
    let j = 0;
    for (; j + 4 <= nf; j += 4) {
      const f0 = feats[j];
      const f1 = feats[j + 1];
      const f2 = feats[j + 2];
      const f3 = feats[j + 3];
      const o0 = offset[f0];
      const o1 = offset[f1];
      const o2 = offset[f2];
      const o3 = offset[f3];
      const c0 = f0 * rows;
      const c1 = f1 * rows;
      const c2 = f2 * rows;
      const c3 = f3 * rows;
      for (let k = 0; k < m; k++) {
        const i = idx[start + k];
        const g = buf[k];
        hist[o0 + bins[c0 + i]] += g;
        hist[o1 + bins[c1 + i]] += g;
        hist[o2 + bins[c2 + i]] += g;
        hist[o3 + bins[c3 + i]] += g;
      }
    }
    for (; j < nf; j++) {
      const f = feats[j];
      const o = offset[f];
      const col = f * rows;
      for (let k = 0; k < m; k++) hist[o + bins[col + idx[start + k]]] += buf[k];
    }
  }

  /** into −= small over the tree's slots (whole histograms: slots of unused features are zero in both). */
  private subtract(into: Float64Array, small: Float64Array): void {
    const n = this.laySize;
    for (let p = 0; p < n; p++) into[p] -= small[p];
  }

  private bestSplit(leaf: OpenLeaf, feats: Int32Array): SplitInfo | null {
    const hist = leaf.hist;
    if (!hist || leaf.end - leaf.start < 2) return null;
    const { lambda, minChildWeight: mcw } = this.p;
    const pk = this.packing;
    const G = pk.gradOf(leaf.packed);
    const H = pk.hessOf(leaf.packed);
    if (H < 2 * mcw) return null;
    let candidates = feats;
    if (this.p.colsampleByNode < 1) {
      const k = Math.max(1, Math.round(feats.length * this.p.colsampleByNode));
      candidates = Int32Array.from(this.rng.shuffle(Array.from(feats)).slice(0, k));
    }
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestF = -1;
    let bestBin = 0;
    let bestDl = false;
    // Unpacking inlined (multiply by exact powers of two, no division): this loop runs per bin per node.
    const inv = 1 / pk.shift;
    const shift = pk.shift;
    const toG = 1 / pk.scaleG;
    const toH = 1 / pk.scaleH;
    for (let j = 0; j < candidates.length; j++) {
      const f = candidates[j];
      const o = this.lay[f];
      const nb = this.nBins[f];
      const gm = pk.gradOf(hist[o]);
      const hm = pk.hessOf(hist[o]);
      let sl = 0;
      for (let b = 1; b < nb - 1; b++) {
        const v = hist[o + b];
        // An empty bin gives the same split as the previous threshold.
        if (v === 0) continue;
        sl += v;
        const q = Math.floor(sl * inv);
        const gl = q * toG;
        const hl = (sl - q * shift) * toH;
        // Missing values go right.
        let hr = H - hl;
        if (hl >= mcw && hr >= mcw) {
          const gr = G - gl;
          const s = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda);
          if (s > bestScore) {
            bestScore = s;
            bestF = f;
            bestBin = b;
            bestDl = hm === 0 && hl >= hr;
          }
        }
        if (hm > 0) {
          // Missing values go left.
          const gl2 = gl + gm;
          const hl2 = hl + hm;
          hr = H - hl2;
          if (hl2 >= mcw && hr >= mcw) {
            const gr = G - gl2;
            const s = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda);
            if (s > bestScore) {
              bestScore = s;
              bestF = f;
              bestBin = b;
              bestDl = true;
            }
          }
        }
      }
    }
    if (bestF < 0) return null;
    const gain = 0.5 * (bestScore - (G * G) / (H + lambda));
    return gain > this.p.minSplitGain && gain > 1e-12
      ? { gain, feature: bestF, bin: bestBin, defaultLeft: bestDl }
      : null;
  }

  private addNode(g: number, h: number): number {
    const n = this.nodes;
    n.feature.push(-1);
    n.bin.push(0);
    n.threshold.push(0);
    n.defaultLeft.push(0);
    n.left.push(-1);
    n.right.push(-1);
    n.value.push((-g / (h + this.p.lambda)) * this.p.learningRate);
    n.gain.push(0);
    n.cover.push(h);
    return n.feature.length - 1;
  }

  /** Stable in-place partition of a leaf's rows; returns the first index of the right part. */
  private partition(leaf: OpenLeaf, s: SplitInfo): number {
    const { idx, tmp, rows } = this;
    const bins = this.binned.bins;
    const col = s.feature * rows;
    const t = s.bin;
    const dl = s.defaultLeft;
    let l = leaf.start;
    let r = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      const i = idx[k];
      const b = bins[col + i];
      if (b === 0 ? dl : b <= t) idx[l++] = i;
      else tmp[r++] = i;
    }
    idx.set(tmp.subarray(0, r), l);
    return l;
  }

  /** A new node over idx[start, end), with its exact and packed sums. */
  private leaf(start: number, end: number, depth: number): OpenLeaf {
    let g = 0;
    let h = 0;
    let packed = 0;
    for (let k = start; k < end; k++) {
      const i = this.idx[k];
      g += this.grad[i];
      h += this.hess[i];
      packed += this.packed[i];
    }
    const node = this.addNode(g, h);
    this.nodes.start.push(start);
    this.nodes.end.push(end);
    return { node, start, end, depth, g, h, packed, hist: null, split: null };
  }

  /**
   * Adds the last grown tree's leaf values to `out` for the rows it was grown on (idx[0, count) of that
   * grow): each leaf's rows are still its segment of idx, so no row is routed down the tree again. The same
   * value is added to the same rows as routing them would add.
   */
  addLeafValues(out: Float64Array): void {
    const { feature, value, start, end } = this.nodes;
    const idx = this.idx;
    for (let node = 0; node < feature.length; node++) {
      if (feature[node] >= 0) continue;
      const v = value[node];
      for (let k = start[node]; k < end[node]; k++) out[idx[k]] += v;
    }
  }

  /**
   * Grows a tree over rows idx[0, count) using features `feats`. With `sampleOnly`, only those rows are
   * quantized (GOSS: most rows are left out of the tree; without it every row is, for the same draws as ever).
   */
  grow(count: number, feats: Int32Array, sampleOnly = false): GrownTree {
    this.nodes = emptyNodes();
    if (sampleOnly) this.packing.quantizeRows(this.grad, this.hess, this.packed, this.rng, this.idx, count);
    else this.packing.quantize(this.grad, this.hess, this.packed, this.rng);
    this.treeSparse = this.sparseFor(feats);
    if (this.treeSparse) {
      this.lay = this.offset;
      this.laySize = this.histSize;
    } else {
      this.lay = new Int32Array(this.binned.cols);
      let total = 0;
      for (let j = 0; j < feats.length; j++) {
        this.lay[feats[j]] = total;
        total += this.nBins[feats[j]];
      }
      this.laySize = total;
    }
    const { maxDepth, maxLeaves, growPolicy } = this.p;
    const root = this.leaf(0, count, 0);
    root.hist = this.takeHist();
    this.buildHist(root.hist, 0, count, feats, root.packed);
    root.split = this.bestSplit(root, feats);
    const open: OpenLeaf[] = [];
    if (root.split) open.push(root);
    else this.release(root);
    let leaves = 1;
    while (open.length > 0 && (maxLeaves === 0 || leaves < maxLeaves)) {
      let pick = 0;
      for (let k = 1; k < open.length; k++) {
        const a = open[k];
        const b = open[pick];
        const better =
          growPolicy === 'lossguide'
            ? a.split!.gain > b.split!.gain
            : a.depth < b.depth || (a.depth === b.depth && a.node < b.node);
        if (better) pick = k;
      }
      const parent = open.splice(pick, 1)[0];
      const s = parent.split!;
      const mid = this.partition(parent, s);
      const left = this.leaf(parent.start, mid, parent.depth + 1);
      const right = this.leaf(mid, parent.end, parent.depth + 1);
      const n = this.nodes;
      n.feature[parent.node] = s.feature;
      n.bin[parent.node] = s.bin;
      n.threshold[parent.node] = this.binned.upper[s.feature][s.bin - 1];
      n.defaultLeft[parent.node] = s.defaultLeft ? 1 : 0;
      n.left[parent.node] = left.node;
      n.right[parent.node] = right.node;
      n.gain[parent.node] = s.gain;
      leaves++;
      if (maxDepth !== 0 && parent.depth + 1 >= maxDepth) {
        this.release(parent);
        continue;
      }
      // Histogram subtraction: build the smaller child, the larger is parent minus smaller.
      const [small, large] = mid - parent.start <= parent.end - mid ? [left, right] : [right, left];
      small.hist = this.takeHist();
      this.buildHist(small.hist, small.start, small.end, feats, small.packed);
      large.hist = parent.hist;
      parent.hist = null;
      if (large.hist) this.subtract(large.hist, small.hist);
      for (const child of [left, right]) {
        child.split = this.bestSplit(child, feats);
        if (child.split) open.push(child);
        else this.release(child);
      }
    }
    for (const leaf of open) this.release(leaf);
    const n = this.nodes;
    return {
      tree: {
        feature: Int32Array.from(n.feature),
        threshold: Float64Array.from(n.threshold),
        defaultLeft: Uint8Array.from(n.defaultLeft),
        left: Int32Array.from(n.left),
        right: Int32Array.from(n.right),
        value: Float64Array.from(n.value),
        gain: Float64Array.from(n.gain),
        cover: Float64Array.from(n.cover),
      },
      binThreshold: Int32Array.from(n.bin),
    };
  }
}

function emptyNodes() {
  return {
    feature: [] as number[],
    bin: [] as number[],
    threshold: [] as number[],
    defaultLeft: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    gain: [] as number[],
    cover: [] as number[],
    /** Segment of idx that reached the node. */
    start: [] as number[],
    end: [] as number[],
  };
}
