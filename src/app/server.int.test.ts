import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sampleEvents } from '../events/testing.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { testContext } from './testing.ts';

let ctx: AppContext;
let app: FastifyInstance;
let admin: string;
let ingestKey: string;
let analystKey: string;

before(async () => {
  ctx = await testContext();
  ctx.config.bodyLimit = 64 * 1024;
  app = await buildServer(ctx, { logger: false });
  admin = (await ctx.keys.create({ roles: ['admin'] })).key;
  ingestKey = (await ctx.keys.create({ roles: ['ingest'] })).key;
  analystKey = (await ctx.keys.create({ roles: ['analyst'] })).key;
});
after(async () => {
  await app?.close();
  await ctx?.close();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

test('health and the OpenAPI document need no key', async () => {
  const h = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(h.statusCode, 200);
  assert.equal(h.json().status, 'ok');
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(doc.statusCode, 200);
  const spec = doc.json();
  assert.equal(spec.openapi, '3.1.0');
  assert.ok(spec.paths['/v1/events'].post);
  assert.ok(spec.paths['/v1/events/{id}'].get);
  const problemRef =
    spec.paths['/v1/keys/{id}'].delete.responses['404'].content['application/problem+json'].schema;
  assert.deepEqual(problemRef, { $ref: '#/components/schemas/Problem' });
  const problem = spec.components.schemas.Problem;
  assert.deepEqual(Object.keys(problem.properties).sort(), [
    'code',
    'detail',
    'detail_zh',
    'errors',
    'instance',
    'status',
    'title',
    'title_zh',
    'type',
  ]);
});

test('answers 401 without a valid key and 403 with a key lacking the role', async () => {
  const body = JSON.stringify(sampleEvents('auth'));
  const none = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: body,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(none.statusCode, 401);
  assert.match(String(none.headers['content-type']), /^application\/problem\+json/);
  assert.equal(none.json().type, 'urn:tianping:problem:unauthenticated');
  assert.equal(none.json().status, 401);
  assert.match(none.json().detail, /Authorization: Bearer KEY/);
  assert.match(none.json().detail_zh, /API 密钥/);
  const wrong = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: body,
    headers: { 'content-type': 'application/json', authorization: 'Bearer tp_000000000000_nope' },
  });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.json().detail, /unknown or revoked/);
  const analyst = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: body,
    headers: { 'content-type': 'application/json', ...auth(analystKey) },
  });
  assert.equal(analyst.statusCode, 403);
  assert.equal(analyst.json().code, 'forbidden');
  assert.match(analyst.json().detail, /has role\(s\) analyst; this call needs one of ingest/);
  assert.match(analyst.json().detail_zh, /此操作需要以下角色之一：ingest/);
  const keys = await app.inject({ method: 'GET', url: '/v1/keys', headers: auth(ingestKey) });
  assert.equal(keys.statusCode, 403);
});

test('takes a JSON array, keeps the good records and lists the rejected ones by index', async () => {
  const evs: unknown[] = sampleEvents('http');
  evs.splice(2, 0, {
    id: 'http-bad',
    type: 'order.paid',
    time: '2026-11-20T08:15:00+08:00',
    data: { order_id: 'x' },
  });
  const r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: JSON.stringify(evs),
    headers: { 'content-type': 'application/json', ...auth(ingestKey) },
  });
  assert.equal(r.statusCode, 200);
  const b = r.json();
  assert.equal(b.accepted, evs.length - 1);
  assert.equal(b.rejected_count, 1);
  assert.deepEqual(b.rejected[0], {
    index: 2,
    id: 'http-bad',
    errors: [{ field: 'data.amount', reason: 'is required' }],
  });
  const again = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: JSON.stringify(evs),
    headers: { 'content-type': 'application/json', ...auth(ingestKey) },
  });
  assert.equal(again.json().duplicates, evs.length - 1);
  assert.equal(again.json().accepted, 0);
});

test('takes NDJSON and reports malformed lines by line number', async () => {
  const evs = sampleEvents('nd');
  const body = [
    JSON.stringify(evs[0]),
    '{not json',
    JSON.stringify(evs[1]),
    '{"id":"nd-x","type":"nope"}',
  ].join('\n');
  const r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: body,
    headers: { 'content-type': 'application/x-ndjson', ...auth(ingestKey) },
  });
  assert.equal(r.statusCode, 200);
  const b = r.json();
  assert.equal(b.accepted, 2);
  assert.deepEqual(
    b.rejected.map((x: { line: number; errors: { field: string }[] }) => [
      x.line,
      x.errors.map((e) => e.field),
    ]),
    [
      [2, ['(record)']],
      [4, ['type', 'time', 'data']],
    ],
  );
});

test('a body that is not JSON at all is a 400 that says what to send', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: '[{"id": 1',
    headers: { 'content-type': 'application/json', ...auth(ingestKey) },
  });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().code, 'invalid_input');
  assert.match(r.json().detail, /not valid JSON/);
  assert.match(r.json().detail_zh, /不是合法的 JSON/);
});

test('an oversize body gets 413', async () => {
  const big = JSON.stringify(
    Array.from({ length: 400 }, (_, i) => ({ ...sampleEvents('big')[0], id: `big-${i}` })),
  );
  assert.ok(big.length > 64 * 1024);
  const r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: big,
    headers: { 'content-type': 'application/json', ...auth(ingestKey) },
  });
  assert.equal(r.statusCode, 413);
  assert.equal(r.json().code, 'payload_too_large');
  assert.match(r.json().detail, /larger than the limit of 65536 bytes/);
  assert.equal(r.json().instance, '/v1/events');
});

test('GET /v1/events/:id returns one event, or 404', async () => {
  const e = sampleEvents('one')[5];
  await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: JSON.stringify([e]),
    headers: { 'content-type': 'application/json', ...auth(ingestKey) },
  });
  const r = await app.inject({ method: 'GET', url: `/v1/events/${e.id}`, headers: auth(analystKey) });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().type, e.type);
  assert.equal(r.json().data.order_id, 'o1');
  const missing = await app.inject({ method: 'GET', url: '/v1/events/nope', headers: auth(analystKey) });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'not_found');
  assert.equal(missing.json().detail, 'No event with id nope has been stored.');
  assert.equal(missing.json().detail_zh, '未存储编号为 nope 的事件。');
});

test('admins create, list and revoke keys; a revoked key stops working at once', async () => {
  const c = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { roles: ['ingest'], name: 'shop integration' },
    headers: auth(admin),
  });
  assert.equal(c.statusCode, 201);
  const { key, api_key } = c.json();
  assert.match(key, /^tp_[0-9a-f]{12}_/);
  const list = await app.inject({ method: 'GET', url: '/v1/keys', headers: auth(admin) });
  // The secret is all that follows `tp_<id>_` (it may itself contain `_`).
  const secret = key.slice(key.indexOf('_', 3) + 1);
  assert.ok(secret.length >= 20, `secret part of ${key}`);
  assert.ok(!JSON.stringify(list.json()).includes(secret), 'secrets never listed');
  const ok = await app.inject({ method: 'GET', url: '/v1/events/nope', headers: auth(key) });
  assert.equal(ok.statusCode, 404);
  const d = await app.inject({ method: 'DELETE', url: `/v1/keys/${api_key.id}`, headers: auth(admin) });
  assert.equal(d.statusCode, 200);
  const after = await app.inject({ method: 'GET', url: '/v1/events/nope', headers: auth(key) });
  assert.equal(after.statusCode, 401);
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/keys',
    payload: { roles: ['wizard'] },
    headers: auth(admin),
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'invalid_input');
  assert.equal(bad.json().errors[0].field, 'body.roles[0]');
});

test('an unknown route is a 404 problem that needs no key and names the route', async () => {
  const r = await app.inject({ method: 'GET', url: '/v1/nowhere?x=1' });
  assert.equal(r.statusCode, 404);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  assert.deepEqual(r.json(), {
    type: 'urn:tianping:problem:not_found',
    title: 'Not found',
    status: 404,
    detail: 'There is no route GET /v1/nowhere; the routes are listed in /openapi.json.',
    instance: '/v1/nowhere',
    code: 'not_found',
    title_zh: '未找到',
    detail_zh: '不存在接口 GET /v1/nowhere；全部接口见 /openapi.json。',
  });
});

test('revoking an unknown key is a 404 problem with both sentences', async () => {
  const r = await app.inject({ method: 'DELETE', url: '/v1/keys/000000000000', headers: auth(admin) });
  assert.equal(r.statusCode, 404);
  assert.match(r.json().detail, /No API key with id 000000000000/);
  assert.match(r.json().detail_zh, /不存在编号为 000000000000 的 API 密钥/);
});
