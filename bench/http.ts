// HTTP figures from separate open-loop clients against `tianping serve` (the built JavaScript, as
// `npm start` runs it): the highest real-time decision rate whose p99 stays within 10 ms, and /health
// latency while a million events arrive over HTTP.
import type { ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  buildIfStale,
  freePort,
  loadClient,
  startServer,
  status,
  storeMarket,
  until,
} from './server-process.ts';
import { figure, heading, note } from './support.ts';

/** Decision latency target of the issue: the highest rate is the last one whose p99 stays within it. */
const P99_TARGET_MS = 10;

async function started(dataDir: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(dataDir, port);
  const exited = new Promise((r) => server.on('exit', r));
  if (!(await until(async () => (await status(`${base}/ready`)) === 200, 600_000)))
    throw new Error('the server never became ready');
  return { base, server, exited };
}

async function stop(s: { server: ChildProcess; exited: Promise<unknown> }) {
  s.server.kill('SIGTERM');
  await s.exited;
}

/** Open-loop decision requests at rising rates until p99 passes the target or answers fail. */
export async function benchDecisionRate(market: string, seconds = 5) {
  heading('Real-time decisions (open loop, separate client process)');
  buildIfStale();
  const dataDir = mkdtempSync(join(tmpdir(), 'tianping-bench-decide-'));
  try {
    note('storing the marketplace in a data folder');
    const file = join(market, 'events.ndjson');
    const { key, events } = await storeMarket(file, dataDir);
    const s = await started(dataDir);
    try {
      // Decisions read the last batch run (rings, scores): one first, as a running service would have.
      const run = await fetch(`${s.base}/v1/detection/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
      await run.arrayBuffer();
      // Requests are real orders of the marketplace, resent under new ids.
      const orders: string[] = [];
      for await (const line of createInterface({ input: createReadStream(file) })) {
        if (line.includes('"order.created"')) orders.push(line);
        if (orders.length === 5000) break;
      }
      note(`${events.toLocaleString('en-US')} events stored; ${seconds} s per rate after 1 s of warm-up`);
      let best = 0;
      let offset = 0;
      for (const rate of [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000]) {
        const r = await loadClient({
          url: `${s.base}/v1/decisions/order`,
          key,
          rate,
          seconds,
          warmup: 1,
          bodies: orders,
          offset,
        });
        offset += rate * (seconds + 1);
        const within = r.errors === 0 && r.p99 <= P99_TARGET_MS && r.achieved >= rate * 0.97;
        figure(
          `decisions at ${rate.toLocaleString('en-US')}/s: p99`,
          r.p99,
          'ms',
          `p50 ${r.p50.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.ok} ok, ${r.errors} errors, ${r.achieved.toFixed(0)}/s sent`,
        );
        if (!within) break;
        best = rate;
      }
      figure(
        `highest decision rate with p99 ≤ ${P99_TARGET_MS} ms`,
        best || 'below 1,000',
        best ? 'decisions/s' : '',
        'target ≥ 5,000/s',
      );
    } finally {
      await stop(s);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** /health asked 100 times a second from one process while another sends `count` events over HTTP. */
export async function benchHealthDuringIntake(market: string, count = 1_000_000, batch = 5000) {
  heading('HTTP intake and /health (separate client processes)');
  buildIfStale();
  const dataDir = mkdtempSync(join(tmpdir(), 'tianping-bench-http-intake-'));
  try {
    const { key } = await storeMarket(undefined, dataDir);
    const s = await started(dataDir);
    try {
      note(`sending ${count.toLocaleString('en-US')} events in NDJSON bodies of ${batch}`);
      const probe = loadClient({ url: `${s.base}/health`, method: 'GET', rate: 100, seconds: 3600 });
      const t0 = performance.now();
      const sent = await sendNdjson(join(market, 'events.ndjson'), `${s.base}/v1/events`, key, count, batch);
      const seconds = (performance.now() - t0) / 1000;
      probe.child.kill('SIGTERM');
      const h = await probe;
      figure(
        'HTTP intake (NDJSON, one client, 2 requests in flight)',
        sent.accepted / seconds,
        'events/s',
        `${sent.accepted.toLocaleString('en-US')} accepted in ${seconds.toFixed(1)} s, ${sent.failed} requests failed`,
      );
      figure(
        '/health p99 during HTTP intake',
        h.p99,
        'ms',
        `p50 ${h.p50.toFixed(1)} ms, max ${h.max.toFixed(1)} ms, ${h.ok} ok, ${h.errors} errors; target ≤ 50 ms`,
      );
      const rss = await serverRss(s.server);
      if (rss)
        figure(
          'server RSS after intake',
          rss,
          'MiB',
          `${(rss / (count / 1e6)).toFixed(0)} MiB per million events stored`,
        );
    } finally {
      await stop(s);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Resident memory of a child process now, from /proc (Linux), in MiB. */
async function serverRss(p: ChildProcess): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${p.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The first `count` lines of `file`, posted `batch` at a time with two requests in flight. */
export async function sendNdjson(file: string, url: string, key: string, count: number, batch: number) {
  let accepted = 0;
  let failed = 0;
  let lines: string[] = [];
  let read = 0;
  const inFlight = new Set<Promise<void>>();
  const post = (body: string) => {
    const p = (async () => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      const b = (await r.json()) as { accepted?: number };
      if (r.status === 200) accepted += b.accepted ?? 0;
      else failed++;
    })().finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };
  for await (const line of createInterface({ input: createReadStream(file) })) {
    lines.push(line);
    if (++read % 100_000 === 0) note(`${read.toLocaleString('en-US')} events sent`);
    if (lines.length === batch || read === count) {
      if (inFlight.size >= 2) await Promise.race(inFlight);
      post(`${lines.join('\n')}\n`);
      lines = [];
    }
    if (read === count) break;
  }
  if (lines.length) post(`${lines.join('\n')}\n`);
  await Promise.all(inFlight);
  return { accepted, failed };
}
