// The detection worker thread: holds the compute and answers the main thread's requests one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadScorer } from '../scorer.ts';
import { DetectCompute } from './compute.ts';
import type { Request, WorkerStart } from './protocol.ts';

const start = workerData as WorkerStart;
const compute = new DetectCompute(start.rules, loadScorer(start.modelFile));

parentPort?.on('message', (req: Request) => {
  const reply = compute.serve(req);
  // A snapshot's bytes are moved to the main thread, not copied.
  const bytes = reply.ok && req.op === 'snapshot' ? (reply.value as { bytes: Uint8Array }).bytes : undefined;
  parentPort?.postMessage(reply, bytes ? [bytes.buffer as ArrayBuffer] : []);
});
