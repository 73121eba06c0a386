// The main thread's handle on the detection worker: requests by id, answered in order. The thread starts
// on the first request (commands that only load data never pay for it). A thread that dies or cannot
// answer fails every request from then on with the reason; the owner hears of it once, through `onFailure`.
import { Worker } from 'node:worker_threads';
import type { Op, Ops, Reply, Request, WorkerStart } from './protocol.ts';

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

  constructor(
    private readonly start: WorkerStart,
    private readonly onFailure: (e: Error) => void,
  ) {}

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
    const w = this.worker;
    this.worker = undefined;
    this.rejectAll(new Error('The detection worker was stopped.'));
    if (w) await w.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = newWorker(this.start);
    w.unref();
    w.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (this.pending.size === 0) w.unref();
      if (!p) return;
      if (r.ok) p.resolve(r.value as never);
      else p.reject(new ComputeError(r.error.message, r.error.stack));
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
