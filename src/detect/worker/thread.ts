// The detection worker thread: holds the compute and answers the main thread's requests one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadScorer } from '../scorer.ts';
import { DetectCompute } from './compute.ts';
import type { Loaded, Request, WorkerStart } from './protocol.ts';

const start = workerData as WorkerStart;
// The model is read here only (the main thread never parses it), and reported first: a model that cannot
// be used stops start-up with its message.
let compute: DetectCompute | undefined;
try {
  const scorer = loadScorer(start.modelFile);
  compute = new DetectCompute(start.rules, scorer);
  compute.snapshotDir = start.preload;
  parentPort?.postMessage({ id: -1, ok: true, value: { model: scorer.version } } satisfies Loaded);
} catch (e) {
  const err = e as Error & { code?: string; zh?: string };
  parentPort?.postMessage({
    id: -1,
    ok: false,
    error: { message: err.message, code: err.code, zh: err.zh, stack: err.stack },
  } satisfies Loaded);
}

// One request at a time, in order: a restore waiting for its preloaded snapshot holds back those after it.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (req: Request) => {
  const c = compute;
  if (!c) return;
  queue = queue.then(async () => {
    const reply = await c.serveAsync(req);
    // A snapshot's bytes are moved to the main thread, not copied.
    const bytes =
      reply.ok && req.op === 'snapshot' ? (reply.value as { bytes: Uint8Array }).bytes : undefined;
    parentPort?.postMessage(reply, bytes ? [bytes.buffer as ArrayBuffer] : []);
  });
});
