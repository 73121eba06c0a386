// The server as `npm start` runs it, for the benchmarks that measure it from outside: a data folder with a
// marketplace stored, `tianping serve` started on a free port, and the open-loop load client.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createContext } from '../src/app/context.ts';
import { readNdjsonFile } from '../src/events/index.ts';
import { loadConfig } from '../src/platform/config.ts';

const ROOT = join(import.meta.dirname, '..');

/** The server runs the built JavaScript: rebuild it when a source is newer. */
export function buildIfStale() {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('npm run build failed');
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

/** Stores a marketplace file (or nothing) in a fresh data folder and returns an admin key for it. */
export async function storeMarket(
  file: string | undefined,
  dataDir: string,
): Promise<{ key: string; events: number }> {
  const config = { ...loadConfig({ port: 0, dataDir }), logLevel: 'silent', databaseUrl: undefined };
  const ctx = await createContext(config);
  try {
    const key = (await ctx.keys.ensureFirstAdmin()) ?? (await ctx.keys.create({ roles: ['admin'] })).key;
    if (file) {
      let pending: Promise<unknown> | undefined;
      for await (const b of readNdjsonFile(file, 5000)) {
        const checked = ctx.events.check(b.records, 'line');
        if (pending) await pending;
        pending = ctx.events.commit(checked);
      }
      await pending;
    }
    return { key, events: await ctx.events.count() };
  } finally {
    await ctx.close();
  }
}

/** The HTTP status of a GET, or 0 when it failed or timed out. */
export const status = async (url: string, headers: Record<string, string> = {}) => {
  try {
    const r = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
};

export async function until(pred: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

export interface StartOptions {
  /** Environment on top of the defaults below, which it may override. */
  env?: Record<string, string>;
  /** Pipes the server's stdout and hands each of its JSON log lines to this; otherwise stdout is dropped. */
  onLog?: (line: Record<string, unknown>) => void;
}

/** `tianping serve` on a data folder (embedded store), with no scheduled batch run to land mid-figure. */
export function startServer(dataDir: string, port: number, options: StartOptions = {}): ChildProcess {
  const { onLog } = options;
  const child = spawn(process.execPath, [join(ROOT, 'bin/tianping.js'), 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      TIANPING_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      TIANPING_BATCH_EVERY_SECONDS: '0',
      TIANPING_BATCH_EVERY_EVENTS: '0',
      ...options.env,
    },
    stdio: ['ignore', onLog ? 'pipe' : 'ignore', 'inherit'],
  });
  if (onLog) {
    let rest = '';
    child.stdout?.on('data', (d) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('{')) onLog(JSON.parse(l) as Record<string, unknown>);
    });
  }
  return child;
}

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  achieved: number;
}

/**
 * The open-loop client (bench/load-client.mjs) in its own process. The promise carries the child, so a run
 * of unknown length can be ended with SIGTERM; the answers still awaited are measured.
 */
export function loadClient(input: {
  url: string;
  rate: number;
  seconds: number;
  method?: 'GET' | 'POST';
  key?: string;
  bodies?: string[];
  warmup?: number;
  offset?: number;
}): Promise<LoadResult> & { child: ChildProcess } {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'load-client.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify({ bodies: [''], ...input }));
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const done = new Promise<LoadResult>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load client exited ${code}`)),
    ),
  );
  return Object.assign(done, { child });
}
