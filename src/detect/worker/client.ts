// The main thread's handle on the detection worker: requests by id, answered in order. The thread starts
// on the first request (commands that only load data never pay for it). A thread that dies or cannot
// answer fails every request from then on with the reason; the owner hears of it once, through `onFailure`.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import type { Loaded, Op, Ops, Reply, Request, WorkerStart } from './protocol.ts';

// The worker runs from the same build as this file: JavaScript in dist/, TypeScript under tsx (tests),
// where Node 20 does not pass tsx's loader on to workers, so a small bootstrap registers it first (as the
// GBDT pool does, src/detect/learn/pool.ts).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(FROM_SOURCE ? './thread.ts' : './thread.js', import.meta.url);

function newWorker(workerData: WorkerStart): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_FILE, { workerData });
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(WORKER_FILE.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** A request the worker answered with an error (the thread itself is still running). */
export class ComputeError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
    this.name = 'ComputeError';
  }
}

interface Pending {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
}

export class DetectWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  /** Why the thread stopped, once it has. */
  failure: Error | undefined;
  private loadedWith: { resolve(m: string): void; reject(e: Error): void } | undefined;
  private readonly loadedP: Promise<string>;

  constructor(
    private readonly start: WorkerStart,
    private readonly onFailure: (e: Error) => void,
  ) {
    this.loadedP = new Promise<string>((resolve, reject) => {
      this.loadedWith = { resolve, reject };
    });
    // Read by whoever asks; a start-up that never does must not see an unhandled rejection.
    this.loadedP.catch(() => {});
  }

  /**
   * Starts the thread now (else it starts on the first request) and resolves with the model's version
   * once the thread has read it; rejects with the thread's reason when it cannot.
   */
  loaded(): Promise<string> {
    if (!this.closed && !this.failure) this.thread();
    return this.loadedP;
  }

  /** Whether the thread is up (started and not failed). */
  get running(): boolean {
    return this.worker !== undefined && this.failure === undefined && !this.closed;
  }

  /** `transfer`: buffers of `input` to move to the thread rather than copy (they are unusable here after). */
  request<K extends Op>(op: K, input: Ops[K]['in'], transfer: ArrayBuffer[] = []): Promise<Ops[K]['out']> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('The detection worker is closed.'));
    const w = this.thread();
    const id = this.nextId++;
    const req = { id, op, ...input } as Request;
    return new Promise<Ops[K]['out']>((resolve, reject) => {
      try {
        w.postMessage(req, transfer);
      } catch (e) {
        reject(e as Error);
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      w.ref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.loadedWith?.reject(new Error('The detection worker was stopped.'));
    const w = this.worker;
    this.worker = undefined;
    this.rejectAll(new Error('The detection worker was stopped.'));
    if (w) await w.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = newWorker(this.start);
    // Held (ref'd) until the model is read, then only while requests are pending.
    w.on('message', (r: Reply | Loaded) => {
      if (r.id === -1) {
        const l = r as Loaded;
        if (l.ok) this.loadedWith?.resolve(l.value.model);
        else {
          // A model that cannot be used: no request could be answered, so the thread is done.
          const e = new AppError((l.error.code ?? 'internal') as ErrorCode, {
            en: l.error.message,
            zh: l.error.zh ?? l.error.message,
          });
          this.loadedWith?.reject(e);
          this.fail(e);
        }
        if (this.pending.size === 0) w.unref();
        return;
      }
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (this.pending.size === 0) w.unref();
      if (!p) return;
      const reply = r as Reply;
      if (reply.ok) p.resolve(reply.value as never);
      else p.reject(new ComputeError(reply.error.message, reply.error.stack));
    });
    w.on('messageerror', (e) =>
      this.fail(new Error(`The detection worker sent a message that could not be read: ${e.message}`)),
    );
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`The detection worker exited (code ${code}).`));
    });
    this.worker = w;
    return w;
  }

  private fail(e: Error): void {
    if (this.failure || this.closed) return;
    this.failure = e;
    this.loadedWith?.reject(e);
    this.rejectAll(e);
    this.worker?.terminate().catch(() => {});
    this.onFailure(e);
  }

  private rejectAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
