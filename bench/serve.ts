// Serving figures: a stored marketplace, then `tianping serve` (the built JavaScript, as `npm start` runs
// it) restarted on it: seconds until /health and /ready answer, first with no snapshot (the whole log
// replayed), then after an orderly stop left one (its size and the time to encode, write, read and decode
// it, from the server's log); and /health latency from a separate open-loop client while batch runs (rings
// and the learned scorer) follow one another.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildIfStale,
  freePort,
  loadClient,
  startServer,
  status,
  storeMarket,
  until,
} from './server-process.ts';
import { figure, note } from './support.ts';

interface Server {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** The server's log lines (JSON) so far. */
  logs: Array<Record<string, unknown>>;
}

function start(dataDir: string, port: number): Server {
  const logs: Server['logs'] = [];
  const child = startServer(dataDir, port, {
    // The bench asks for batch runs itself (startServer turns the scheduled ones off), and the only
    // snapshot is the one an orderly stop takes.
    env: { LOG_LEVEL: 'info', TIANPING_SNAPSHOT_EVERY_SECONDS: '0', TIANPING_SNAPSHOT_EVERY_EVENTS: '0' },
    // Request lines are many and not needed here.
    onLog: (j) => {
      if (j.name === 'detection') logs.push(j);
    },
  });
  return { child, logs, exited: new Promise((r) => child.on('exit', r)) };
}

/** Starts the server and waits for /health, then /ready: seconds to each from the start. */
async function restart(dataDir: string, port: number) {
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const server = start(dataDir, port);
  await until(async () => (await status(`${base}/health`)) === 200, 300_000);
  const toHealth = (performance.now() - t0) / 1000;
  // A build without /ready (404) is reported as such rather than waited for.
  let readyStatus = 0;
  const ready = await until(
    async () => [200, 404].includes((readyStatus = await status(`${base}/ready`))),
    600_000,
  );
  const toReady = ready && readyStatus === 200 ? (performance.now() - t0) / 1000 : undefined;
  return { server, toHealth, toReady, readyText: readyStatus === 404 ? 'no /ready' : 'never' };
}

/** Resident memory of a process (Linux), MiB; the detection worker is a thread of it. */
function rssMiBOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const logged = (s: Server, msg: string) => s.logs.find((l) => String(l.msg).startsWith(msg));
const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/** An orderly stop (SIGTERM): seconds it took, and the snapshot it wrote as the log tells. */
async function stopServer(s: Server) {
  const t0 = performance.now();
  s.child.kill('SIGTERM');
  await s.exited;
  return { seconds: (performance.now() - t0) / 1000, snapshot: logged(s, 'snapshot stored') };
}

export async function benchServe(market: string, seconds = 20) {
  buildIfStale();
  const dataDir = mkdtempSync(join(tmpdir(), 'tianping-bench-serve-'));
  let server: Server | undefined;
  try {
    note('storing the marketplace in a data folder');
    const { key, events } = await storeMarket(join(market, 'events.ndjson'), dataDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const stored = `${events.toLocaleString('en-US')} events stored`;
    const cold = await restart(dataDir, port);
    server = cold.server;
    figure('restart to /health, no snapshot', cold.toHealth, 's', stored);
    figure('restart to /ready 200, no snapshot', cold.toReady ?? cold.readyText, cold.toReady ? 's' : '');
    const rss = rssMiBOf(cold.server.child.pid);
    figure(
      'server RSS once ready',
      rss,
      'MiB',
      `${((rss / events) * 1e6).toFixed(0)} MiB per million events`,
    );
    const down = await stopServer(cold.server);
    const snap = down.snapshot;
    figure('orderly stop, snapshot included', down.seconds, 's');
    if (snap) {
      const files = readdirSync(join(dataDir, 'snapshots')).filter((f) => f.endsWith('.tpsnap'));
      const size = files.reduce((n, f) => n + statSync(join(dataDir, 'snapshots', f)).size, 0);
      const perMillion = ((num(snap.bytes) / events) * 1e6) / 2 ** 20;
      figure(
        'snapshot size',
        num(snap.bytes) / 2 ** 20,
        'MiB',
        `${perMillion.toFixed(0)} MiB per million events; ${files.length} file(s), ${(size / 2 ** 20).toFixed(0)} MiB on disk`,
      );
      figure('snapshot encode (worker)', num(snap.encodeSeconds), 's');
      figure('snapshot write (file, fsync)', num(snap.writeSeconds), 's');
    } else figure('snapshot', 'none written', '');

    const warm = await restart(dataDir, port);
    server = warm.server;
    figure('restart to /health, from the snapshot', warm.toHealth, 's');
    figure(
      'restart to /ready 200, from the snapshot',
      warm.toReady ?? warm.readyText,
      warm.toReady ? 's' : '',
    );
    const restored = logged(warm.server, 'detection restored from a snapshot');
    if (restored) {
      figure('snapshot read (main thread)', num(restored.readSeconds), 's');
      figure('snapshot decode (worker)', num(restored.decodeSeconds), 's');
    } else
      figure(
        'snapshot restore',
        'not restored',
        '',
        String(logged(warm.server, 'snapshot not used')?.reason ?? ''),
      );

    note(
      `whole batch runs, one after another for at least ${seconds} s, while /health is asked 200 times a second`,
    );
    const auth = { authorization: `Bearer ${key}` };
    let runs = 0;
    let runSeconds = 0;
    // The client asks from before the first run starts until the last run has been stored, so every part
    // of a run (reading signals, the compute, storing rings and alerts) is inside the figure.
    const probe = loadClient({ url: `${base}/health`, method: 'GET', rate: 200, seconds: 3600, warmup: 0 });
    const t0 = performance.now();
    do {
      const t = performance.now();
      const r = await fetch(`${base}/v1/detection/run`, { method: 'POST', headers: auth });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`POST /v1/detection/run answered ${r.status}`);
      runs++;
      runSeconds += (performance.now() - t) / 1000;
    } while ((performance.now() - t0) / 1000 < seconds);
    probe.child.kill('SIGTERM');
    const h = await probe;
    figure(
      '/health p99 during batch runs',
      h.p99,
      'ms',
      `p50 ${h.p50.toFixed(1)} ms, max ${h.max.toFixed(1)} ms, ${h.ok} ok, ${h.errors} errors`,
    );
    figure(
      'batch run (rings + scorer), over HTTP',
      runs ? runSeconds / runs : 'none',
      runs ? 's' : '',
      `${runs} runs`,
    );
    await stopServer(server);
  } finally {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
