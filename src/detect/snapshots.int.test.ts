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
import { type AppContext, createContext } from '../app/context.ts';
import type { MarketEvent } from '../events/index.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { defaultSimOptions } from '../sim/options.ts';
import { simulate } from '../sim/simulate.ts';
import { loadRulesFile } from './rules/load.ts';
import { decodeSnapshot, snapshotDigest } from './snapshots.ts';
import { FolderSnapshotStore, type SnapshotStore, TableSnapshotStore } from './snapshots-store.ts';
import { DETECTORS } from './stream/rules/index.ts';

const opts = defaultSimOptions({ merchants: 50, buyers: 2500, days: 8, seed: 'restart' });
for (const k of Object.keys(opts.schemes) as Array<keyof typeof opts.schemes>)
  (opts.schemes[k] as { enabled?: boolean }).enabled = true;
const events: MarketEvent[] = [];
simulate(opts, { event: (e) => events.push(e), truth: () => {} });
const records = (xs: MarketEvent[]) => xs.map((value, pos) => ({ pos, value }));
const digest = snapshotDigest(loadRulesFile(), DETECTORS.values());
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
  let dropped = false;
  const open = async (settings: Partial<Config> = {}, logs: Logged[] = []): Promise<AppContext> => {
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
    const ctx = await createContext(config, url ? { schema, logger } : { logger });
    if (url && !dropped) {
      dropped = true;
      cleanups.push(async () => {
        const c = await createContext(config, { schema });
        await c.db.exec(`drop schema ${schema} cascade`);
        await c.close();
      });
    }
    return ctx;
  };
  const store = (ctx: AppContext): SnapshotStore =>
    url ? new TableSnapshotStore(ctx.db) : new FolderSnapshotStore(join(dataDir, 'snapshots'));
  return { dataDir, open, store };
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

/** The engine memory as the newest snapshot of a closed store holds it. */
async function newestMemory(store: SnapshotStore) {
  const [s] = await store.list();
  assert.ok(s, 'an orderly stop leaves a snapshot');
  return { seq: s.header.seq, memory: decodeSnapshot(await store.read(s.id), digest).memory };
}

async function detectAll(ctx: AppContext) {
  ctx.detect.start();
  await ctx.detect.caughtUp();
}

// The reference: every event stored, then the whole log replayed once.
let reference: Promise<{ out: Awaited<ReturnType<typeof stored>>; memory: unknown }> | undefined;
function replayedWhole() {
  reference ??= (async () => {
    const s = durableStore();
    const ctx = await s.open();
    await ctx.events.ingest(records(events), 'index');
    await detectAll(ctx);
    const out = await stored(ctx);
    await ctx.close();
    const ctx2 = await s.open();
    const { seq, memory } = await newestMemory(s.store(ctx2));
    await ctx2.close();
    assert.equal(seq, events.length);
    return { out, memory };
  })();
  return reference;
}

test('a restart from a snapshot, with more events stored while down, ends as a whole replay does', async () => {
  const s = durableStore();
  const cut = Math.floor(events.length * 0.6);
  const a = await s.open();
  await a.events.ingest(records(events.slice(0, cut)), 'index');
  await detectAll(a);
  await a.close(); // an orderly stop: a snapshot at `cut`
  const b = await s.open();
  assert.equal((await s.store(b).list())[0]?.header.seq, cut);
  await b.events.ingest(records(events.slice(cut)), 'index'); // detection not started: stored only
  await b.close();
  const c = await s.open();
  await detectAll(c);
  const status = await c.detect.status();
  assert.equal(status.lastSeq, events.length);
  assert.equal(status.events, events.length, 'the restored state holds every event of the market');
  const out = await stored(c);
  await c.close();
  const ref = await replayedWhole();
  assert.ok(ref.out.signals.length > 100, `${ref.out.signals.length} signals`);
  assert.deepEqual(out, ref.out, 'the same signals, alerts and rule hits');
  const d = await s.open();
  const mine = await newestMemory(s.store(d));
  await d.close();
  assert.equal(mine.seq, events.length);
  assert.deepStrictEqual(mine.memory, ref.memory, 'the same engine memory');
});

test('a broken snapshot, or one built with other rules, is passed over with the reason, for a full replay', async () => {
  const s = durableStore();
  const a = await s.open();
  await a.events.ingest(records(events), 'index');
  await detectAll(a);
  await a.close();
  const b = await s.open();
  const [snap] = await s.store(b).list();
  const bytes = Buffer.from(await s.store(b).read(snap.id));
  bytes[bytes.length - 1000] ^= 0xff;
  // The broken copy is the newest; the whole one beside it would otherwise be restored.
  await s.store(b).save({ ...snap.header, seq: snap.header.seq + 1 }, bytes);
  await b.close();

  const logs: Logged[] = [];
  const c = await s.open({}, logs);
  await detectAll(c);
  const passed = logs.filter((l) => l.msg === 'snapshot not used');
  assert.equal(passed.length, 1, JSON.stringify(logs));
  assert.match(String(passed[0].reason), /do not match their checksum|holds \d+ bytes/);
  assert.ok(
    logs.some((l) => l.msg.startsWith('detection restored from a snapshot') && l.seq === snap.header.seq),
  );
  const out = await stored(c);
  await c.close();
  assert.deepEqual(out, (await replayedWhole()).out);

  // Other rules: nothing fits, the whole log is replayed, and the findings are the same once more.
  const other = join(s.dataDir, 'other-rules.yaml');
  const text = await readFile(new URL('./rules/default-rules.yaml', import.meta.url), 'utf8');
  writeFileSync(other, text.replace(/ratio: 6\b/, 'ratio: 6.5'));
  const logs2: Logged[] = [];
  const d = await s.open({ rulesFile: other }, logs2);
  await detectAll(d);
  assert.ok(
    logs2.some((l) => l.msg === 'snapshot not used' && /built with other rules/.test(String(l.reason))),
    JSON.stringify(logs2),
  );
  assert.ok(logs2.some((l) => l.msg === 'no snapshot fits; replaying the whole log'));
  assert.equal((await d.detect.status()).lastSeq, events.length);
  await d.close();
});
