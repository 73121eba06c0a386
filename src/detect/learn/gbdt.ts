// Histogram gradient-boosted trees for binary classification (logistic loss, second-order, XGBoost/LightGBM
// style). Hand-written because no well-kept pure-JS GBDT library is fast enough: the ones on this machine
// were measured far too slow for 10–25k rows × hundreds of features, and native ones are not allowed.
import { Random } from '../../platform/random.ts';
import { type Binned, binMatrix } from './binning.ts';
import type { Matrix } from './matrix.ts';
import { auroc, averagePrecision, logLoss } from './metrics.ts';
import { TreeBuilder } from './tree-builder.ts';

export { applyBins, type Binned, binMatrix, fitBinBounds, selectBinnedRows } from './binning.ts';
export { type Matrix, selectRows } from './matrix.ts';

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
  /**
   * Gradient-based one-side sampling (LightGBM's GOSS), 0 = off: each tree is grown on this share of rows
   * with the largest gradients plus `gossOther` of the rest drawn at random, their gradients scaled up to
   * stand for the rows left out. Replaces `subsample` when on. On data a model mostly already gets right
   * (most honest rows), the rows still wrong decide the splits, at a fraction of the histogram cost.
   */
  gossTop: number;
  /** Share of all rows drawn from those outside the top under GOSS. */
  gossOther: number;
  colsampleByTree: number;
  colsampleByNode: number;
  /** Weight of positive rows (class weight of the fraud class). */
  scalePosWeight: number;
  /** Value bins per feature, at most 255 (bin 0 is kept for missing values). */
  maxBins: number;
  /** Stop after this many rounds without improvement on the validation metric; 0 = never. */
  earlyStoppingRounds: number;
  /** A round improves on the best only when it beats it by more than this (LightGBM's min_delta). */
  earlyStoppingMinDelta: number;
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
  gossTop: 0,
  gossOther: 0.1,
  colsampleByTree: 1,
  colsampleByNode: 1,
  scalePosWeight: 1,
  maxBins: 255,
  earlyStoppingRounds: 100,
  earlyStoppingMinDelta: 0,
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
  /** Number of bagged models averaged into this one (absent for a single model). */
  members?: number;
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
    // Rows in blocks, every tree over a block before the next: a wide matrix is read from memory once
    // instead of once per tree (17 s → a fraction on 400k rows × 300 columns). Each row still adds its
    // trees in the same order, so margins are bit-identical.
    const block = Math.max(1, Math.floor(PREDICT_BLOCK_BYTES / (4 * Math.max(1, x.cols))));
    for (let b = 0; b < x.rows; b += block) {
      const end = Math.min(x.rows, b + block);
      for (let t = 0; t < nTrees; t++) addTree(this.trees[t], x, out, b, end);
    }
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

/**
 * One model whose margin is the (weighted) mean of the members' margins (bagging, blending): trees are
 * concatenated with their values scaled by the member's share, so prediction, attribution and serialization
 * need nothing new. Weights default to equal and are normalised to sum to 1.
 */
export function averageModels(models: GbdtModel[], weights?: number[]): GbdtModel {
  if (models.length === 0) throw new Error('gbdt: averageModels needs at least one model');
  const names = models[0].featureNames;
  if (models.some((m) => m.featureNames.join('\u0000') !== names.join('\u0000'))) {
    throw new Error('gbdt: averaged models must share feature names');
  }
  const k = models.length;
  const raw = weights ?? models.map(() => 1);
  const total = raw.reduce((a, w) => a + w, 0);
  if (raw.length !== k || raw.some((w) => !(w >= 0)) || !(total > 0)) {
    throw new Error('gbdt: averageModels needs one non-negative weight per model, not all zero');
  }
  const share = raw.map((w) => w / total);
  const trees = models.flatMap((m, j) =>
    m.trees.map((t) => ({ ...t, value: t.value.map((v) => v * share[j]) })),
  );
  const sum = (f: (m: GbdtModel) => number) => models.reduce((a, m) => a + f(m), 0);
  return new GbdtModel({
    featureNames: names,
    baseScore: models.reduce((a, m, j) => a + share[j] * m.baseScore, 0),
    params: models[0].params,
    meta: {
      ...models[0].meta,
      roundsTrained: sum((m) => m.meta.roundsTrained),
      trees: trees.length,
      bestScore: Number.NaN,
      trainSeconds: sum((m) => m.meta.trainSeconds),
      members: k,
    },
    trees,
  });
}

/**
 * The same model read against a wider matrix whose first columns are this model's features (for example raw
 * features followed by graph features), so models trained on different column prefixes can be averaged.
 */
export function widenFeatures(model: GbdtModel, names: string[]): GbdtModel {
  if (model.featureNames.some((name, f) => names[f] !== name)) {
    throw new Error("gbdt: the model's features must be the first of the new feature names");
  }
  return new GbdtModel({ ...model, featureNames: [...names] });
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

/** Rows of a block fit in a core's cache next to the trees. */
const PREDICT_BLOCK_BYTES = 128 * 1024;

function addTree(tree: Tree, x: Matrix, out: Float64Array, from = 0, to = x.rows): void {
  const { feature, threshold, defaultLeft, left, right, value } = tree;
  const cols = x.cols;
  const data = x.data;
  for (let i = from; i < to; i++) {
    let node = 0;
    const base = i * cols;
    while (feature[node] >= 0) {
      const v = data[base + feature[node]];
      const l = Number.isNaN(v) ? defaultLeft[node] === 1 : v <= threshold[node];
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
  /**
   * Validation rows already binned with the training bins' bounds (applyBins or selectBinnedRows), instead
   * of `valid`: a tree routes a binned row exactly as the raw row, so the scores are the same.
   */
  validBinned?: { binned: Binned; y: ArrayLike<number> };
  /** Bins of the training matrix, when several models share them (must come from the same matrix). */
  binned?: Binned;
  /** Called after each round with the validation score (NaN without validation data). */
  onRound?: (round: number, score: number) => void;
  /** Filled with the kept model's validation margins (saves predicting the validation rows again). */
  validMarginOut?: Float64Array;
  /** False forbids the sparse histogram path (same model either way; default: used when it pays). */
  sparseHistograms?: boolean;
}

function scoreOf(metric: EvalMetric, margins: Float64Array, y: ArrayLike<number>): number {
  if (metric === 'ap') return averagePrecision(margins, y);
  if (metric === 'auroc') return auroc(margins, y);
  return -logLoss(Array.from(margins, sigmoid), y);
}

function checkParams(p: GbdtParams): void {
  const bad = (what: string) => {
    throw new Error(`gbdt: ${what}`);
  };
  if (!(p.learningRate > 0)) bad(`learningRate must be > 0, got ${p.learningRate}`);
  for (const k of ['subsample', 'colsampleByTree', 'colsampleByNode'] as const) {
    if (!(p[k] > 0 && p[k] <= 1)) bad(`${k} must be in (0, 1], got ${p[k]}`);
  }
  for (const k of ['maxRounds', 'maxDepth', 'maxLeaves', 'earlyStoppingRounds'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 0) bad(`${k} must be a non-negative integer, got ${p[k]}`);
  }
  if (p.maxLeaves === 1) bad('maxLeaves must be 0 (unlimited) or at least 2');
  if (!(p.gossTop >= 0 && p.gossTop < 1)) bad(`gossTop must be in [0, 1), got ${p.gossTop}`);
  if (p.gossTop > 0 && !(p.gossOther > 0 && p.gossTop + p.gossOther <= 1))
    bad(`gossOther must be in (0, 1 − gossTop], got ${p.gossOther}`);
  if (!(p.earlyStoppingMinDelta >= 0))
    bad(`earlyStoppingMinDelta must be ≥ 0, got ${p.earlyStoppingMinDelta}`);
  if (!(p.lambda >= 0 && p.minChildWeight >= 0 && p.minSplitGain >= 0))
    bad('lambda, minChildWeight, minSplitGain ≥ 0');
  if (!(p.scalePosWeight > 0)) bad(`scalePosWeight must be > 0, got ${p.scalePosWeight}`);
}

/** Trains a binary GBDT on rows of x with 0/1 labels y; with `valid`, stops early on the chosen metric. */
export function trainGbdt(x: Matrix, y: ArrayLike<number>, options: TrainOptions = {}): GbdtModel {
  const started = performance.now();
  const p: GbdtParams = { ...DEFAULT_PARAMS, ...options.params };
  checkParams(p);
  if (y.length !== x.rows) throw new Error(`gbdt: ${x.rows} rows but ${y.length} labels`);
  const binned = options.binned ?? binMatrix(x, p.maxBins);
  if (binned.rows !== x.rows || binned.cols !== x.cols) throw new Error('gbdt: binned data does not match x');
  return trainGbdtBinned(binned, y, options, started);
}

/**
 * trainGbdt on already binned rows (the raw matrix is not needed: trees split on bin bounds), so one
 * binning can serve many models, folds and threads.
 */
export function trainGbdtBinned(
  binned: Binned,
  y: ArrayLike<number>,
  options: TrainOptions = {},
  started = performance.now(),
): GbdtModel {
  const p: GbdtParams = { ...DEFAULT_PARAMS, ...options.params };
  checkParams(p);
  const n = binned.rows;
  const cols = binned.cols;
  if (y.length !== n) throw new Error(`gbdt: ${n} rows but ${y.length} labels`);
  const names = options.featureNames ?? Array.from({ length: cols }, (_, f) => `f${f}`);
  if (names.length !== cols) throw new Error(`gbdt: ${names.length} feature names for ${cols} columns`);
  const rng = new Random(`gbdt:${p.seed}`);
  const labels = Float64Array.from(y);

  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const wPos = p.scalePosWeight;
  const pMean = (wPos * positives) / (wPos * positives + (n - positives));
  const baseScore = pMean > 0 && pMean < 1 ? Math.log(pMean / (1 - pMean)) : 0;

  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const margin = new Float64Array(n).fill(baseScore);
  const builder = new TreeBuilder(binned, p, grad, hess, rng, options.sparseHistograms ?? true);
  const valid = options.valid;
  const vb = options.validBinned;
  if (valid && valid.y.length !== valid.x.rows) throw new Error('gbdt: validation rows and labels differ');
  if (vb && vb.y.length !== vb.binned.rows) throw new Error('gbdt: validation rows and labels differ');
  if (valid && valid.x.cols !== cols) throw new Error('gbdt: validation and training columns differ');
  if (vb && vb.binned.cols !== cols) throw new Error('gbdt: validation and training columns differ');
  const validY = valid?.y ?? vb?.y;
  const validMargin = validY ? new Float64Array(validY.length).fill(baseScore) : null;
  if (options.validMarginOut && options.validMarginOut.length !== (validY?.length ?? -1))
    throw new Error('gbdt: validMarginOut must hold one value per validation row');

  const outOfBag = new Int32Array(p.subsample >= 1 && p.gossTop === 0 ? 0 : n);
  const gossAbs = new Float64Array(p.gossTop > 0 ? n : 0);
  const allFeats = Int32Array.from({ length: cols }, (_, f) => f);
  // A feature with one value bin cannot split; it is still drawn by column sampling (same draws as before).
  // (Node-level sampling draws from the tree's list, so there every feature stays in it.)
  const splittable = (f: number) => p.colsampleByNode < 1 || binned.upper[f].length >= 2;
  const usable = allFeats.filter(splittable);
  const trees: Tree[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestIteration = -1;
  let rounds = 0;
  for (let round = 0; round < p.maxRounds; round++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(margin[i]);
      const w = labels[i] === 1 ? wPos : 1;
      grad[i] = (prob - labels[i]) * w;
      hess[i] = Math.max(prob * (1 - prob), 1e-16) * w;
    }
    let count = 0;
    let unsampled = 0;
    const idx = builder.idx;
    // GOSS waits 1/learningRate rounds (as LightGBM does): the first trees' gradients are all alike.
    const goss = p.gossTop > 0 && round >= Math.floor(1 / p.learningRate);
    if (goss) {
      const s = gossSample(grad, hess, p.gossTop, p.gossOther, rng, idx, outOfBag, gossAbs);
      count = s.count;
      unsampled = s.unsampled;
    } else if (p.subsample >= 1) {
      for (let i = 0; i < n; i++) idx[i] = i;
      count = n;
    } else
      for (let i = 0; i < n; i++) {
        if (rng.next() < p.subsample) idx[count++] = i;
        else outOfBag[unsampled++] = i;
      }
    let feats = usable;
    if (p.colsampleByTree < 1) {
      const k = Math.max(1, Math.round(cols * p.colsampleByTree));
      feats = Int32Array.from(rng.shuffle(Array.from(allFeats)).slice(0, k))
        .sort()
        .filter(splittable);
    }
    const { tree, binThreshold } = builder.grow(count, feats, goss);
    trees.push(tree);
    rounds++;
    // Rows the tree was grown on take their leaf's value directly; only the others are routed.
    builder.addLeafValues(margin);
    if (unsampled > 0) addTreeBinnedRows(tree, binThreshold, binned, margin, outOfBag, unsampled);
    let score = Number.NaN;
    if (validY && validMargin) {
      if (valid) addTree(tree, valid.x, validMargin);
      else if (vb) addTreeBinned(tree, binThreshold, vb.binned, validMargin);
      score = scoreOf(p.evalMetric, validMargin, validY);
      // An undefined metric (one class only in validation) cannot guide stopping.
      if (score > bestScore + p.earlyStoppingMinDelta) {
        bestScore = score;
        bestIteration = round;
        options.validMarginOut?.set(validMargin);
      } else if (
        !Number.isNaN(score) &&
        p.earlyStoppingRounds > 0 &&
        round - bestIteration >= p.earlyStoppingRounds
      ) {
        options.onRound?.(round, score);
        break;
      }
    }
    options.onRound?.(round, score);
  }
  const stopped = validY !== undefined && bestIteration >= 0;
  if (options.validMarginOut && validMargin && !stopped) options.validMarginOut.set(validMargin);
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

/**
 * GOSS rows for one tree: the rows whose |gradient| is among the largest `top` share, then each other row
 * with probability other / (1 − top), its gradient and hessian scaled by the inverse so that the sample's
 * sums stay unbiased. Fills idx with the sample and rest with the others.
 */
function gossSample(
  grad: Float64Array,
  hess: Float64Array,
  top: number,
  other: number,
  rng: Random,
  idx: Int32Array,
  rest: Int32Array,
  abs: Float64Array,
): { count: number; unsampled: number } {
  const n = grad.length;
  for (let i = 0; i < n; i++) abs[i] = Math.abs(grad[i]);
  const k = Math.max(1, Math.floor(top * n));
  const cut = kthLargest(abs, k);
  // Rows in the same leaves of every tree so far share a gradient, so many may sit exactly at the cut: they
  // are drawn so that the top holds k rows on average, and those not drawn join the rest.
  let above = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.abs(grad[i]);
    if (g > cut) above++;
    else if (g === cut) at++;
  }
  const atShare = at > 0 ? (k - above) / at : 0;
  const q = other / (1 - top);
  const scale = 1 / q;
  // The rest is drawn by geometric skips (one random draw per row taken, not per row seen).
  const logMiss = Math.log(1 - q);
  const skip = () => (q >= 1 ? 0 : Math.floor(Math.log(1 - rng.next()) / logMiss));
  let gap = skip();
  let count = 0;
  let unsampled = 0;
  for (let i = 0; i < n; i++) {
    const g = Math.abs(grad[i]);
    if (g > cut || (g === cut && rng.next() < atShare)) idx[count++] = i;
    else if (gap === 0) {
      grad[i] *= scale;
      hess[i] *= scale;
      idx[count++] = i;
      gap = skip();
    } else {
      gap--;
      rest[unsampled++] = i;
    }
  }
  return { count, unsampled };
}

/** The k-th largest value of xs (1-based), reordering xs (Hoare's selection, median-of-three pivots). */
function kthLargest(xs: Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const a = xs[lo];
    const b = xs[mid];
    const c = xs[hi];
    // Median of the three.
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i] > pivot) i++;
      while (xs[j] < pivot) j--;
      if (i <= j) {
        const t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return xs[want];
  }
  return xs[want];
}

/** The leaf a binned row reaches in a tree (bin 0 is missing). */
function binnedLeaf(
  tree: Tree,
  binThreshold: Int32Array,
  bins: Binned['bins'],
  rows: number,
  i: number,
): number {
  const { feature, defaultLeft, left, right } = tree;
  let node = 0;
  while (feature[node] >= 0) {
    const b = bins[feature[node] * rows + i];
    const l = b === 0 ? defaultLeft[node] === 1 : b <= binThreshold[node];
    node = l ? left[node] : right[node];
  }
  return node;
}

function addTreeBinned(tree: Tree, binThreshold: Int32Array, binned: Binned, out: Float64Array): void {
  const { bins, rows } = binned;
  for (let i = 0; i < rows; i++) out[i] += tree.value[binnedLeaf(tree, binThreshold, bins, rows, i)];
}

/** addTreeBinned for rows[0, count) only. */
function addTreeBinnedRows(
  tree: Tree,
  binThreshold: Int32Array,
  binned: Binned,
  out: Float64Array,
  rowList: Int32Array,
  count: number,
): void {
  const { bins, rows } = binned;
  for (let k = 0; k < count; k++) {
    const i = rowList[k];
    out[i] += tree.value[binnedLeaf(tree, binThreshold, bins, rows, i)];
  }
}
