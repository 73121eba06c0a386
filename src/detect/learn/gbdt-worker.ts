// Worker thread of GbdtPool: serves one request at a time (a training job or a range of columns to bin).
import { parentPort } from 'node:worker_threads';
import { serve, type WorkerRequest } from './pool.ts';

parentPort?.on('message', (msg: WorkerRequest) => {
  parentPort?.postMessage(serve(msg));
});
