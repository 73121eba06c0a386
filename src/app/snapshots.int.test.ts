// Restarts from a snapshot against a store that replayed its whole log: the same signals, alerts and rule
// hits, once each, and the same engine memory — after an orderly stop with more events stored while down,
// after `kill -9` between a snapshot and the events after it, and with a snapshot that is broken or was
// built with other rules (passed over, with the reason logged, for a full replay).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  DEFAULT_RULES_FILE,
  decodeSnapshot,
  FolderSnapshotStore,
  loadRulesFile,
  type SnapshotStore,
  streamDigest,
  TableSnapshotStore,
} from '../detect/index.ts';
import type { MarketEvent } from '../events/index.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { openDb } from '../platform/db/open.ts';
import { everySchemeEvents } from '../sim/testing.ts';
import { type AppContext, createContext } from './context.ts';

const events = everySchemeEvents({ merchants: 50, buyers: 2500, days: 8, seed: 'restart' });
const records = (xs: MarketEvent[]) => xs.map((value, pos) => ({ pos, value }));
const digest = streamDigest(loadRulesFile());
const url = process.env.DATABASE_URL;
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Logged {
  msg: string;
  reason?: string;
  seq?: number;
}

/** A store that survives its contexts: a data folder, or a schema of its own on DATABASE_URL. */
function durableStore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-restart-'));
  const schema = `t_${randomBytes(5).toString('hex')}`;
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (url)
    cleanups.push(async () => {
      const db = await openDb({ databaseUrl: url, schema, migrate: false });
      await db.exec(`drop schema if exists ${schema} cascade`);
      await db.close();
    });
  /** `serving`: as `tianping serve` opens it (the worker preloads the newest snapshot that fits). */
  const open = (
    settings: Partial<Config> = {},
    logs: Logged[] = [],
    serving = false,
  ): Promise<AppContext> => {
    const config = {
      ...loadConfig({ port: 0 }),
      logLevel: 'silent',
      batchEverySeconds: 0,
      batchEveryEvents: 0,
      snapshotEverySeconds: 0,
      snapshotEveryEvents: 0,
      ...settings,
      dataDir,
      databaseUrl: url,
    };
    const log = (obj: object, msg: string) => logs.push({ ...obj, msg });
    const logger = { info: log, warn: log, error: log };
    return createContext(config, url ? { schema, logger, serving } : { logger, serving });
  };
  /** Its snapshots, while no context has it open. */
  const snapshots = async <T>(fn: (store: SnapshotStore) => Promise<T>): Promise<T> => {
    if (!url) return fn(new FolderSnapshotStore(join(dataDir, 'snapshots')));
    const db = await openDb({ databaseUrl: url, schema, migrate: false });
    try {
      return await fn(new TableSnapshotStore(db));
    } finally {
      await db.close();
    }
  };
  return { dataDir, open, snapshots };
}

/** What detection stored, in an order that does not depend on pages. */
async function stored(ctx: AppContext) {
  const signals = await ctx.detect.signals({ limit: 100_000 });
  const alerts = await ctx.detect.alerts({ limit: 100_000, offset: 0 });
  return {
    signals: signals.sort((a, b) => a.id.localeCompare(b.id)),
    alerts: alerts.sort((a, b) => `${a.kind}:${a.subject}`.localeCompare(`${b.kind}:${b.subject}`)),
    hits: ctx.detect
      .rules()
      .map((r) => [r.rule, r.hits])
      .sort(),
  };
}

/** The engine memory as the newest snapshot of a store holds it. */
async function newestMemory(store: SnapshotStore) {
  const [s] = await store.list();
  assert.ok(s, 'an orderly stop leaves a snapshot');
  return { seq: s.header.seq, memory: decodeSnapshot(await store.read(s.id), digest).memory };
}

async function detectAll(ctx: AppContext) {
  ctx.detect.start();
  await ctx.detect.caughtUp();
}

// The reference: every event stored, then the whole log replayed once (no snapshot to start from).
const whole = durableStore();
let reference: Promise<{ out: Awaited<ReturnType<typeof stored>>; memory: unknown }> | undefined;
function replayedWhole() {
  reference ??= (async () => {
    const ctx = await whole.open();
    await ctx.events.ingest(records(events), 'index');
    await detectAll(ctx);
    const out = await stored(ctx);
    await ctx.close();
    const { seq, memory } = await whole.snapshots(newestMemory);
    assert.equal(seq, events.length);
    return { out, memory };
  })();
  return reference;
}

test('a restart from a snapshot, with more events stored while down, ends as a whole replay does', async () => {
  const ref = await replayedWhole();
  assert.ok(ref.out.signals.length > 100, `${ref.out.signals.length} signals`);
  const s = durableStore();
  const cut = Math.floor(events.length * 0.6);
  const a = await s.open();
  await a.events.ingest(records(events.slice(0, cut)), 'index');
  await detectAll(a);
  await a.close(); // an orderly stop: a snapshot at `cut`
  assert.equal((await s.snapshots((st) => st.list()))[0]?.header.seq, cut);
  const logs: Logged[] = [];
  const b = await s.open({}, logs);
  await b.events.ingest(records(events.slice(cut)), 'index'); // stored while detection is not running
  await detectAll(b);
  assert.ok(logs.some((l) => l.msg.startsWith('detection restored from a snapshot') && l.seq === cut));
  const status = await b.detect.status();
  assert.equal(status.last_seq, events.length);
  assert.equal(status.events, events.length, 'the restored state holds every event of the market');
  const out = await stored(b);
  await b.close();
  assert.deepEqual(out, ref.out, 'the same signals, alerts and rule hits');
  const mine = await s.snapshots(newestMemory);
  assert.equal(mine.seq, events.length);
  assert.deepStrictEqual(mine.memory, ref.memory, 'the same engine memory');
});

test('a broken snapshot, or one built with other rules, is passed over with the reason, for a full replay', async () => {
  const ref = await replayedWhole();
  // A broken copy is the newest; the whole one beside it is restored instead.
  await whole.snapshots(async (st) => {
    const [snap] = await st.list();
    const bytes = Buffer.from(await st.read(snap.id));
    bytes[bytes.length - 1000] ^= 0xff;
    await st.save({ ...snap.header, seq: snap.header.seq + 1 }, bytes);
  });
  const logs: Logged[] = [];
  const c = await whole.open({}, logs, true);
  await detectAll(c);
  const passed = logs.filter((l) => l.msg === 'snapshot not used');
  assert.equal(passed.length, 1, JSON.stringify(logs));
  assert.match(String(passed[0].reason), /do not match their checksum/);
  assert.ok(
    logs.some((l) => l.msg.startsWith('detection restored from a snapshot') && l.seq === events.length),
  );
  assert.deepEqual(await stored(c), ref.out);
  await c.close();

  // Other rules: no snapshot fits, so the whole log is replayed.
  const other = join(whole.dataDir, 'other-rules.yaml');
  const text = await readFile(DEFAULT_RULES_FILE, 'utf8');
  writeFileSync(other, text.replace(/ratio: 6\b/, 'ratio: 6.5'));
  const logs2: Logged[] = [];
  const d = await whole.open({ rulesFile: other }, logs2);
  await detectAll(d);
  assert.ok(
    logs2.some((l) => l.msg === 'snapshot not used' && /built with other rules/.test(String(l.reason))),
    JSON.stringify(logs2),
  );
  assert.ok(logs2.some((l) => l.msg === 'no snapshot fits; replaying the whole log'));
  assert.equal((await d.detect.status()).last_seq, events.length);
  await d.close();
});

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tianping.js');

/** `tianping serve` (compiled) on a data folder, its JSON log lines collected as they come. */
function serve(dataDir: string, env: Record<string, string>) {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete e.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: e,
  });
  const lines: Array<Record<string, unknown>> = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (b) => {
    out += b;
    const parts = out.split('\n');
    out = parts.pop() ?? '';
    for (const l of parts)
      if (l.startsWith('{')) lines.push(JSON.parse(l));
      else if (/tp_\S+/.test(l)) lines.push({ key: /(tp_\S+)/.exec(l)![1] });
  });
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (b) => {
      err += b;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, lines, listening, exited };
}

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('kill -9 after a snapshot and more events detected: the restart replays the tail to the same end', {
  skip: url ? 'the embedded store only (a child process on a data folder); it ran in the PGlite pass' : false,
}, async () => {
  const ref = await replayedWhole();
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-kill-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const cut = Math.floor(events.length * 0.6);
  const server = serve(dataDir, {
    TIANPING_SNAPSHOT_EVERY_EVENTS: String(cut),
    TIANPING_SNAPSHOT_EVERY_SECONDS: '0',
    TIANPING_BATCH_EVERY_SECONDS: '0',
    TIANPING_BATCH_EVERY_EVENTS: '0',
  });
  try {
    const base = await server.listening;
    await until('the first admin key', () => server.lines.some((l) => l.key));
    const key = server.lines.find((l) => l.key)!.key as string;
    const post = async (xs: MarketEvent[]) => {
      const r = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
        body: `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`,
      });
      assert.equal(r.status, 200, await r.text());
    };
    await post(events.slice(0, cut));
    await until('a snapshot at the cut', () =>
      server.lines.some((l) => l.msg === 'snapshot stored' && l.seq === cut),
    );
    await post(events.slice(cut));
    await until('every event detected', async () => {
      const r = await fetch(`${base}/v1/detection/status`, { headers: { authorization: `Bearer ${key}` } });
      return ((await r.json()) as { last_seq: number }).last_seq === events.length;
    });
    server.child.kill('SIGKILL');
    await server.exited;
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  }
  const snaps = readdirSync(join(dataDir, 'snapshots')).filter((n) => n.endsWith('.tpsnap'));
  assert.equal(snaps.length, 1, 'the killed server took no snapshot after the one at the cut');

  const logs: Logged[] = [];
  const config = { ...loadConfig({ dataDir }), logLevel: 'silent', databaseUrl: undefined };
  const log = (obj: object, msg: string) => logs.push({ ...obj, msg });
  const ctx = await createContext(
    { ...config, batchEverySeconds: 0, batchEveryEvents: 0 },
    { logger: { info: log, warn: log, error: log }, serving: true },
  );
  await detectAll(ctx);
  assert.ok(logs.some((l) => l.msg.startsWith('detection restored from a snapshot') && l.seq === cut));
  const out = await stored(ctx);
  await ctx.close();
  assert.deepEqual(out, ref.out, 'no signal lost or doubled, the same alerts and rule hits');
  const mine = await newestMemory(new FolderSnapshotStore(join(dataDir, 'snapshots')));
  assert.deepStrictEqual(mine.memory, ref.memory, 'the same engine memory');
});
