// `kill -9` during HTTP intake, again and again: every batch the server acknowledged is stored exactly
// once, and the store reopens each time. The server runs as a child process (`tianping serve`, compiled)
// on an embedded store in a temporary folder — the store a crash can hurt; on PostgreSQL durability is
// the database's. A client posts numbered NDJSON batches and records which ones were answered 200.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../platform/config.ts';
import { createContext } from './context.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tianping.js');
const CYCLES = 20;
const BATCH = 100;

interface Running {
  child: ChildProcess;
  url: string;
  firstKey?: string;
}

function startServer(dataDir: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL; // always the embedded store (see the top of the file)
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (b) => {
      out += b;
    });
    child.stderr!.on('data', (b) => {
      err += b;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], firstKey: /\b(tp_[0-9a-f]{12}_\S+)/.exec(out)?.[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

function batchBody(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    const id = `crash-${n}-${i}`;
    lines.push(
      JSON.stringify({
        id,
        type: 'account.login',
        time: '2026-11-20T08:15:00+08:00',
        data: { account_id: `a${n % 50}`, device_id: `d${i}`, ip: '10.1.2.3' },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

test(`${CYCLES} kill -9 cycles during HTTP intake: every acknowledged event stored exactly once`, {
  skip: process.env.DATABASE_URL ? 'the embedded store only; it ran in the PGlite pass' : false,
}, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-crash-'));
  const acknowledged: number[] = [];
  let next = 0;
  let key: string | undefined;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await startServer(dataDir);
    key ??= server.firstKey;
    assert.ok(key, 'the first start printed the first admin key');
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200, `cycle ${cycle}: the store reopened`);
    // Post batches back to back, two in flight, and kill the server at a moment that varies by cycle,
    // counted from the cycle's first acknowledgement (a busy machine may take seconds to answer the first).
    let stop = false;
    let firstAck = () => {};
    const acked = new Promise<void>((r) => {
      firstAck = r;
    });
    const client = async () => {
      while (!stop) {
        const n = next++;
        try {
          const r = await fetch(`${server.url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
            body: batchBody(n),
          });
          const body = (await r.json()) as { accepted: number; duplicates: number; rejected_count: number };
          if (r.status === 200) {
            assert.equal(body.rejected_count, 0);
            acknowledged.push(n);
            firstAck();
          }
        } catch {
          return; // the connection died with the server: not acknowledged
        }
      }
    };
    const clients = [client(), client()];
    await Promise.race([acked, new Promise((r) => setTimeout(r, 30_000))]);
    await new Promise((r) => setTimeout(r, (cycle * 97) % 400));
    await killed(server.child);
    stop = true;
    await Promise.all(clients);
  }
  assert.ok(acknowledged.length >= CYCLES, `only ${acknowledged.length} batches acknowledged`);

  const config = { ...loadConfig({ dataDir }), logLevel: 'silent', databaseUrl: undefined };
  const ctx = await createContext(config);
  try {
    const rows = await ctx.db.query<{ id: string; n: number }>(
      `select id, count(*)::int as n from events where id like 'crash-%' group by id`,
    );
    const stored = new Map(rows.map((r) => [r.id, r.n]));
    const missing: string[] = [];
    for (const n of acknowledged) {
      for (let i = 0; i < BATCH; i++) {
        const id = `crash-${n}-${i}`;
        if (!stored.has(id)) missing.push(id);
      }
    }
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged events lost`);
    assert.ok(
      [...stored.values()].every((c) => c === 1),
      'no event stored twice',
    );
    // A batch (under the 2,000-event chunk) is one transaction: one that was not acknowledged is stored whole or not at all.
    const perBatch = new Map<string, number>();
    for (const id of stored.keys()) {
      const b = id.split('-')[1];
      perBatch.set(b, (perBatch.get(b) ?? 0) + 1);
    }
    for (const [b, c] of perBatch) assert.equal(c, BATCH, `batch ${b}: ${c} of ${BATCH} events stored`);
  } finally {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
