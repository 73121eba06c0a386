// Limits on Tianping's own use: per-key and per-address rate limits and the backoff after wrong keys,
// each answered with a 429 problem and Retry-After.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { testContext } from './testing.ts';

let ctx: AppContext;
let admin: string;
let ingest: string;
const servers: FastifyInstance[] = [];

before(async () => {
  ctx = await testContext();
  admin = (await ctx.keys.create({ roles: ['admin'] })).key;
  ingest = (await ctx.keys.create({ roles: ['ingest'] })).key;
});
after(async () => {
  for (const s of servers) await s.close();
  await ctx?.close();
});

/** A server on the shared store with some settings changed; each has its own counters. */
async function server(settings: Partial<Config> = {}) {
  const app = await buildServer({ ...ctx, config: { ...ctx.config, ...settings } }, { logger: false });
  servers.push(app);
  return app;
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

function assertTooMany(r: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): Record<string, unknown>;
}) {
  assert.equal(r.statusCode, 429);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/);
  const b = r.json();
  assert.equal(b.type, 'urn:tianping:problem:rate_limited');
  assert.equal(b.code, 'rate_limited');
  assert.equal(b.status, 429);
  assert.equal(b.title, 'Too many requests');
  assert.equal(b.title_zh, '请求过于频繁');
  return b as { detail: string; detail_zh: string };
}

test('past the per-key limit a key gets 429 problems with Retry-After; other keys go on', async () => {
  const app = await server({ ratePerKey: 3, rateWindow: 60 });
  const key = (await ctx.keys.create({ roles: ['analyst'] })).key;
  for (let i = 0; i < 3; i++) {
    const r = await app.inject({ url: '/v1/alerts', headers: auth(key) });
    assert.equal(r.statusCode, 200, r.body);
  }
  const r = await app.inject({ url: '/v1/alerts', headers: auth(key) });
  const b = assertTooMany(r);
  assert.ok(Number(r.headers['retry-after']) <= 60);
  assert.match(b.detail, /^This API key sent more than 3 requests in 60 s; retry after \d+ s/);
  assert.match(b.detail_zh, /^该 API 密钥在 60 秒内的请求超过 3 次；请在 \d+ 秒后重试/);
  const other = await app.inject({ url: '/v1/alerts', headers: auth(admin) });
  assert.equal(other.statusCode, 200, 'the limit is per key');
});

test('past the per-address limit every route but /health answers 429', async () => {
  const app = await server({ ratePerAddress: 5, ratePerKey: 0 });
  const from = (remoteAddress: string, url: string, headers = {}) =>
    app.inject({ url, remoteAddress, headers });
  for (let i = 0; i < 5; i++) assert.equal((await from('10.0.0.7', '/openapi.json')).statusCode, 200);
  const b = assertTooMany(await from('10.0.0.7', '/v1/alerts', auth(admin)));
  assert.match(b.detail, /^This address sent more than 5 requests in 60 s; retry after \d+ s\.$/);
  assert.match(b.detail_zh, /^该地址在 60 秒内的请求超过 5 次/);
  assert.equal((await from('10.0.0.7', '/nosuch')).statusCode, 429, 'unknown routes count too');
  for (let i = 0; i < 10; i++) assert.equal((await from('10.0.0.7', '/health')).statusCode, 200);
  assert.equal((await from('10.0.0.8', '/openapi.json')).statusCode, 200, 'another address goes on');
});

test('behind a trusted proxy the client address comes from X-Forwarded-For', async () => {
  const app = await server({ ratePerAddress: 2, ratePerKey: 0, trustProxy: '127.0.0.1' });
  const via = (client: string) =>
    app.inject({ url: '/openapi.json', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
  assert.equal((await via('203.0.113.5')).statusCode, 200);
  assert.equal((await via('203.0.113.5')).statusCode, 200);
  assert.equal((await via('203.0.113.5')).statusCode, 429);
  assert.equal((await via('203.0.113.6')).statusCode, 200, 'each client behind the proxy counts for itself');
  const untrusted = await server({ ratePerAddress: 1, ratePerKey: 0 });
  const spoof = (client: string) =>
    untrusted.inject({
      url: '/openapi.json',
      remoteAddress: '10.9.9.9',
      headers: { 'x-forwarded-for': client },
    });
  assert.equal((await spoof('203.0.113.7')).statusCode, 200);
  assert.equal((await spoof('203.0.113.8')).statusCode, 429, 'no proxy trusted: the header is ignored');
});

test('under the default limits 300 requests in a row from one address and key all pass', async () => {
  const app = await server();
  const statuses = new Set<number>();
  const body = JSON.stringify([]);
  for (let i = 0; i < 300; i++) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: body,
      headers: { ...auth(ingest), 'content-type': 'application/json' },
    });
    statuses.add(r.statusCode);
  }
  assert.deepEqual([...statuses], [200]);
});

test('after 20 wrong keys from one address the rest get 429 without their keys being looked up', async () => {
  const app = await server();
  const verify = ctx.keys.verify.bind(ctx.keys);
  let checked = 0;
  ctx.keys.verify = (secret) => {
    checked++;
    return verify(secret);
  };
  try {
    const counts = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const r = await app.inject({
        url: '/v1/alerts',
        remoteAddress: '192.0.2.9',
        headers: auth(`tp_${String(i).padStart(12, '0')}_guess${i}`),
      });
      counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
      if (r.statusCode === 429) {
        const b = assertTooMany(r);
        assert.match(
          b.detail,
          /^Too many wrong API keys came from this address; no key from it is checked for \d+ s/,
        );
        assert.match(b.detail_zh, /^该地址发送的错误 API 密钥过多；\d+ 秒内不再校验/);
      }
    }
    assert.deepEqual(Object.fromEntries(counts), { 401: 20, 429: 280 });
    assert.equal(checked, 20, 'no key is looked up once the address is refused');
    const valid = await app.inject({ url: '/v1/alerts', remoteAddress: '192.0.2.9', headers: auth(admin) });
    assert.equal(valid.statusCode, 429, 'not even a valid key is checked from a refused address');
    const elsewhere = await app.inject({
      url: '/v1/alerts',
      remoteAddress: '192.0.2.10',
      headers: auth(admin),
    });
    assert.equal(elsewhere.statusCode, 200, 'other addresses are not affected');
    const health = await app.inject({ url: '/health', remoteAddress: '192.0.2.9' });
    assert.equal(health.statusCode, 200, 'public routes need no key and stay open');
  } finally {
    ctx.keys.verify = verify;
  }
});

test('each refusal after wrong keys lasts longer than the one before', async () => {
  const app = await server({ authFailures: 2, authBlock: 1, authBlockMax: 60 });
  const wrong = (n: number) =>
    app.inject({ url: '/v1/alerts', remoteAddress: '198.51.100.4', headers: auth(`tp_00000000000${n}_no`) });
  assert.equal((await wrong(1)).statusCode, 401);
  assert.equal((await wrong(2)).statusCode, 401);
  const first = await wrong(3);
  assertTooMany(first);
  assert.equal(first.headers['retry-after'], '1');
  await sleep(1100);
  assert.equal((await wrong(4)).statusCode, 401, 'the refusal is over');
  assert.equal((await wrong(5)).statusCode, 401);
  const second = await wrong(6);
  assertTooMany(second);
  assert.equal(second.headers['retry-after'], '2', 'twice as long the second time');
});
