// Serving figures: a stored marketplace, then `tianping serve` (the built JavaScript, as `npm start` runs
// it) restarted on it: seconds until /health and /ready answer, first with no snapshot (the whole log
// replayed), then after an orderly stop left one (its size and the time to encode, write, read and decode
// it, from the server's log); and /health latency from a separate open-loop client while batch runs (rings
// and the learned scorer) follow one another.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/app/context.ts';
import { readNdjsonFile } from '../src/events/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { figure, note } from './support.ts';

const ROOT = join(import.meta.dirname, '..');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

/** Stores the marketplace in a fresh data folder and returns an admin key for it. */
async function store(file: string, dataDir: string): Promise<{ key: string; events: number }> {
  const config = { ...loadConfig({ port: 0, dataDir }), logLevel: 'silent', databaseUrl: undefined };
  const ctx = await createContext(config);
  try {
    const key = (await ctx.keys.ensureFirstAdmin()) ?? (await ctx.keys.create({ roles: ['admin'] })).key;
    let pending: Promise<unknown> | undefined;
    for await (const b of readNdjsonFile(file, 5000)) {
      const checked = ctx.events.check(b.records, 'line');
      if (pending) await pending;
      pending = ctx.events.commit(checked);
    }
    await pending;
    return { key, events: await ctx.events.count() };
  } finally {
    await ctx.close();
  }
}

const status = async (url: string, headers: Record<string, string> = {}) => {
  try {
    const r = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
};

async function until(pred: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

interface Server {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** The server's log lines (JSON) so far. */
  logs: Array<Record<string, unknown>>;
}

function startServer(dataDir: string, port: number): Server {
  const child = spawn(process.execPath, [join(ROOT, 'bin/tianping.js'), 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      TIANPING_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      // The bench asks for batch runs itself; no scheduled run may land in the middle of a figure, and
      // the only snapshot is the one an orderly stop takes.
      TIANPING_BATCH_EVERY_SECONDS: '0',
      TIANPING_BATCH_EVERY_EVENTS: '0',
      TIANPING_SNAPSHOT_EVERY_SECONDS: '0',
      TIANPING_SNAPSHOT_EVERY_EVENTS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Server['logs'] = [];
  let rest = '';
  child.stdout?.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      if (!l.startsWith('{')) continue;
      const j = JSON.parse(l) as Record<string, unknown>;
      // Request lines are many and not needed here.
      if (j.name === 'detection') logs.push(j);
    }
  });
  return { child, logs, exited: new Promise((r) => child.on('exit', r)) };
}

/** Starts the server and waits for /health, then /ready: seconds to each from the start. */
async function restart(dataDir: string, port: number) {
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const server = startServer(dataDir, port);
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

/** Open-loop GETs of `url` at `rate` per second for `seconds`, from a separate process. */
async function loadGet(url: string, rate: number, seconds: number) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'load-client.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify({ url, method: 'GET', rate, seconds, warmup: 0, bodies: [''] }));
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  await new Promise((r) => child.on('exit', r));
  return JSON.parse(out) as { ok: number; errors: number; p50: number; p99: number; max: number };
}

export async function benchServe(market: string, seconds = 20) {
  // The server runs the built JavaScript, as `npm start` does: rebuild it when a source is newer.
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('npm run build failed');
  const dataDir = mkdtempSync(join(tmpdir(), 'tianping-bench-serve-'));
  let server: Server | undefined;
  try {
    note('storing the marketplace in a data folder');
    const { key, events } = await store(join(market, 'events.ndjson'), dataDir);
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

    note(`batch runs one after another while /health is asked 200 times a second for ${seconds} s`);
    const auth = { authorization: `Bearer ${key}` };
    let runs = 0;
    let runSeconds = 0;
    let stop = false;
    const batches = (async () => {
      while (!stop) {
        const t = performance.now();
        const r = await fetch(`${base}/v1/detection/run`, { method: 'POST', headers: auth });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`POST /v1/detection/run answered ${r.status}`);
        runs++;
        runSeconds += (performance.now() - t) / 1000;
      }
    })();
    // Runs start only while the client sends; a run in progress when it stops sending is waited for.
    const window = setTimeout(() => {
      stop = true;
    }, seconds * 1000);
    const h = await loadGet(`${base}/health`, 200, seconds);
    clearTimeout(window);
    stop = true;
    await batches;
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
