// The operator's view of the server: /metrics, request ids, and logs that never hold a secret.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { MarketEvent } from '../events/index.ts';
import type { Config } from '../platform/config.ts';
import { defaultSimOptions } from '../sim/options.ts';
import { simulate } from '../sim/simulate.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { testContext } from './testing.ts';

let ctx: AppContext;
let admin: string;
let ingest: string;
let scraper: string;
const servers: FastifyInstance[] = [];

before(async () => {
  ctx = await testContext();
  admin = (await ctx.keys.create({ roles: ['admin'] })).key;
  ingest = (await ctx.keys.create({ roles: ['ingest'] })).key;
  scraper = (await ctx.keys.create({ roles: ['metrics'], name: 'prometheus' })).key;
});
after(async () => {
  for (const s of servers) await s.close();
  await ctx?.close();
});

/** A server on the shared store with some settings changed; each has its own counters. */
async function server(
  settings: Partial<Config> = {},
  logger: NonNullable<Parameters<typeof buildServer>[1]>['logger'] = false,
) {
  const app = await buildServer({ ...ctx, config: { ...ctx.config, ...settings } }, { logger });
  servers.push(app);
  return app;
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** Samples of the text exposition format as `name{a="x",b="y"}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (m) out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

test('/metrics is for the metrics role and admins, in the Prometheus text format', async () => {
  const app = await server();
  assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
  const no = await app.inject({ url: '/metrics', headers: auth(ingest) });
  assert.equal(no.statusCode, 403);
  assert.match(no.json().detail, /this call needs one of metrics/);
  const r = await app.inject({ url: '/metrics', headers: auth(scraper) });
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.match(r.body, /# HELP tianping_events_ingested_total /);
  assert.match(r.body, /^process_cpu_user_seconds_total /m, 'process metrics');
  assert.match(r.body, /^nodejs_heap_size_used_bytes /m);
  assert.equal((await app.inject({ url: '/metrics', headers: auth(admin) })).statusCode, 200);
});

test('the figures move with intake, detection and the batch job; routes are named by pattern', async () => {
  const store = await testContext();
  try {
    const key = (await store.keys.create({ roles: ['admin'] })).key;
    const app = await buildServer(store, { logger: false });
    const scrape = async () => samples((await app.inject({ url: '/metrics', headers: auth(key) })).body);
    const events: MarketEvent[] = [];
    simulate(defaultSimOptions({ merchants: 20, buyers: 600, days: 4, seed: 'ops-metrics' }), {
      event: (e) => events.push(e),
      truth: () => {},
    });
    const before = await scrape();
    assert.equal(before.get('tianping_events_ingested_total{outcome="accepted"}'), 0);
    assert.equal(before.get('tianping_detection_lag_events'), 0);

    const bad = { id: 'ops-bad', type: 'order.paid', time: '2026-11-20T08:15:00+08:00', data: {} };
    const body = [...events, events[0], bad].map((e) => JSON.stringify(e)).join('\n');
    const r = await app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: body,
      headers: { ...auth(key), 'content-type': 'application/x-ndjson' },
    });
    assert.equal(r.statusCode, 200);
    await app.inject({ url: '/v1/events/no-such-event', headers: auth(key) });
    await app.inject({ url: '/v1/no/such/route/12345' });
    const mid = await scrape();
    assert.equal(mid.get('tianping_events_ingested_total{outcome="accepted"}'), events.length);
    assert.equal(mid.get('tianping_events_ingested_total{outcome="duplicate"}'), 1);
    assert.equal(mid.get('tianping_events_ingested_total{outcome="rejected"}'), 1);
    assert.equal(mid.get('tianping_intake_batch_seconds_count'), 1);
    assert.equal(mid.get('tianping_detection_lag_events'), events.length, 'detection has not started');
    assert.ok((mid.get('tianping_detection_lag_seconds') ?? 0) > 0);
    assert.equal(mid.get('tianping_http_requests_total{method="POST",route="/v1/events",status="200"}'), 1);
    assert.equal(
      mid.get('tianping_http_requests_total{method="GET",route="/v1/events/:id",status="404"}'),
      1,
    );
    assert.equal(mid.get('tianping_http_requests_total{method="GET",route="(unmatched)",status="404"}'), 1);
    assert.ok(
      ![...mid.keys()].some((k) => k.includes('no-such-event') || k.includes('12345')),
      'no raw URLs',
    );
    assert.equal(
      mid.get('tianping_http_request_duration_seconds_count{method="POST",route="/v1/events"}'),
      1,
    );

    await store.detect.caughtUp();
    const run = await app.inject({ method: 'POST', url: '/v1/detection/run', headers: auth(key) });
    assert.equal(run.statusCode, 200, run.body);
    const end = await scrape();
    assert.equal(end.get('tianping_detection_lag_events'), 0);
    assert.equal(end.get('tianping_detection_lag_seconds'), 0);
    const signals = [...end].filter(([k]) => k.startsWith('tianping_signals_total{'));
    assert.ok(signals.length > 0, 'signals counted by detector');
    assert.ok(signals.every(([k]) => /detector="[^"]+",mode="(live|shadow)"/.test(k)));
    const stored = await store.db.query<{ n: number }>('select count(*)::int as n from signals');
    assert.equal(
      signals.reduce((s, [, v]) => s + v, 0),
      stored[0].n,
      'each stored signal counted once',
    );
    assert.equal(end.get('tianping_batch_runs_total{outcome="ok"}'), 1);
    assert.equal(end.get('tianping_batch_runs_total{outcome="failed"}'), 0);
    assert.equal(end.get('tianping_batch_duration_seconds_count'), 1);
    await app.close();
  } finally {
    await store.close();
  }
});

test('a safe X-Request-Id is echoed; a missing or unsafe one is replaced by a fresh id, on errors too', async () => {
  const app = await server();
  const given = await app.inject({ url: '/health', headers: { 'x-request-id': 'trace-42.a:b' } });
  assert.equal(given.headers['x-request-id'], 'trace-42.a:b');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const none = await app.inject({ url: '/health' });
  assert.match(String(none.headers['x-request-id']), uuid);
  const again = await app.inject({ url: '/health' });
  assert.notEqual(again.headers['x-request-id'], none.headers['x-request-id']);
  for (const bad of ['has spaces', 'x'.repeat(65), '<script>', 'a"b', 'é']) {
    const r = await app.inject({ url: '/health', headers: { 'x-request-id': bad } });
    assert.match(String(r.headers['x-request-id']), uuid, bad);
  }
  for (const [url, status] of [
    ['/nosuch', 404],
    ['/v1/alerts', 401],
  ] as const) {
    const r = await app.inject({ url, headers: { 'x-request-id': `req-${status}` } });
    assert.equal(r.statusCode, status);
    assert.equal(r.headers['x-request-id'], `req-${status}`);
  }
});

test("a request's log lines carry its id and never a key, token, password or cookie", async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => {
    text += d;
  });
  const app = await server({}, { level: 'trace', stream: out });
  const secretOf = (key: string) => key.split('_').slice(2).join('_');
  const made = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { roles: ['ingest'], name: 'log test' },
    headers: { ...auth(admin), 'x-request-id': 'log-1', cookie: 'session=c00kie-s3cret' },
  });
  assert.equal(made.statusCode, 201, made.body);
  const fresh = made.json().key as string;
  await app.inject({
    url: '/v1/events/some-id?api_key=query-s3cret&token=t0ken-s3cret&password=pa55-s3cret&limit=5',
    headers: { ...auth(ingest), 'x-request-id': 'log-2' },
  });
  await app.inject({
    url: '/v1/alerts',
    headers: { ...auth('tp_0123456789ab_wr0ng-s3cret'), 'x-request-id': 'log-3' },
  });
  await sleep(50);
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { reqId?: string; msg: string; req?: { url: string } });
  for (const secret of [
    admin,
    secretOf(admin),
    ingest,
    secretOf(ingest),
    fresh,
    secretOf(fresh),
    'wr0ng-s3cret',
    'c00kie-s3cret',
    'query-s3cret',
    't0ken-s3cret',
    'pa55-s3cret',
  ]) {
    assert.ok(!text.includes(secret), `a secret reached the log: ${secret}`);
  }
  for (const id of ['log-1', 'log-2', 'log-3']) {
    const mine = lines.filter((l) => l.reqId === id);
    assert.ok(
      mine.some((l) => l.msg === 'incoming request'),
      id,
    );
    assert.ok(
      mine.some((l) => l.msg === 'request completed'),
      id,
    );
  }
  assert.ok(
    lines.filter((l) => l.req || l.msg === 'request completed').every((l) => l.reqId),
    'every request line has its id',
  );
  const url = lines.find((l) => l.reqId === 'log-2' && l.req)?.req?.url;
  assert.equal(
    url,
    '/v1/events/some-id?api_key=[redacted]&token=[redacted]&password=[redacted]&limit=5',
    'the query keeps its shape, not its secrets',
  );
});
