// Histogram gradient-boosted trees for binary classification (logistic loss, second-order, XGBoost/LightGBM
// style). Hand-written because no well-kept pure-JS GBDT library is fast enough: the ones on this machine
// were measured far too slow for 10–25k rows × hundreds of features, and native ones are not allowed.
import { Random } from '../../platform/random.ts';
import { auroc, averagePrecision, logLoss } from './metrics.ts';

/** Dense row-major float matrix; NaN means missing. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export type EvalMetric = 'ap' | 'auroc' | 'logloss';

export interface GbdtParams {
  learningRate: number;
  /** Upper bound on boosting rounds (early stopping may stop sooner). */
  maxRounds: number;
  /** 0 = unlimited. */
  maxDepth: number;
  /** 0 = unlimited. */
  maxLeaves: number;
  /** depthwise expands leaves level by level; lossguide expands the leaf with the largest gain first. */
  growPolicy: 'depthwise' | 'lossguide';
  /** Minimum hessian sum in a child. */
  minChildWeight: number;
  /** L2 regularisation on leaf values. */
  lambda: number;
  /** Minimum loss reduction to split (XGBoost's gamma). */
  minSplitGain: number;
  /** Fraction of rows drawn for each tree. */
  subsample: number;
  colsampleByTree: number;
  colsampleByNode: number;
  /** Weight of positive rows (class weight of the fraud class). */
  scalePosWeight: number;
  /** Value bins per feature, at most 255 (bin 0 is kept for missing values). */
  maxBins: number;
  /** Stop after this many rounds without improvement on the validation metric; 0 = never. */
  earlyStoppingRounds: number;
  evalMetric: EvalMetric;
  seed: number;
}

export const DEFAULT_PARAMS: GbdtParams = {
  learningRate: 0.05,
  maxRounds: 1000,
  maxDepth: 6,
  maxLeaves: 0,
  growPolicy: 'depthwise',
  minChildWeight: 1,
  lambda: 1,
  minSplitGain: 0,
  subsample: 1,
  colsampleByTree: 1,
  colsampleByNode: 1,
  scalePosWeight: 1,
  maxBins: 255,
  earlyStoppingRounds: 100,
  evalMetric: 'ap',
  seed: 1,
};

export interface TrainingMeta {
  rows: number;
  positives: number;
  roundsTrained: number;
  /** Number of trees kept (best round + 1 under early stopping). */
  trees: number;
  bestIteration: number;
  /** Validation metric at the best round; NaN without validation data. */
  bestScore: number;
  evalMetric: EvalMetric;
  trainSeconds: number;
  createdAt: string;
}

/** One tree in flat arrays; node 0 is the root, feature −1 marks a leaf. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Shrunk Newton value of every node (internal ones too, for path attribution). */
  value: Float64Array;
  gain: Float64Array;
  /** Hessian sum that reached the node in training. */
  cover: Float64Array;
}

export interface TreeJson {
  feature: number[];
  threshold: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  gain: number[];
  cover: number[];
}

export const MODEL_FORMAT = 'tianping-gbdt';
export const MODEL_FORMAT_VERSION = 1;

export interface GbdtJson {
  format: typeof MODEL_FORMAT;
  version: number;
  objective: 'binary:logistic';
  featureNames: string[];
  baseScore: number;
  params: GbdtParams;
  meta: TrainingMeta;
  trees: TreeJson[];
}

export interface Contribution {
  feature: string;
  index: number;
  value: number;
  contribution: number;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

// ---------------------------------------------------------------------------------------------------------
// Binning

/** Per-feature quantile bins: bins[row * cols + f] is 0 for missing, else 1 + index of the first upper ≥ v. */
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
    let m = 0;
    for (let i = 0; i < x.rows; i++) {
      const v = x.data[i * x.cols + f];
      if (!Number.isNaN(v)) col[m++] = v;
    }
    const sorted = col.subarray(0, m).sort();
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
  for (let i = 0; i < x.rows; i++) {
    const base = i * x.cols;
    for (let f = 0; f < x.cols; f++) bins[base + f] = binOf(upper[f], x.data[base + f]);
  }
  return { rows: x.rows, cols: x.cols, bins, upper };
}

export function binMatrix(x: Matrix, maxBins = DEFAULT_PARAMS.maxBins): Binned {
  return applyBins(x, fitBinBounds(x, maxBins));
}

// ---------------------------------------------------------------------------------------------------------
// Model

export class GbdtModel {
  readonly featureNames: string[];
  readonly baseScore: number;
  readonly params: GbdtParams;
  readonly meta: TrainingMeta;
  readonly trees: Tree[];

  constructor(init: {
    featureNames: string[];
    baseScore: number;
    params: GbdtParams;
    meta: TrainingMeta;
    trees: Tree[];
  }) {
    this.featureNames = init.featureNames;
    this.baseScore = init.baseScore;
    this.params = init.params;
    this.meta = init.meta;
    this.trees = init.trees;
  }

  private checkCols(x: Matrix): void {
    if (x.cols !== this.featureNames.length) {
      throw new Error(`gbdt: model has ${this.featureNames.length} features, matrix has ${x.cols} columns`);
    }
  }

  /** Raw margins (log-odds), optionally using only the first `nTrees` trees. */
  predictMargin(x: Matrix, nTrees = this.trees.length): Float64Array {
    this.checkCols(x);
    const out = new Float64Array(x.rows).fill(this.baseScore);
    for (let t = 0; t < nTrees; t++) addTree(this.trees[t], x, out);
    return out;
  }

  /** Fraud probabilities. */
  predict(x: Matrix, nTrees = this.trees.length): Float64Array {
    const m = this.predictMargin(x, nTrees);
    for (let i = 0; i < m.length; i++) m[i] = sigmoid(m[i]);
    return m;
  }

  /**
   * Saabas path attribution for one row: every split on the path credits its feature with the change in
   * node value, so bias + Σ values equals the row's margin exactly.
   */
  contributions(x: Matrix, row: number): { bias: number; values: Float64Array } {
    this.checkCols(x);
    const values = new Float64Array(x.cols);
    let bias = this.baseScore;
    const base = row * x.cols;
    for (const tree of this.trees) {
      let node = 0;
      bias += tree.value[0];
      while (tree.feature[node] >= 0) {
        const f = tree.feature[node];
        const next = goesLeft(tree, node, x.data[base + f]) ? tree.left[node] : tree.right[node];
        values[f] += tree.value[next] - tree.value[node];
        node = next;
      }
    }
    return { bias, values };
  }

  /** The k features that pushed this row's score most, by absolute contribution. */
  explain(x: Matrix, row: number, k = 5): Contribution[] {
    const { values } = this.contributions(x, row);
    const order = Array.from(values.keys()).filter((f) => values[f] !== 0);
    order.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
    return order.slice(0, k).map((f) => ({
      feature: this.featureNames[f],
      index: f,
      value: x.data[row * x.cols + f],
      contribution: values[f],
    }));
  }

  /** Total split gain and split count per feature, largest gain first. */
  featureImportance(): Array<{ feature: string; gain: number; splits: number }> {
    const gain = new Float64Array(this.featureNames.length);
    const splits = new Int32Array(this.featureNames.length);
    for (const t of this.trees) {
      for (let n = 0; n < t.feature.length; n++) {
        if (t.feature[n] >= 0) {
          gain[t.feature[n]] += t.gain[n];
          splits[t.feature[n]]++;
        }
      }
    }
    return this.featureNames
      .map((feature, f) => ({ feature, gain: gain[f], splits: splits[f] }))
      .filter((r) => r.splits > 0)
      .sort((a, b) => b.gain - a.gain);
  }

  toJSON(): GbdtJson {
    return {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      objective: 'binary:logistic',
      featureNames: [...this.featureNames],
      baseScore: this.baseScore,
      params: { ...this.params },
      meta: { ...this.meta },
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        defaultLeft: Array.from(t.defaultLeft),
        left: Array.from(t.left),
        right: Array.from(t.right),
        value: Array.from(t.value),
        gain: Array.from(t.gain),
        cover: Array.from(t.cover),
      })),
    };
  }

  static fromJSON(json: unknown): GbdtModel {
    const j = json as Partial<GbdtJson> | null;
    if (!j || typeof j !== 'object' || j.format !== MODEL_FORMAT) {
      throw new Error(`gbdt: not a ${MODEL_FORMAT} model`);
    }
    if (j.version !== MODEL_FORMAT_VERSION) {
      throw new Error(`gbdt: model format version ${j.version}, this build reads ${MODEL_FORMAT_VERSION}`);
    }
    if (!Array.isArray(j.featureNames) || !Array.isArray(j.trees) || typeof j.baseScore !== 'number') {
      throw new Error('gbdt: model JSON lacks featureNames, trees or baseScore');
    }
    const nf = j.featureNames.length;
    const trees = j.trees.map((t, k) => treeFromJson(t, k, nf));
    return new GbdtModel({
      featureNames: j.featureNames,
      baseScore: j.baseScore,
      params: { ...DEFAULT_PARAMS, ...j.params },
      meta: { ...(j.meta as TrainingMeta), bestScore: j.meta?.bestScore ?? Number.NaN },
      trees,
    });
  }
}

function treeFromJson(t: TreeJson, k: number, nf: number): Tree {
  const n = t.feature?.length ?? 0;
  const keys = ['threshold', 'defaultLeft', 'left', 'right', 'value', 'gain', 'cover'] as const;
  if (n === 0 || keys.some((key) => !Array.isArray(t[key]) || t[key].length !== n)) {
    throw new Error(`gbdt: tree ${k} has missing or mismatched arrays`);
  }
  for (let i = 0; i < n; i++) {
    const f = t.feature[i];
    if (f >= nf) throw new Error(`gbdt: tree ${k} node ${i} uses feature ${f} of ${nf}`);
    if (f >= 0 && !(t.left[i] > i && t.left[i] < n && t.right[i] > i && t.right[i] < n)) {
      throw new Error(`gbdt: tree ${k} node ${i} has bad children`);
    }
  }
  return {
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    defaultLeft: Uint8Array.from(t.defaultLeft),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
    gain: Float64Array.from(t.gain),
    cover: Float64Array.from(t.cover),
  };
}

function goesLeft(tree: Tree, node: number, v: number): boolean {
  return Number.isNaN(v) ? tree.defaultLeft[node] === 1 : v <= tree.threshold[node];
}

function addTree(tree: Tree, x: Matrix, out: Float64Array): void {
  const { feature, threshold, defaultLeft, left, right, value } = tree;
  const cols = x.cols;
  const data = x.data;
  for (let i = 0; i < x.rows; i++) {
    let node = 0;
    const base = i * cols;
    while (feature[node] >= 0) {
      const v = data[base + feature[node]];
      const l = v !== v ? defaultLeft[node] === 1 : v <= threshold[node];
      node = l ? left[node] : right[node];
    }
    out[i] += value[node];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Training

export interface TrainOptions {
  params?: Partial<GbdtParams>;
  featureNames?: string[];
  /** Validation rows for early stopping. */
  valid?: { x: Matrix; y: ArrayLike<number> };
  /** Bins of the training matrix, when several models share them (must come from the same matrix). */
  binned?: Binned;
  /** Called after each round with the validation score (NaN without validation data). */
  onRound?: (round: number, score: number) => void;
}

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
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

/** Grows one tree at a time over shared buffers (row index lists, histogram pool). */
class TreeBuilder {
  private readonly cols: number;
  private readonly bins: Uint8Array;
  private readonly upper: Float64Array[];
  private readonly offset: Int32Array;
  private readonly nBins: Int32Array;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  readonly idx: Int32Array;
  private readonly tmp: Int32Array;
  private nodes: {
    feature: number[];
    bin: number[];
    threshold: number[];
    defaultLeft: number[];
    left: number[];
    right: number[];
    value: number[];
    gain: number[];
    cover: number[];
  } = TreeBuilder.emptyNodes();

  constructor(
    binned: Binned,
    private readonly p: GbdtParams,
    private readonly grad: Float64Array,
    private readonly hess: Float64Array,
    private readonly rng: Random,
  ) {
    this.cols = binned.cols;
    this.bins = binned.bins;
    this.upper = binned.upper;
    this.offset = new Int32Array(this.cols);
    this.nBins = new Int32Array(this.cols);
    let total = 0;
    for (let f = 0; f < this.cols; f++) {
      this.offset[f] = total;
      this.nBins[f] = binned.upper[f].length + 1;
      total += this.nBins[f];
    }
    this.histSize = total * 2;
    this.idx = new Int32Array(binned.rows);
    this.tmp = new Int32Array(binned.rows);
  }

  private static emptyNodes() {
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
    };
  }

  private takeHist(): Float64Array {
    const h = this.pool.pop() ?? new Float64Array(this.histSize);
    h.fill(0);
    return h;
  }

  private release(leaf: OpenLeaf): void {
    if (leaf.hist) this.pool.push(leaf.hist);
    leaf.hist = null;
  }

  private buildHist(hist: Float64Array, start: number, end: number, feats: Int32Array): void {
    const { idx, grad, hess, bins, offset, cols } = this;
    const nf = feats.length;
    for (let k = start; k < end; k++) {
      const i = idx[k];
      const g = grad[i];
      const h = hess[i];
      const base = i * cols;
      for (let j = 0; j < nf; j++) {
        const f = feats[j];
        const pos = (offset[f] + bins[base + f]) << 1;
        hist[pos] += g;
        hist[pos + 1] += h;
      }
    }
  }

  private subtract(into: Float64Array, small: Float64Array, feats: Int32Array): void {
    for (let j = 0; j < feats.length; j++) {
      const f = feats[j];
      const from = this.offset[f] << 1;
      const to = from + (this.nBins[f] << 1);
      for (let p = from; p < to; p++) into[p] -= small[p];
    }
  }

  private bestSplit(leaf: OpenLeaf, feats: Int32Array): SplitInfo | null {
    const hist = leaf.hist;
    if (!hist) return null;
    const { lambda, minChildWeight: mcw } = this.p;
    const G = leaf.g;
    const H = leaf.h;
    if (H < 2 * mcw || leaf.end - leaf.start < 2) return null;
    let candidates = feats;
    if (this.p.colsampleByNode < 1) {
      const k = Math.max(1, Math.round(feats.length * this.p.colsampleByNode));
      candidates = Int32Array.from(this.rng.shuffle(Array.from(feats)).slice(0, k));
    }
    let bestScore = Number.NEGATIVE_INFINITY;
    let best: SplitInfo | null = null;
    for (let j = 0; j < candidates.length; j++) {
      const f = candidates[j];
      const o = this.offset[f] << 1;
      const nb = this.nBins[f];
      const gm = hist[o];
      const hm = hist[o + 1];
      let gl = 0;
      let hl = 0;
      for (let b = 1; b < nb - 1; b++) {
        gl += hist[o + 2 * b];
        hl += hist[o + 2 * b + 1];
        // Missing values go right.
        let hr = H - hl;
        if (hl >= mcw && hr >= mcw) {
          const gr = G - gl;
          const s = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda);
          if (s > bestScore) {
            bestScore = s;
            best = { gain: 0, feature: f, bin: b, defaultLeft: hm === 0 && hl >= hr };
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
              best = { gain: 0, feature: f, bin: b, defaultLeft: true };
            }
          }
        }
      }
    }
    if (!best) return null;
    best.gain = 0.5 * (bestScore - (G * G) / (H + lambda));
    return best.gain > this.p.minSplitGain && best.gain > 1e-12 ? best : null;
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
    const { idx, tmp, bins, cols } = this;
    const f = s.feature;
    const t = s.bin;
    const dl = s.defaultLeft;
    let l = leaf.start;
    let r = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      const i = idx[k];
      const b = bins[i * cols + f];
      if (b === 0 ? dl : b <= t) idx[l++] = i;
      else tmp[r++] = i;
    }
    idx.set(tmp.subarray(0, r), l);
    return l;
  }

  private sums(start: number, end: number): [number, number] {
    let g = 0;
    let h = 0;
    for (let k = start; k < end; k++) {
      g += this.grad[this.idx[k]];
      h += this.hess[this.idx[k]];
    }
    return [g, h];
  }

  /** Grows a tree over idx[0, count) using features `feats`; returns it with bin thresholds for training. */
  grow(count: number, feats: Int32Array): { tree: Tree; binThreshold: Int32Array } {
    this.nodes = TreeBuilder.emptyNodes();
    const { maxDepth, maxLeaves, growPolicy } = this.p;
    const [g0, h0] = this.sums(0, count);
    const root: OpenLeaf = { node: this.addNode(g0, h0), start: 0, end: count, depth: 0, g: g0, h: h0, hist: null, split: null };
    const open: OpenLeaf[] = [];
    root.hist = this.takeHist();
    this.buildHist(root.hist, 0, count, feats);
    root.split = this.bestSplit(root, feats);
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
      const leaf = open.splice(pick, 1)[0];
      const s = leaf.split!;
      const mid = this.partition(leaf, s);
      const [gl, hl] = this.sums(leaf.start, mid);
      const gr = leaf.g - gl;
      const hr = leaf.h - hl;
      const n = this.nodes;
      const ln = this.addNode(gl, hl);
      const rn = this.addNode(gr, hr);
      n.feature[leaf.node] = s.feature;
      n.bin[leaf.node] = s.bin;
      n.threshold[leaf.node] = this.upper[s.feature][s.bin - 1];
      n.defaultLeft[leaf.node] = s.defaultLeft ? 1 : 0;
      n.left[leaf.node] = ln;
      n.right[leaf.node] = rn;
      n.gain[leaf.node] = s.gain;
      leaves++;
      const depth = leaf.depth + 1;
      const left: OpenLeaf = { node: ln, start: leaf.start, end: mid, depth, g: gl, h: hl, hist: null, split: null };
      const right: OpenLeaf = { node: rn, start: mid, end: leaf.end, depth, g: gr, h: hr, hist: null, split: null };
      if (maxDepth !== 0 && depth >= maxDepth) {
        this.release(leaf);
        continue;
      }
      // Histogram subtraction: build the smaller child, the larger is parent minus smaller.
      const [small, large] = mid - leaf.start <= leaf.end - mid ? [left, right] : [right, left];
      small.hist = this.takeHist();
      this.buildHist(small.hist, small.start, small.end, feats);
      large.hist = leaf.hist;
      leaf.hist = null;
      if (large.hist) this.subtract(large.hist, small.hist, feats);
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

function scoreOf(metric: EvalMetric, margins: Float64Array, y: ArrayLike<number>): number {
  if (metric === 'ap') return averagePrecision(margins, y);
  if (metric === 'auroc') return auroc(margins, y);
  return -logLoss(Array.from(margins, sigmoid), y);
}

/** Trains a binary GBDT on rows of x with 0/1 labels y; with `valid`, stops early on the chosen metric. */
export function trainGbdt(x: Matrix, y: ArrayLike<number>, options: TrainOptions = {}): GbdtModel {
  const started = performance.now();
  const p: GbdtParams = { ...DEFAULT_PARAMS, ...options.params };
  if (y.length !== x.rows) throw new Error(`gbdt: ${x.rows} rows but ${y.length} labels`);
  const names = options.featureNames ?? Array.from({ length: x.cols }, (_, f) => `f${f}`);
  if (names.length !== x.cols) throw new Error(`gbdt: ${names.length} feature names for ${x.cols} columns`);
  const binned = options.binned ?? binMatrix(x, p.maxBins);
  if (binned.rows !== x.rows || binned.cols !== x.cols) throw new Error('gbdt: binned data does not match x');
  const n = x.rows;
  const rng = new Random(`gbdt:${p.seed}`);

  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] === 1 ? 1 : 0;
  const wPos = p.scalePosWeight;
  const pMean = (wPos * positives) / (wPos * positives + (n - positives));
  const baseScore = pMean > 0 && pMean < 1 ? Math.log(pMean / (1 - pMean)) : 0;

  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const margin = new Float64Array(n).fill(baseScore);
  const builder = new TreeBuilder(binned, p, grad, hess, rng);
  const valid = options.valid;
  const validMargin = valid ? new Float64Array(valid.x.rows).fill(baseScore) : null;
  if (valid && valid.y.length !== valid.x.rows) throw new Error('gbdt: validation rows and labels differ');

  const allFeats = Int32Array.from({ length: x.cols }, (_, f) => f);
  const trees: Tree[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestIteration = -1;
  let rounds = 0;
  for (let round = 0; round < p.maxRounds; round++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(margin[i]);
      const w = y[i] === 1 ? wPos : 1;
      grad[i] = (prob - y[i]) * w;
      hess[i] = Math.max(prob * (1 - prob), 1e-16) * w;
    }
    let count = 0;
    for (let i = 0; i < n; i++) if (p.subsample >= 1 || rng.next() < p.subsample) builder.idx[count++] = i;
    let feats = allFeats;
    if (p.colsampleByTree < 1) {
      const k = Math.max(1, Math.round(x.cols * p.colsampleByTree));
      feats = Int32Array.from(rng.shuffle(Array.from(allFeats)).slice(0, k)).sort();
    }
    const { tree, binThreshold } = builder.grow(count, feats);
    trees.push(tree);
    rounds++;
    addTreeBinned(tree, binThreshold, binned, margin);
    let score = Number.NaN;
    if (valid && validMargin) {
      addTree(tree, valid.x, validMargin);
      score = scoreOf(p.evalMetric, validMargin, valid.y);
      if (Number.isNaN(score)) {
        // An undefined metric (one class only in validation) cannot guide stopping.
      } else if (score > bestScore) {
        bestScore = score;
        bestIteration = round;
      } else if (p.earlyStoppingRounds > 0 && round - bestIteration >= p.earlyStoppingRounds) {
        options.onRound?.(round, score);
        break;
      }
    }
    options.onRound?.(round, score);
  }
  const stopped = valid !== undefined && bestIteration >= 0;
  const kept = stopped ? trees.slice(0, bestIteration + 1) : trees;
  return new GbdtModel({
    featureNames: names,
    baseScore,
    params: p,
    meta: {
      rows: n,
      positives,
      roundsTrained: rounds,
      trees: kept.length,
      bestIteration: stopped ? bestIteration : rounds - 1,
      bestScore: stopped ? bestScore : Number.NaN,
      evalMetric: p.evalMetric,
      trainSeconds: (performance.now() - started) / 1000,
      createdAt: new Date().toISOString(),
    },
    trees: kept,
  });
}

function addTreeBinned(tree: Tree, binThreshold: Int32Array, binned: Binned, out: Float64Array): void {
  const { feature, defaultLeft, left, right, value } = tree;
  const { bins, cols } = binned;
  for (let i = 0; i < binned.rows; i++) {
    let node = 0;
    const base = i * cols;
    while (feature[node] >= 0) {
      const b = bins[base + feature[node]];
      const l = b === 0 ? defaultLeft[node] === 1 : b <= binThreshold[node];
      node = l ? left[node] : right[node];
    }
    out[i] += value[node];
  }
}
