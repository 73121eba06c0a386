// Detection off the request path: the worker thread, readiness, batch runs on demand and on a schedule,
// their record, a worker failure surfacing, and events written by another connection detected in time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { alertOf, createStreamEngine, loadRulesFile, type Signal } from '../detect/index.ts';
import { EventsService, type MarketEvent } from '../events/index.ts';
import type { Db } from '../platform/db/db.ts';
import { openDb } from '../platform/db/open.ts';
import { defaultSimOptions } from '../sim/options.ts';
import { simulate } from '../sim/simulate.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { storageKind, testContext } from './testing.ts';

const events: MarketEvent[] = [];
simulate(defaultSimOptions({ merchants: 60, buyers: 3000, days: 8, seed: 'detect-service' }), {
  event: (e) => events.push(e),
  truth: () => {},
});
const records = (xs: MarketEvent[]) => xs.map((value, pos) => ({ pos, value }));

// The last event on which the rules find something, and that signal: written last, through another
// connection, it shows when detection sees events it was not woken for.
const { split, signalId } = (() => {
  let at = -1;
  let id = '';
  let i = 0;
  const engine = createStreamEngine(loadRulesFile(), (s) => {
    at = i;
    id = s.id;
  });
  for (; i < events.length; i++) engine.process(events[i], Date.parse(events[i].time));
  return { split: at, signalId: id };
})();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let ctx: AppContext;
let app: FastifyInstance;
let admin: string;
let analyst: string;

before(async () => {
  ctx = await testContext({ readyLagEvents: 100, readyLagSeconds: 5 });
  app = await buildServer(ctx, { logger: false });
  admin = (await ctx.keys.create({ roles: ['admin'], name: 'ops on call' })).key;
  analyst = (await ctx.keys.create({ roles: ['analyst'] })).key;
});
after(async () => {
  await app?.close();
  await ctx?.close();
});

const as = (key: string) => ({ authorization: `Bearer ${key}` });

test('/ready is 503 with the reason until detection has caught up, then 200; /health answers throughout', async () => {
  assert.ok(split > events.length / 2, `a late signal to hold back, at ${split} of ${events.length}`);
  await ctx.events.ingest(records(events.slice(0, split)), 'index');
  const before = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(before.statusCode, 503);
  assert.match(String(before.headers['content-type']), /^application\/problem\+json/);
  assert.equal(before.json().code, 'not_ready');
  assert.match(before.json().detail, /has not started/);

  ctx.detect.start();
  const behind = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(behind.statusCode, 503);
  assert.match(behind.json().detail, /^Detection is more than 100 events and \d+ s behind the event log/);
  assert.match(behind.json().detail_zh, /检测落后事件日志/);
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
  assert.equal(health.json().status, 'ok');

  await ctx.detect.caughtUp();
  const ready = await app.inject({ method: 'GET', url: '/ready' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', storage: ctx.db.kind, lag: { events: 0, seconds: 0 } });
  const status = await app.inject({ method: 'GET', url: '/v1/detection/status', headers: as(analyst) });
  assert.equal(status.json().worker, 'running');
  assert.equal(status.json().events, split);
  assert.equal(status.json().ready, true);
});

test('/health answers within 200 ms while a batch run is in progress; the run records who asked', async () => {
  let done = false;
  const run = app.inject({ method: 'POST', url: '/v1/detection/run', headers: as(admin) }).finally(() => {
    done = true;
  });
  let during = 0;
  let slowest = 0;
  let sawRunning = false;
  while (!done) {
    const t0 = performance.now();
    const h = await app.inject({ method: 'GET', url: '/health' });
    const ms = performance.now() - t0;
    assert.equal(h.statusCode, 200);
    if (done) break;
    during++;
    slowest = Math.max(slowest, ms);
    if (!sawRunning) {
      const s = await app.inject({ method: 'GET', url: '/v1/detection/status', headers: as(analyst) });
      sawRunning = s.json().batch_running === true;
    }
    await sleep(10);
  }
  const r = (await run).json();
  assert.ok(sawRunning, 'the status showed the run in progress');
  assert.ok(during >= 3, `asked /health ${during} times during the run`);
  assert.ok(slowest < 200, `/health took ${slowest.toFixed(0)} ms during the run`);
  assert.equal(r.status, 'done');
  assert.equal(r.trigger, 'request');
  assert.equal(r.requested_by, 'ops on call');
  assert.ok(r.scored > 0 && r.rings > 0 && r.signals > 0, JSON.stringify(r));
  assert.equal(r.signals_added, r.signals, 'the first run stores every signal it finds');
  assert.equal(r.through_seq > 0, true);
  assert.equal(r.new_events, split);
  assert.ok(r.seconds > 0 && Date.parse(r.finished_at) >= Date.parse(r.started_at));
});

test('one batch run at a time: a request during a run gets that run; runs are listed newest first', async () => {
  const [a, b] = await Promise.all([
    app.inject({ method: 'POST', url: '/v1/detection/run', headers: as(admin) }),
    app.inject({ method: 'POST', url: '/v1/detection/run', headers: as(admin) }),
  ]);
  assert.equal(a.statusCode, 200);
  assert.equal(a.json().id, b.json().id);
  assert.equal(a.json().new_events, 0);
  assert.equal(a.json().signals_added, 0, 'the same findings are not stored twice');
  const list = await app.inject({ method: 'GET', url: '/v1/detection/runs?limit=10', headers: as(analyst) });
  assert.equal(list.statusCode, 200);
  const runs = list.json().runs;
  assert.equal(runs.length, 2);
  assert.deepEqual(
    runs.map((r: { id: number }) => r.id),
    [a.json().id, a.json().id - 1],
  );
  assert.ok(runs.every((r: { requested_by: string }) => r.requested_by === 'ops on call'));
  const status = await app.inject({ method: 'GET', url: '/v1/detection/status', headers: as(analyst) });
  assert.equal(status.json().last_run.id, a.json().id);
  const denied = await app.inject({ method: 'POST', url: '/v1/detection/run', headers: as(analyst) });
  assert.equal(denied.statusCode, 403);
});

test("each stored alert is the one its subject's live signals give (summaries read in SQL, chunked stores)", async () => {
  const rules = loadRulesFile();
  const alerts = await ctx.detect.alerts({ limit: 100_000, offset: 0 });
  assert.ok(alerts.length > 100, `${alerts.length} alerts`);
  for (const a of alerts.slice(0, 300)) {
    const live = (await ctx.detect.signals({ kind: a.kind, subject: a.subject, limit: 100_000 })).filter(
      (s: Signal) => s.mode === 'live',
    );
    const want = alertOf(live, rules);
    assert.deepEqual(
      { score: a.score, signals: a.signals, firstAt: a.firstAt, lastAt: a.lastAt },
      { score: want.score, signals: want.signals, firstAt: want.firstAt, lastAt: want.lastAt },
      `${a.kind} ${a.subject}`,
    );
  }
});

test(`an event written through another connection, without waking detection, is detected within a second (${storageKind()})`, async () => {
  // PostgreSQL: a second pool on the same schema, as another process would write. PGlite (one process per
  // store): a second intake service, whose commits do not wake this detector.
  let other: Db | undefined;
  if (ctx.db.kind === 'postgres') {
    const [{ schema }] = await ctx.db.query<{ schema: string }>('select current_schema() as schema');
    other = await openDb({ databaseUrl: ctx.config.databaseUrl, schema, migrate: false });
  }
  try {
    const writer = new EventsService(other ?? ctx.db);
    const found = async () =>
      (await ctx.db.query('select 1 from signals where id = $1', [signalId])).length > 0 ? true : undefined;
    assert.equal(await found(), undefined);
    const t0 = performance.now();
    const r = await writer.ingest(records([events[split]]), 'index');
    assert.equal(r.accepted, 1);
    await until('the signal', found, 5000);
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `detected after ${ms.toFixed(0)} ms`);
  } finally {
    await other?.close();
  }
});

test('a scheduled run starts after the configured number of new events; the replayed ones do not count', async () => {
  const c = await testContext({ batchEveryEvents: 3000 });
  try {
    // Stored before start: covered by the run that follows start-up, not counted as new afterwards.
    await c.events.ingest(records(events.slice(0, 4000)), 'index');
    c.detect.start();
    const first = await until('the start run', async () =>
      (await c.detect.runs(10)).find((r) => r.status !== 'running'),
    );
    assert.equal(first.trigger, 'start');
    for (let i = 4000; i < 6000; i += 1000)
      await c.events.ingest(records(events.slice(i, i + 1000)), 'index');
    await c.detect.caughtUp();
    await sleep(200);
    assert.equal((await c.detect.runs(10)).length, 1, '2000 new events are not yet 3000');
    for (let i = 6000; i < 9000; i += 1000)
      await c.events.ingest(records(events.slice(i, i + 1000)), 'index');
    const run = await until('a run by count', async () =>
      (await c.detect.runs(10)).find((r) => r.trigger === 'events' && r.status !== 'running'),
    );
    assert.equal(run.status, 'done', run.error);
    assert.ok((run.newEvents ?? 0) >= 3000, `${run.newEvents} new events`);
    assert.ok((run.throughSeq ?? 0) > (first.throughSeq ?? 0) && (run.scored ?? 0) > 0);
    assert.equal(run.requestedBy, undefined);
  } finally {
    await c.close();
  }
});

test('a scheduled run starts after the configured time when events came, and not when none did', async () => {
  const c = await testContext({ batchEverySeconds: 1 });
  try {
    c.detect.start();
    await c.detect.caughtUp();
    await sleep(1300);
    assert.deepEqual(await c.detect.runs(10), [], 'no run while the log is empty');
    await c.events.ingest(records(events.slice(0, 3000)), 'index');
    const run = await until('a run by time', async () =>
      (await c.detect.runs(10)).find((r) => r.trigger === 'schedule' && r.status !== 'running'),
    );
    assert.equal(run.status, 'done', run.error);
    assert.equal(run.newEvents, 3000);
    await sleep(2500);
    assert.equal((await c.detect.runs(10)).length, 1, 'no new events, no new run');
  } finally {
    await c.close();
  }
});

test('after a restart the first scheduled run comes once the rules have caught up', async () => {
  const c = await testContext({ batchEverySeconds: 3600, batchEveryEvents: 1_000_000 });
  try {
    await c.events.ingest(records(events.slice(0, 2000)), 'index');
    c.detect.start();
    const run = await until('the start run', async () =>
      (await c.detect.runs(10)).find((r) => r.status !== 'running'),
    );
    assert.equal(run.trigger, 'start');
    assert.equal(run.status, 'done', run.error);
    assert.equal(run.newEvents, 2000);
  } finally {
    await c.close();
  }
});

test('a worker failure surfaces: logged, /ready 503 naming it, decisions 503', async () => {
  const c = await testContext();
  const s = await buildServer(c, { logger: false });
  try {
    const key = (await c.keys.create({ roles: ['admin'] })).key;
    // An event the rules cannot read (intake would have refused it), as a damaged store might hold.
    await c.db.query(
      `insert into events (id, type, occurred_at, data) values ('broken', 'order.created', now(), '{}'::jsonb)`,
    );
    c.detect.start();
    await assert.rejects(c.detect.caughtUp(), /Cannot read properties/);
    const ready = await s.inject({ method: 'GET', url: '/ready' });
    assert.equal(ready.statusCode, 503);
    assert.match(ready.json().detail, /^Detection stopped \(the rules failed on the events at seq 1–1: /);
    const status = await s.inject({ method: 'GET', url: '/v1/detection/status', headers: as(key) });
    assert.equal(status.json().worker, 'failed');
    const order = events.find((e) => e.type === 'order.created');
    const d = await s.inject({
      method: 'POST',
      url: '/v1/decisions/order',
      payload: order,
      headers: as(key),
    });
    assert.equal(d.statusCode, 503);
    assert.equal(d.json().code, 'not_ready');
  } finally {
    await s.close();
    await c.close();
  }
});
