// Serving figures: a stored marketplace, then `tianping serve` (the built JavaScript, as `npm start` runs
// it) restarted on it: seconds until /health and /ready answer, and /health latency from a separate
// open-loop client while batch runs (rings and the learned scorer) follow one another.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

function startServer(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin/tianping.js'), 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      TIANPING_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // The bench asks for batch runs itself; no scheduled run may land in the middle of a figure.
      TIANPING_BATCH_EVERY_SECONDS: '0',
      TIANPING_BATCH_EVERY_EVENTS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
  let server: ChildProcess | undefined;
  try {
    note('storing the marketplace in a data folder');
    const { key, events } = await store(join(market, 'events.ndjson'), dataDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    server = startServer(dataDir, port);
    const exited = new Promise((r) => server?.on('exit', r));
    await until(async () => (await status(`${base}/health`)) === 200, 300_000);
    const toHealth = (performance.now() - t0) / 1000;
    // A build without /ready (404) is reported as such rather than waited for.
    let readyStatus = 0;
    const ready = await until(
      async () => [200, 404].includes((readyStatus = await status(`${base}/ready`))),
      600_000,
    );
    const toReady = (performance.now() - t0) / 1000;
    figure('restart to /health answering', toHealth, 's', `${events.toLocaleString('en-US')} events stored`);
    const readyText = readyStatus === 404 ? 'no /ready' : 'never';
    figure(
      'restart to /ready answering 200',
      ready && readyStatus === 200 ? toReady : readyText,
      readyStatus === 200 ? 's' : '',
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
    server.kill('SIGTERM');
    await exited;
  } finally {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
