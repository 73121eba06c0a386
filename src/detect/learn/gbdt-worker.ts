// Worker thread of GbdtPool: trains one job at a time and posts the model back.
import { parentPort } from 'node:worker_threads';
import { type GbdtJob, runJob, toParts, type WorkerReply } from './pool.ts';

parentPort?.on('message', (msg: { id: number; job: GbdtJob }) => {
  let reply: WorkerReply;
  try {
    const r = runJob(msg.job);
    reply = { id: msg.id, model: toParts(r.model), validMargin: r.validMargin };
  } catch (e) {
    reply = { id: msg.id, error: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
