// The OpenAPI document against the running server, on a store with a simulated marketplace: the roles it
// states are the ones the server lets in, and every answer matches the schema it documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import Type, { type TProperties } from 'typebox';
import { Compile } from 'typebox/compile';
import { DEFAULT_RULES_FILE } from '../detect/index.ts';
import type { MarketEvent } from '../events/index.ts';
import { ROLES, type Role } from '../platform/auth/keys.ts';
import { defaultSimOptions } from '../sim/options.ts';
import { simulate } from '../sim/simulate.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { testContext } from './testing.ts';

interface Operation {
  operationId: string;
  'x-roles': Role[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

const events: MarketEvent[] = [];
simulate(defaultSimOptions({ merchants: 20, buyers: 800, days: 5, seed: 'openapi' }), {
  event: (e) => events.push(e),
  truth: () => {},
});

let ctx: AppContext;
let app: FastifyInstance;
const keys = {} as Record<Role, string>;
let operations: { method: string; path: string; op: Operation }[];

before(async () => {
  ctx = await testContext();
  app = await buildServer(ctx, { logger: false });
  for (const r of ROLES) keys[r] = (await ctx.keys.create({ roles: [r], name: `openapi-${r}` })).key;
  await ctx.events.ingest(
    events.map((value, pos) => ({ pos, value })),
    'index',
  );
  await ctx.detect.caughtUp();
  const doc = (await app.inject({ url: '/openapi.json' })).json();
  operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
after(async () => {
  await app?.close();
  await ctx?.close();
});

const auth = (role?: Role) => (role ? { authorization: `Bearer ${keys[role]}` } : {});
const url = (path: string) => path.replace(/\{[^}]+\}/g, 'nosuch');

test('the roles each operation states are the ones the server lets in', async () => {
  for (const { method, path, op } of operations) {
    // A run of the batch job would only wait here; its access is the same check as every other route's.
    if (op.operationId === 'runDetection') continue;
    const at = `${method} ${path}`;
    const anonymous = await app.inject({ method: method as 'GET', url: url(path) });
    if (op['x-roles'].length === 0) {
      assert.notEqual(anonymous.statusCode, 401, `${at} is public`);
      continue;
    }
    assert.equal(anonymous.statusCode, 401, `${at} without a key`);
    for (const role of ROLES) {
      const r = await app.inject({ method: method as 'GET', url: url(path), headers: auth(role) });
      if (op['x-roles'].includes(role)) assert.ok(![401, 403].includes(r.statusCode), `${at} as ${role}`);
      else assert.equal(r.statusCode, 403, `${at} as ${role}: ${r.body}`);
    }
  }
});

test('every answer matches the schema its operation documents', async () => {
  const schemas = app.getSchemas() as TProperties;
  const order = events.find((e) => e.type === 'order.created');
  assert.ok(order);
  const created = (await ctx.keys.create({ roles: ['analyst'], name: 'to revoke' })).apiKey.id;
  const calls: Array<{
    id: string;
    method?: string;
    url: string;
    role?: Role;
    body?: unknown;
    yaml?: string;
  }> = [
    { id: 'getHealth', url: '/health' },
    { id: 'getReadiness', url: '/ready' },
    { id: 'getOpenApiDocument', url: '/openapi.json' },
    { id: 'getMetrics', url: '/metrics', role: 'metrics' },
    { id: 'ingestEvents', method: 'POST', url: '/v1/events', role: 'ingest', body: events.slice(0, 50) },
    { id: 'getEvent', url: `/v1/events/${encodeURIComponent(events[0].id)}`, role: 'ingest' },
    { id: 'getEvent', url: '/v1/events/nosuch', role: 'analyst' },
    { id: 'createKey', method: 'POST', url: '/v1/keys', role: 'admin', body: { roles: ['ingest'] } },
    { id: 'createKey', method: 'POST', url: '/v1/keys', role: 'admin', body: { roles: [] } },
    { id: 'listKeys', url: '/v1/keys', role: 'admin' },
    { id: 'revokeKey', method: 'DELETE', url: `/v1/keys/${created}`, role: 'admin' },
    { id: 'runDetection', method: 'POST', url: '/v1/detection/run', role: 'admin' },
    { id: 'listSignals', url: '/v1/signals?limit=1000', role: 'analyst' },
    { id: 'listSignals', url: '/v1/signals?min_score=2', role: 'analyst' },
    { id: 'listAlerts', url: '/v1/alerts?limit=1000', role: 'analyst' },
    { id: 'getAlert', url: '/v1/alerts/account/nosuch', role: 'analyst' },
    { id: 'listRules', url: '/v1/rules', role: 'analyst' },
    {
      id: 'reloadRules',
      method: 'POST',
      url: '/v1/rules/reload?reason=openapi',
      role: 'admin',
      yaml: readFileSync(DEFAULT_RULES_FILE, 'utf8'),
    },
    { id: 'reloadRules', method: 'POST', url: '/v1/rules/reload', role: 'admin', yaml: 'rules: [' },
    { id: 'listRuleChanges', url: '/v1/rules/history', role: 'analyst' },
    { id: 'getRuleChange', url: '/v1/rules/history/1', role: 'analyst' },
    { id: 'listRings', url: '/v1/rings?min_suspicion=0', role: 'analyst' },
    { id: 'listDetectionRuns', url: '/v1/detection/runs', role: 'analyst' },
    { id: 'getDetectionStatus', url: '/v1/detection/status', role: 'analyst' },
    { id: 'decideOrder', method: 'POST', url: '/v1/decisions/order', role: 'ingest', body: order },
    { id: 'decideOrder', method: 'POST', url: '/v1/decisions/order', role: 'ingest', body: [order] },
  ];
  // The alert with the most signals, once the batch run above has added its own.
  const byId = new Map(operations.map((o) => [o.op.operationId, o.op]));
  const seen = new Set<string>();
  const succeeded = new Set<string>();
  let signals = 0;
  for (const c of [...calls, { id: 'getAlert', url: '', role: 'analyst' as Role }]) {
    let target = c.url;
    if (c.id === 'getAlert' && target === '') {
      const [top] = (await app.inject({ url: '/v1/alerts', headers: auth('analyst') })).json().alerts;
      assert.ok(top, 'the marketplace has alerts');
      target = `/v1/alerts/${top.kind}/${encodeURIComponent(top.subject)}`;
    }
    const r = await app.inject({
      method: (c.method ?? 'GET') as 'GET',
      url: target,
      headers: {
        ...auth(c.role),
        ...(c.yaml !== undefined ? { 'content-type': 'application/yaml' } : {}),
      },
      ...(c.yaml !== undefined
        ? { payload: c.yaml }
        : c.body !== undefined
          ? { payload: c.body as object }
          : {}),
    });
    const op = byId.get(c.id);
    assert.ok(op, c.id);
    seen.add(c.id);
    const at = `${c.id} ${target} → ${r.statusCode}`;
    const declared = op.responses[String(r.statusCode)];
    assert.ok(declared, `${at} is not documented: ${r.body.slice(0, 300)}`);
    const type = String(r.headers['content-type']).split(';')[0];
    const media = declared.content?.[type];
    assert.ok(media, `${at}: ${type} is not documented`);
    const name = String(media.schema.$ref).replace('#/components/schemas/', '');
    const body = type.endsWith('json') ? r.json() : r.body;
    const check = Compile(schemas, Type.Ref(name));
    assert.ok(check.Check(body), `${at} does not match ${name}: ${JSON.stringify(check.Errors(body)[0])}`);
    if (r.statusCode < 300) succeeded.add(c.id);
    if (c.id === 'listSignals' && r.statusCode === 200)
      signals = Math.max(signals, (body as { signals: unknown[] }).signals.length);
  }
  assert.deepEqual(
    [...seen].sort(),
    operations.map((o) => o.op.operationId).sort(),
    'every operation called',
  );
  assert.deepEqual([...succeeded].sort(), [...seen].sort(), 'every operation answered with success once');
  assert.ok(signals > 10, `only ${signals} signals to check`);
});

test('the documented schemas drop nothing the services answer', async () => {
  const get = async (path: string) =>
    (await app.inject({ url: path, headers: auth('analyst') })).json() as Record<string, unknown>;
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
  assert.deepEqual(
    await get('/v1/rules'),
    plain({ rules: ctx.detect.rules(), source: ctx.detect.ruleSource() }),
  );
  assert.deepEqual(
    await get('/v1/rings?min_suspicion=0&limit=1000'),
    plain({ rings: await ctx.detect.rings(1000, 0) }),
  );
  const status = await get('/v1/detection/status');
  const fromService = plain(await ctx.detect.status());
  assert.deepEqual(Object.keys(status).sort(), Object.keys(fromService).sort());
  assert.equal(status.last_seq, fromService.last_seq);
});
