// The learned scorer: one gradient-boosted tree model per subject kind, trained from labelled outcomes
// (the simulator's truth now, confirmed case outcomes later), with an operating threshold chosen on held-out
// rows. Every score comes with the features that pushed it up most.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../platform/errors.ts';
import { Random } from '../platform/random.ts';
import { FEATURE_PARAMS, type FeatureSet } from './features.ts';
import { joinBinnedColumns } from './learn/binning.ts';
import {
  type Binned,
  GbdtModel,
  type GbdtParams,
  type Matrix,
  selectBinnedRows,
  selectRows,
  sigmoid,
} from './learn/gbdt.ts';
import { averagePrecision, bestThreshold, reportAt, tieGroups } from './learn/metrics.ts';
import { GbdtPool, type JobResult } from './learn/pool.ts';
import { type FirstScores, neighbourColumns, withNeighbourScores } from './neighbour-scores.ts';
import { SUBJECT_KINDS, type SubjectKind } from './signals.ts';

export const SCORER_FORMAT = 'tianping-scorer';
/** 2 added the second stage (`context`); files of format 1 still load and score with the first alone. */
export const SCORER_VERSION = 2;
export const DEFAULT_MODEL_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  'models',
  'default-scorer.json',
);

export interface KindModel {
  model: GbdtModel;
  threshold: number;
  validation: { ap: number; precision: number; recall: number; f1: number; rows: number; positives: number };
}

export interface Scorer {
  version: string;
  createdAt: string;
  trainedOn: string[];
  /** The feature definitions the model was trained with (features.ts FEATURE_PARAMS). */
  featureParams: Record<string, number>;
  /** The first stage: each subject from its own row. */
  kinds: Partial<Record<SubjectKind, KindModel>>;
  /** The second stage: the same rows plus what the first concluded about linked subjects (neighbour-scores.ts). */
  context?: Partial<Record<SubjectKind, KindModel>>;
}

export interface Labelled {
  /** A name for the data set (e.g. the simulation seed), for the model's record. */
  name: string;
  features: Record<SubjectKind, FeatureSet>;
  positives: Record<SubjectKind, Set<string>>;
}

export const SCORER_PARAMS: Partial<GbdtParams> = {
  learningRate: 0.08,
  // A cap that only the benchmark market's account kind reaches (400 rounds there): its out-of-fold AP moved
  // 0.9967 → 0.9965 at 300, for a sixth less training.
  maxRounds: 300,
  maxDepth: 5,
  minChildWeight: 2,
  lambda: 2,
  subsample: 0.85,
  colsampleByTree: 0.8,
  earlyStoppingRounds: 40,
  // Out-of-fold AP sits near 1 on simulated markets; gains below this are noise, not a reason to go on.
  earlyStoppingMinDelta: 1e-5,
  evalMetric: 'ap',
};

/**
 * Kinds with this many rows (orders, reviews, accounts) grow each tree by GOSS instead of plain row sampling:
 * most of their rows are honest ones the trees already get right, and the histograms over the rest cost a
 * fraction. Smaller kinds (merchants, listings) keep every row's say; their training is cheap anyway.
 */
const GOSS_MIN_ROWS = 50_000;
const GOSS: Partial<GbdtParams> = { subsample: 1, gossTop: 0.2, gossOther: 0.1 };

function paramsFor(rows: number, opts: TrainScorerOptions): Partial<GbdtParams> {
  return {
    ...SCORER_PARAMS,
    ...(rows >= GOSS_MIN_ROWS ? GOSS : {}),
    seed: opts.seed ?? 1,
    scalePosWeight: 1,
  };
}

/**
 * Stacks the feature rows of several data sets on the union of their feature names, on shared memory so
 * the pool's threads bin it in place.
 */
function stack(sets: FeatureSet[], names: string[]): Matrix {
  const rows = sets.reduce((n, s) => n + s.ids.length, 0);
  const w = names.length;
  const data = new Float32Array(new SharedArrayBuffer(4 * rows * w));
  let r = 0;
  for (const s of sets) {
    const n = s.ids.length;
    if (s.names.length === w && s.names.every((name, j) => name === names[j])) {
      // Same columns in the same order (the usual case): one block copy.
      data.set(s.rows.subarray(0, n * w), r * w);
      r += n;
      continue;
    }
    const idx = names.map((name) => s.names.indexOf(name));
    const sw = s.names.length;
    for (let i = 0; i < n; i++, r++) {
      for (let j = 0; j < w; j++) {
        const k = idx[j];
        data[r * w + j] = k >= 0 ? s.rows[i * sw + k] : Number.NaN;
      }
    }
  }
  return { rows, cols: w, data };
}

export interface TrainScorerOptions {
  seed?: number;
  /** Cross-validation folds (whole data sets are held out together when there are enough of them). */
  folds?: number;
  onProgress?: (msg: string) => void;
  /** Worker threads (default: one per core); the scorer does not depend on it. */
  threads?: number;
  /** Train the second stage on the neighbours' first-stage scores (default true). */
  neighbours?: boolean;
}

/**
 * One model per kind, in two stages. Binning, every fold of every kind and then each kind's final model are
 * independent jobs, run side by side on a pool of worker threads (largest kinds first); the result is the
 * same for any number of threads. The second stage learns from the first stage's out-of-fold scores (each
 * market's scores come from models that never saw that market), so it learns how much a neighbour's score is
 * worth on a market the first stage meets for the first time. It needs only those scores, not the first
 * stage's final models, so it starts while they are still training.
 */
export async function trainScorer(data: Labelled[], opts: TrainScorerOptions = {}): Promise<Scorer> {
  const rng = new Random(`scorer:${opts.seed ?? 1}`);
  const pool = new GbdtPool(opts.threads);
  let kinds: Partial<Record<SubjectKind, KindModel>>;
  let context: Partial<Record<SubjectKind, KindModel>> | undefined;
  try {
    const first = await trainStage(data, opts, rng, pool, '');
    // Handled when awaited below; this keeps a failure from being reported as unhandled meanwhile.
    first.kinds.catch(() => {});
    if (opts.neighbours !== false) {
      const second = await trainStage(
        withFirstScores(data, first),
        opts,
        rng,
        pool,
        'context ',
        first.binned,
      );
      context = await second.kinds;
    }
    kinds = await first.kinds;
  } finally {
    await pool.close();
  }
  return {
    version: `scorer-${new Date().toISOString().slice(0, 10)}-${(opts.seed ?? 1).toString(36)}`,
    createdAt: new Date().toISOString(),
    trainedOn: data.map((d) => d.name),
    featureParams: { ...FEATURE_PARAMS },
    kinds,
    ...(context ? { context } : {}),
  };
}

interface Stage {
  /** Each kind's final model, trained after its folds (resolves after `oof` and `flagAt`). */
  kinds: Promise<Partial<Record<SubjectKind, KindModel>>>;
  /** Out-of-fold probabilities per kind, over the data sets' rows stacked in order. */
  oof: Partial<Record<SubjectKind, Float64Array>>;
  /** Operating thresholds chosen on the out-of-fold scores. */
  flagAt: Partial<Record<SubjectKind, number>>;
  /** Each kind's binned training matrix with its column names (the next stage extends it). */
  binned: Partial<Record<SubjectKind, { names: string[]; binned: Binned }>>;
}

/** Resolves when every kind's out-of-fold scores are known; the final models follow in `kinds`. */
async function trainStage(
  data: Labelled[],
  opts: TrainScorerOptions,
  rng: Random,
  pool: GbdtPool,
  label: string,
  previous: Stage['binned'] = {},
): Promise<Stage> {
  // Fold groups are drawn kind by kind in SUBJECT_KINDS order, as before, whatever order kinds train in.
  const prepared = SUBJECT_KINDS.map((kind) => prepareKind(data, kind, opts, rng));
  const bySize = prepared.filter((p) => p !== null).sort((a, b) => b.x.rows * b.x.cols - a.x.rows * a.x.cols);
  const say = opts.onProgress && ((m: string) => opts.onProgress?.(`${label}${m}`));
  const o = { ...opts, onProgress: say };
  // Binning of every kind is queued first, so the threads bin while nothing can train yet.
  const binnings = bySize.map((p) => binKind(p, pool, previous[p.kind]));
  for (const b of binnings) b.catch(() => {});
  const folds = await Promise.all(
    bySize.map(async (p, k) => {
      const binned = await binnings[k];
      return { p, binned, cv: await crossValidate(p, binned, pool, o) };
    }),
  );
  const stage: Stage = { kinds: Promise.resolve({}), oof: {}, flagAt: {}, binned: {} };
  for (const f of folds) {
    stage.oof[f.p.kind] = f.cv.oof;
    stage.flagAt[f.p.kind] = f.cv.threshold;
    stage.binned[f.p.kind] = { names: f.p.names, binned: f.binned };
  }
  const finals = folds.map((f) => finalModel(f.p, f.binned, f.cv, pool, o));
  stage.kinds = Promise.all(finals).then((done) => {
    const kinds: Partial<Record<SubjectKind, KindModel>> = {};
    for (const kind of SUBJECT_KINDS) {
      const k = done.find((d) => d.kind === kind);
      if (k) kinds[kind] = k.model;
    }
    return kinds;
  });
  return stage;
}

/** Each data set with the neighbour columns, from the first stage's out-of-fold scores. */
function withFirstScores(data: Labelled[], first: Stage): Labelled[] {
  const offset = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, 0])) as Record<SubjectKind, number>;
  return data.map((d) => {
    const p: FirstScores['p'] = {};
    for (const kind of SUBJECT_KINDS) {
      const n = d.features[kind].ids.length;
      const oof = first.oof[kind];
      if (oof) p[kind] = oof.slice(offset[kind], offset[kind] + n);
      offset[kind] += n;
    }
    return { ...d, features: withNeighbourScores(d.features, { p, flagAt: first.flagAt }) };
  });
}

interface PreparedKind {
  kind: SubjectKind;
  /** The learner's parameters for this kind (GOSS or not by its row count). */
  params: Partial<GbdtParams>;
  names: string[];
  x: Matrix;
  y: Uint8Array;
  positives: number;
  group: Int32Array;
  k: number;
}

function prepareKind(
  data: Labelled[],
  kind: SubjectKind,
  opts: TrainScorerOptions,
  rng: Random,
): PreparedKind | null {
  const sets = data.map((d) => d.features[kind]);
  const names = [...new Set(sets.flatMap((s) => s.names))];
  const x = stack(sets, names);
  const y = new Uint8Array(x.rows);
  let r = 0;
  for (const d of data) for (const id of d.features[kind].ids) y[r++] = d.positives[kind].has(id) ? 1 : 0;
  const positives = y.reduce((a, b) => a + b, 0);
  if (positives < 4) {
    opts.onProgress?.(`${kind}: only ${positives} positive rows, no model`);
    return null;
  }
  // Cross-validation by marketplace: each fold holds out whole data sets, so the number of rounds and the
  // threshold are chosen on markets the fold's model never saw — the situation the model meets in use.
  const group = new Int32Array(x.rows);
  const k = Math.min(opts.folds ?? 4, Math.max(2, data.length));
  r = 0;
  data.forEach((d, di) => {
    for (let i = 0; i < d.features[kind].ids.length; i++, r++)
      group[r] = data.length >= k ? di % k : Math.floor(rng.next() * k);
  });
  return { kind, params: paramsFor(x.rows, opts), names, x, y, positives, group, k };
}

/**
 * Bins fitted on all rows of the kind (feature values only, no labels), shared by every fold. A column's bins
 * depend on that column alone, so the columns a previous stage binned on the same rows are reused and only
 * the new ones are binned.
 */
async function binKind(
  pk: PreparedKind,
  pool: GbdtPool,
  previous: { names: string[]; binned: Binned } | undefined,
): Promise<Binned> {
  const reused = previous?.binned.rows === pk.x.rows && previous.names.every((n, j) => pk.names[j] === n);
  if (!previous || !reused) return pool.bin(pk.x);
  if (previous.names.length === pk.names.length) return previous.binned;
  return joinBinnedColumns(previous.binned, await pool.bin(pk.x, 255, previous.names.length));
}

interface CrossValidation {
  oof: Float64Array;
  /** The folds' tree counts, sorted. */
  rounds: number[];
  threshold: number;
  validation: KindModel['validation'];
}

/** Out-of-fold scores of every row, from models that did not see its group, and the threshold they give. */
async function crossValidate(
  pk: PreparedKind,
  binned: Binned,
  pool: GbdtPool,
  opts: TrainScorerOptions,
): Promise<CrossValidation> {
  const { kind, params, names, x, y, positives, group, k } = pk;
  const folds: Array<{ f: number; valid: number[]; yv: number[]; job: Promise<JobResult> }> = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const valid: number[] = [];
    for (let i = 0; i < x.rows; i++) (group[i] === f ? valid : train).push(i);
    const yv = valid.map((i) => y[i]);
    if (yv.every((v) => v === 0) || yv.length === x.rows) continue;
    const job = pool.run({
      binned: selectBinnedRows(binned, train),
      y: Uint8Array.from(train, (i) => y[i]),
      params,
      featureNames: names,
      validBinned: { binned: selectBinnedRows(binned, valid), y: Uint8Array.from(yv) },
      keepValidMargin: true,
    });
    // Handled when awaited below; this keeps a failure from being reported as unhandled meanwhile.
    job.catch(() => {});
    folds.push({ f, valid, yv, job });
  }
  const oof = new Float64Array(x.rows);
  const rounds: number[] = [];
  for (const { f, valid, yv, job } of folds) {
    const { model: m, validMargin } = await job;
    rounds.push(m.trees.length);
    // The fold's validation margins come from training (binned rows route exactly as raw ones).
    const pv = validMargin ? validMargin.map(sigmoid) : m.predict(selectRows(x, valid));
    valid.forEach((row, j) => {
      oof[row] = pv[j];
    });
    opts.onProgress?.(
      `${kind}: fold ${f + 1}/${k}, ${m.trees.length} trees, AP ${averagePrecision(pv, yv).toFixed(3)}`,
    );
  }
  rounds.sort((a, b) => a - b);
  const best = plateauThreshold(oof, y);
  return {
    oof,
    rounds,
    threshold: best.threshold,
    validation: {
      ap: averagePrecision(oof, y),
      precision: best.precision,
      recall: best.recall,
      f1: best.f1,
      rows: x.rows,
      positives,
    },
  };
}

/** The kind's model on all its rows, for the folds' median number of rounds. */
async function finalModel(
  pk: PreparedKind,
  binned: Binned,
  cv: CrossValidation,
  pool: GbdtPool,
  opts: TrainScorerOptions,
): Promise<{ kind: SubjectKind; model: KindModel }> {
  const { kind, params, names, x, y, positives } = pk;
  const nRounds = Math.max(20, cv.rounds[Math.floor(cv.rounds.length / 2)] ?? 100);
  const model = await pool.train({
    binned,
    y,
    params: { ...params, maxRounds: nRounds, earlyStoppingRounds: 0 },
    featureNames: names,
  });
  const km: KindModel = { model, threshold: cv.threshold, validation: cv.validation };
  opts.onProgress?.(
    `${kind}: ${x.rows} rows, ${positives} positive, ${model.trees.length} trees; out-of-fold AP ${km.validation.ap.toFixed(3)}, F1 ${km.validation.f1.toFixed(3)} at ${km.threshold.toFixed(3)}`,
  );
  return { kind, model: km };
}

export interface Scored {
  kind: SubjectKind;
  id: string;
  score: number;
  /** Features that raised the score most, with their values. */
  top: Array<{ feature: string; value: number; contribution: number }>;
}

/** Scores every subject of every kind: the first stage, then (when the model has one) the second. */
export function scoreKinds(
  scorer: Scorer,
  features: Record<SubjectKind, FeatureSet>,
  explainAbove = 0.3,
): Record<SubjectKind, Scored[]> {
  const firstP: FirstScores['p'] = {};
  const flagAt: FirstScores['flagAt'] = {};
  const out = {} as Record<SubjectKind, Scored[]>;
  for (const kind of SUBJECT_KINDS) {
    const km = scorer.kinds[kind];
    const set = features[kind];
    if (!km) {
      out[kind] = set.ids.map((id) => ({ kind, id, score: 0, top: [] }));
      continue;
    }
    // A kind the second stage scores is explained there; only the others keep the first stage's reasons.
    const scored = scorer.context?.[kind] ? undefined : [];
    firstP[kind] = scoreRows([set], km, explainAbove, scored);
    flagAt[kind] = km.threshold;
    if (scored) out[kind] = scored;
  }
  if (!scorer.context) return out;
  const extra = neighbourColumns(features, { p: firstP, flagAt });
  for (const kind of SUBJECT_KINDS) {
    const km = scorer.context[kind];
    if (!km) continue;
    const scored: Scored[] = [];
    scoreRows([features[kind], extra[kind]], km, explainAbove, scored);
    out[kind] = scored;
  }
  return out;
}

/** Rows scored at a time: the model's input is built a block at a time, never for a whole table at once. */
const SCORE_BLOCK = 8192;

/**
 * The model's probabilities for every row of `sets` (column groups of the same rows, such as a kind's own
 * features and its neighbour columns), and, when `scored` is given, each row's calibrated score and the
 * features that raised it most, pushed there in row order.
 */
function scoreRows(
  sets: readonly FeatureSet[],
  km: KindModel,
  explainAbove: number,
  scored?: Scored[],
): Float64Array {
  const names = km.model.featureNames;
  const n = sets[0].ids.length;
  const w = names.length;
  // For each model column, the set and column it is read from (-1: none has it, so it is missing).
  const fromSet = new Int32Array(w).fill(-1);
  const fromCol = new Int32Array(w);
  names.forEach((name, c) => {
    const k = sets.findIndex((set) => set.names.includes(name));
    if (k >= 0) [fromSet[c], fromCol[c]] = [k, sets[k].names.indexOf(name)];
  });
  const widths = sets.map((set) => set.names.length);
  const p = new Float64Array(n);
  const data = new Float32Array(Math.min(n, SCORE_BLOCK) * w);
  for (let lo = 0; lo < n; lo += SCORE_BLOCK) {
    const hi = Math.min(n, lo + SCORE_BLOCK);
    for (let i = lo, at = 0; i < hi; i++) {
      for (let c = 0; c < w; c++, at++) {
        const k = fromSet[c];
        data[at] = k >= 0 ? sets[k].rows[i * widths[k] + fromCol[c]] : Number.NaN;
      }
    }
    const x: Matrix = { rows: hi - lo, cols: w, data: data.subarray(0, (hi - lo) * w) };
    p.set(km.model.predict(x), lo);
    if (!scored) continue;
    const set = sets[0];
    for (let i = lo; i < hi; i++) {
      const s = toOperating(p[i], km.threshold);
      const top =
        s >= explainAbove
          ? km.model
              .explain(x, i - lo, 5)
              .filter((c) => c.contribution > 0)
              .map((c) => ({ feature: c.feature, value: c.value, contribution: c.contribution }))
          : [];
      scored.push({ kind: set.kind, id: set.ids[i], score: s, top });
    }
  }
  return p;
}

/**
 * The operating threshold: thresholds whose validation F1 is within `tol` of the best form a plateau, and its
 * middle (in log-odds) is chosen. The best single point sits at the plateau's edge, where a new marketplace's
 * slightly shifted scores fall off it.
 */
export function plateauThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, tol = 0.005) {
  // Scores from the highest down in tie groups; F1 with the cut just below each group.
  const g = tieGroups(scores, labels);
  if (!g) throw new Error('plateauThreshold: scores must not be NaN');
  let pos = 0;
  for (let k = 0; k < g.count; k++) pos += g.pos[k];
  const f1 = new Float64Array(g.count);
  let best = 0;
  for (let k = 0, tp = 0, fp = 0; k < g.count; k++) {
    tp += g.pos[k];
    fp += g.neg[k];
    f1[k] = tp ? (2 * tp) / (2 * tp + fp + (pos - tp)) : 0;
    if (f1[k] > best) best = f1[k];
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < g.count; k++) {
    // Any threshold in (next, s] gives this F1 (none when the lowest group is at 0 itself).
    const next = k + 1 < g.count ? g.value[k + 1] : 0;
    if (f1[k] < best - tol || next === g.value[k]) continue;
    lo = Math.min(lo, next);
    hi = Math.max(hi, g.value[k]);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return bestThreshold(scores, labels, 'f1');
  const logit = (p: number) =>
    Math.log(Math.max(1e-6, Math.min(1 - 1e-6, p)) / (1 - Math.max(1e-6, Math.min(1 - 1e-6, p))));
  const mid = 1 / (1 + Math.exp(-(logit(Math.max(lo, 1e-6)) + logit(hi)) / 2));
  const at = reportAt(scores, labels, mid);
  return { ...at, threshold: mid };
}

/** Piecewise-linear map of a probability so that the threshold lands on 0.5 and order is kept. */
export function toOperating(p: number, t: number): number {
  if (t <= 0 || t >= 1) return p;
  return p < t ? (0.5 * p) / t : 0.5 + (0.5 * (p - t)) / (1 - t);
}

export function scorerToJson(s: Scorer) {
  return {
    format: SCORER_FORMAT,
    formatVersion: SCORER_VERSION,
    version: s.version,
    createdAt: s.createdAt,
    trainedOn: s.trainedOn,
    featureParams: s.featureParams,
    kinds: kindsToJson(s.kinds),
    ...(s.context ? { context: kindsToJson(s.context) } : {}),
  };
}

function kindsToJson(kinds: Partial<Record<SubjectKind, KindModel>>) {
  return Object.fromEntries(
    Object.entries(kinds).map(([k, m]) => [
      k,
      { threshold: m.threshold, validation: m.validation, model: m.model.toJSON() },
    ]),
  );
}

const modelError = (source: string, en: string, zh: string) =>
  new AppError('config_invalid', { en: `The model file ${source} ${en}`, zh: `模型文件 ${source} ${zh}` });

export function scorerFromJson(json: unknown, source = 'model'): Scorer {
  const j = json as ReturnType<typeof scorerToJson>;
  if (!j || j.format !== SCORER_FORMAT)
    throw modelError(source, 'is not a Tianping scorer file.', '不是天平评分模型文件。');
  if (j.formatVersion !== SCORER_VERSION && j.formatVersion !== 1)
    throw modelError(
      source,
      `has scorer format ${j.formatVersion}; this version reads format ${SCORER_VERSION}.`,
      `的格式版本为 ${j.formatVersion}，本版本只能读取 ${SCORER_VERSION}。`,
    );
  const differ = Object.entries(FEATURE_PARAMS)
    .filter(([k, v]) => j.featureParams?.[k] !== v)
    .map(([k, v]) => `${k} (model ${j.featureParams?.[k] ?? 'none'}, code ${v})`);
  if (differ.length > 0)
    throw modelError(
      source,
      `was trained with other feature definitions: ${differ.join(', ')}. Retrain it with \`tianping train\`.`,
      `训练时的特征定义与当前不同：${differ.join('，')}。请用 \`tianping train\` 重新训练。`,
    );
  const kindsFrom = (models: ReturnType<typeof kindsToJson> | undefined, stage: string) => {
    const kinds: Partial<Record<SubjectKind, KindModel>> = {};
    for (const [k, m] of Object.entries(models ?? {})) {
      let model: GbdtModel;
      try {
        model = GbdtModel.fromJSON(m.model);
      } catch (e) {
        const why = (e as Error).message;
        throw modelError(
          source,
          `has a broken ${stage}${k} model: ${why}.`,
          `中的 ${stage}${k} 模型已损坏：${why}。`,
        );
      }
      kinds[k as SubjectKind] = { threshold: m.threshold, validation: m.validation, model };
    }
    return kinds;
  };
  const context = (j as { context?: ReturnType<typeof kindsToJson> }).context;
  return {
    version: j.version,
    createdAt: j.createdAt,
    trainedOn: j.trainedOn,
    featureParams: j.featureParams,
    kinds: kindsFrom(j.kinds, ''),
    ...(context ? { context: kindsFrom(context, 'context ') } : {}),
  };
}

export function saveScorer(s: Scorer, path: string) {
  writeFileSync(path, JSON.stringify(scorerToJson(s)));
}

/** Reads a model file; one that cannot be read, parsed or used is an error naming the path and why. */
export function loadScorer(path = DEFAULT_MODEL_FILE): Scorer {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw modelError(path, `cannot be read: ${why}.`, `无法读取：${why}。`);
  }
  return scorerFromJson(json, path);
}
