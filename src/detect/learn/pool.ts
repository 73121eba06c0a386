// Trains GBDTs on worker threads (one per core by default), so independent models — bagged members, blend
// components, cross-validation folds — use every core. Each model is trained exactly as trainGbdtBinned
// would train it in this thread: the same job gives the same model whatever the thread count.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Binned, binColumnRange, sharedBytes } from './binning.ts';
import { GbdtModel, type GbdtParams, type TrainingMeta, type Tree, trainGbdtBinned } from './gbdt.ts';
import type { Matrix } from './matrix.ts';

export interface GbdtJob {
  binned: Binned;
  y: ArrayLike<number>;
  params?: Partial<GbdtParams>;
  featureNames?: string[];
  /** Validation rows binned with the training bounds, for early stopping. */
  validBinned?: { binned: Binned; y: ArrayLike<number> };
  /** Also return the kept model's margins on the validation rows. */
  keepValidMargin?: boolean;
}

export interface JobResult {
  model: GbdtModel;
  validMargin?: Float64Array;
}

/** A trained model as it crosses threads (typed arrays are cloned, bins are shared). */
export interface ModelParts {
  featureNames: string[];
  baseScore: number;
  params: GbdtParams;
  meta: TrainingMeta;
  trees: Tree[];
}

/** Bin columns [from, to) of x into `bins` from column `base` on (both on shared memory: nothing is copied). */
export interface BinJob {
  x: Matrix;
  from: number;
  to: number;
  maxBins: number;
  bins: Uint8Array;
  base: number;
}

export type WorkerRequest = { id: number; job: GbdtJob } | { id: number; bin: BinJob };

export type WorkerReply =
  | { id: number; model: ModelParts; validMargin?: Float64Array }
  | { id: number; upper: Float64Array[] }
  | { id: number; error: string };

/** Runs a request as a worker would and returns its reply (errors included). */
export function serve(msg: WorkerRequest): WorkerReply {
  try {
    if ('bin' in msg) {
      const b = msg.bin;
      return { id: msg.id, upper: binColumnRange(b.x, b.from, b.to, b.maxBins, b.bins, b.base) };
    }
    const r = runJob(msg.job);
    return { id: msg.id, model: toParts(r.model), validMargin: r.validMargin };
  } catch (e) {
    return { id: msg.id, error: (e as Error).message };
  }
}

/** Columns per binning request: small enough that both threads stay busy, large enough to read rows well. */
const BIN_CHUNK_COLUMNS = 32;

export function runJob(job: GbdtJob): JobResult {
  const validMargin =
    job.keepValidMargin && job.validBinned ? new Float64Array(job.validBinned.binned.rows) : undefined;
  const model = trainGbdtBinned(job.binned, job.y, {
    params: job.params,
    featureNames: job.featureNames,
    validBinned: job.validBinned,
    validMarginOut: validMargin,
  });
  return { model, validMargin };
}

export function toParts(m: GbdtModel): ModelParts {
  return {
    featureNames: m.featureNames,
    baseScore: m.baseScore,
    params: m.params,
    meta: m.meta,
    trees: m.trees,
  };
}

/** Threads to use by default: every core, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

// The worker runs from the same build as this file: JavaScript in dist/, TypeScript under tsx (tests, lab
// scripts), where Node 20 does not pass tsx's loader on to workers, so a small bootstrap registers it first.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(FROM_SOURCE ? './gbdt-worker.ts' : './gbdt-worker.js', import.meta.url);

function newWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_FILE);
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(WORKER_FILE.href)}); })`;
  return new Worker(boot, { eval: true });
}

interface Pending {
  msg: WorkerRequest;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/**
 * A queue of GBDT jobs over up to `threads` workers, started on first use. With one thread the jobs run in
 * this thread, one after another. Call close() when done (idle workers never keep the process alive).
 */
export class GbdtPool {
  readonly threads: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private started = 0;
  private nextId = 0;
  private closed = false;

  constructor(threads = defaultThreads()) {
    if (!(Number.isInteger(threads) && threads >= 1))
      throw new Error(`gbdt pool: threads must be ≥ 1, got ${threads}`);
    this.threads = threads;
  }

  train(job: GbdtJob): Promise<GbdtModel> {
    return this.run(job).then((r) => r.model);
  }

  /** The model and, with keepValidMargin, its validation margins. */
  run(job: GbdtJob): Promise<JobResult> {
    return this.submit({ id: this.nextId++, job }).then((r) => {
      if ('model' in r) return { model: new GbdtModel(r.model), validMargin: r.validMargin };
      throw new Error('gbdt pool: a training job got a binning reply');
    });
  }

  /**
   * binMatrix over the threads, of columns [from, x.cols): columns in chunks, queued like any job (so requests
   * made before it run first). The same bins and bounds as binMatrix in this thread.
   */
  async bin(x: Matrix, maxBins = 255, from = 0): Promise<Binned> {
    // Workers read the matrix in place; one copy to shared memory if it is not there already.
    let data = x.data;
    if (!(data.buffer instanceof SharedArrayBuffer)) {
      data = new Float32Array(new SharedArrayBuffer(x.data.byteLength));
      data.set(x.data);
    }
    const shared: Matrix = { rows: x.rows, cols: x.cols, data };
    const cols = x.cols - from;
    const bins = sharedBytes(x.rows * cols);
    const parts: Array<Promise<WorkerReply>> = [];
    for (let f = from; f < x.cols; f += BIN_CHUNK_COLUMNS) {
      const to = Math.min(x.cols, f + BIN_CHUNK_COLUMNS);
      parts.push(
        this.submit({ id: this.nextId++, bin: { x: shared, from: f, to, maxBins, bins, base: from } }),
      );
    }
    const upper: Float64Array[] = [];
    for (const r of await Promise.all(parts)) {
      if (!('upper' in r)) throw new Error('gbdt pool: a binning job got a training reply');
      upper.push(...r.upper);
    }
    return { rows: x.rows, cols, bins, upper };
  }

  private submit(msg: WorkerRequest): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('gbdt pool: closed'));
    const settle = (r: WorkerReply, resolve: (r: WorkerReply) => void, reject: (e: Error) => void) => {
      if ('error' in r) reject(new Error(r.error));
      else resolve(r);
    };
    if (this.threads === 1) {
      // Yield first, so several jobs submitted together still run one after another in order.
      return new Promise((resolve, reject) => setImmediate(() => settle(serve(msg), resolve, reject)));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, resolve: (r) => settle(r, resolve, reject), reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('gbdt pool: closed'));
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w && this.started < this.threads) w = this.spawn();
      if (!w) return;
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      w.ref();
      w.postMessage(p.msg);
    }
  }

  private spawn(): Worker {
    this.started++;
    const w = newWorker();
    w.on('message', (r: WorkerReply) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      w.unref();
      this.idle.push(w);
      if (p && p.msg.id === r.id) p.resolve(r);
      this.pump();
    });
    w.on('error', (e) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      this.started--;
      p?.reject(e);
      this.pump();
    });
    return w;
  }
}
