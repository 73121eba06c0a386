// Trains GBDTs on worker threads (one per core by default), so independent models — bagged members, blend
// components, cross-validation folds — use every core. Each model is trained exactly as trainGbdtBinned
// would train it in this thread: the same job gives the same model whatever the thread count.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Binned } from './binning.ts';
import { GbdtModel, type GbdtParams, type TrainingMeta, type Tree, trainGbdtBinned } from './gbdt.ts';

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

export type WorkerReply =
  | { id: number; model: ModelParts; validMargin?: Float64Array }
  | { id: number; error: string };

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
  id: number;
  job: GbdtJob;
  resolve: (r: JobResult) => void;
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
    if (this.closed) return Promise.reject(new Error('gbdt pool: closed'));
    if (this.threads === 1) {
      // Yield first, so several jobs submitted together still run one after another in order.
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(runJob(job));
          } catch (e) {
            reject(e as Error);
          }
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
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
      w.postMessage({ id: p.id, job: p.job });
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
      if (p && p.id === r.id) {
        if ('error' in r) p.reject(new Error(r.error));
        else p.resolve({ model: new GbdtModel(r.model), validMargin: r.validMargin });
      }
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
