// Detection through the composed service and its HTTP routes: restart safety, signals, alerts, rules,
// the batch job and real-time decisions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createDetection, DEFAULT_RULES_FILE, type Detection } from '../detect/index.ts';
import type { MarketEvent } from '../events/index.ts';
import { defaultSimOptions } from '../sim/options.ts';
import { simulate } from '../sim/simulate.ts';
import type { AppContext } from './context.ts';
import { buildServer } from './server.ts';
import { testContext } from './testing.ts';

const events: MarketEvent[] = [];
simulate(defaultSimOptions({ merchants: 60, buyers: 3000, days: 8, seed: 'detect-service' }), {
  event: (e) => events.push(e),
  truth: () => {},
});
const records = (xs: MarketEvent[]) => xs.map((value, pos) => ({ pos, value }));

let a: AppContext;
let b: AppContext;
let app: FastifyInstance;
let analyst: string;
let admin: string;
let ingest: string;

before(async () => {
  [a, b] = [await testContext(), await testContext()];
  app = await buildServer(a, { logger: false });
  analyst = (await a.keys.create({ roles: ['analyst'] })).key;
  admin = (await a.keys.create({ roles: ['admin'] })).key;
  ingest = (await a.keys.create({ roles: ['ingest'] })).key;
});
after(async () => {
  await app?.close();
  await a?.close();
  await b?.close();
});

const ids = async (ctx: AppContext) =>
  (await ctx.db.query<{ id: string }>('select id from signals order by id')).map((r) => r.id);

test('a detector restart in the middle of the stream loses and duplicates no signal', async () => {
  // Reference: one uninterrupted run over the whole stream.
  await a.events.ingest(records(events), 'index');
  await a.detect.caughtUp();
  const reference = await ids(a);
  assert.ok(reference.length > 50, `expected findings, got ${reference.length}`);

  // Interrupted: the first detector sees the first third; then events keep arriving while no detector runs
  // (as if it had crashed after the events were stored but before their signals were); a new detector
  // starts, rebuilds its state from the log, and follows the rest.
  const third = Math.floor(events.length / 3);
  await b.events.ingest(records(events.slice(0, third)), 'index');
  const first = createDetection({ db: b.db, log: b.events.log });
  await first.caughtUp();
  await first.stop();
  const before = await ids(b);
  assert.ok(before.length > 0);
  await b.events.ingest(records(events.slice(third, 2 * third)), 'index');
  const second = createDetection({ db: b.db, log: b.events.log });
  second.start();
  await b.events.ingest(records(events.slice(2 * third)), 'index');
  await second.caughtUp();
  const after = await ids(b);
  assert.equal(after.length, reference.length, 'same number of signals');
  assert.deepEqual(after, reference, 'the same signals');
  const hits = (s: Detection) => Object.fromEntries(s.rules().map((r) => [r.rule, r.hits]));
  assert.deepEqual(hits(second), hits(a.detect), 'the same hit counts per rule');
  await second.stop();
});

test('analysts list signals and alerts with filters; other roles may not', async () => {
  const auth = { authorization: `Bearer ${analyst}` };
  const all = await app.inject({ method: 'GET', url: '/v1/signals?limit=5', headers: auth });
  assert.equal(all.statusCode, 200);
  assert.equal(all.json().signals.length, 5);
  const next = await app.inject({
    method: 'GET',
    url: `/v1/signals?limit=5&before=${encodeURIComponent(all.json().next)}`,
    headers: auth,
  });
  assert.equal(next.json().signals.length, 5);
  assert.ok(
    !next
      .json()
      .signals.some((s: { id: string }) => all.json().signals.some((x: { id: string }) => x.id === s.id)),
  );
  const payback = await app.inject({
    method: 'GET',
    url: '/v1/signals?rule=payback-after-order&kind=order&limit=1000',
    headers: auth,
  });
  assert.ok(payback.json().signals.length > 0);
  for (const s of payback.json().signals) {
    assert.equal(s.kind, 'order');
    assert.equal(s.rule_id, 'payback-after-order');
    assert.ok(s.explanation.zh && s.explanation.en && s.evidence.length > 0);
  }
  const alerts = await app.inject({
    method: 'GET',
    url: '/v1/alerts?kind=account&min_score=0.5',
    headers: auth,
  });
  const list = alerts.json().alerts;
  assert.ok(list.length > 0);
  assert.ok(list.every((x: { kind: string; score: number }) => x.kind === 'account' && x.score >= 0.5));
  assert.ok(list[0].score >= list[list.length - 1].score);
  const one = await app.inject({
    method: 'GET',
    url: `/v1/alerts/account/${list[0].subject}`,
    headers: auth,
  });
  assert.equal(one.statusCode, 200);
  assert.ok(one.json().signals.length >= 1);
  const shadow = await app.inject({ method: 'GET', url: '/v1/alerts?limit=1000', headers: auth });
  const shadowRules = new Set(['price-far-from-listing', 'shared-ip-orders']);
  const fromShadowOnly = await app.inject({
    method: 'GET',
    url: '/v1/signals?mode=shadow&limit=1000',
    headers: auth,
  });
  for (const s of fromShadowOnly.json().signals) assert.ok(shadowRules.has(s.rule_id));
  assert.ok(shadow.statusCode === 200);
  const denied = await app.inject({
    method: 'GET',
    url: '/v1/signals',
    headers: { authorization: `Bearer ${ingest}` },
  });
  assert.equal(denied.statusCode, 403);
});

test('rule hit counts are queryable, shadow rules are counted, and a bad rule file leaves the running rules alone', async () => {
  const auth = { authorization: `Bearer ${analyst}` };
  const rules = (await app.inject({ method: 'GET', url: '/v1/rules', headers: auth })).json().rules;
  const payback = rules.find((r: { rule: string }) => r.rule === 'payback-after-order');
  assert.ok(payback.hits > 0);
  const price = rules.find((r: { rule: string }) => r.rule === 'price-far-from-listing');
  assert.equal(price.mode, 'shadow');
  const text = readFileSync(DEFAULT_RULES_FILE, 'utf8');
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/rules/reload',
    payload: text.replace('ratio: 6', 'ratio: "lots"'),
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/yaml' },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /rule "order-burst": params\.ratio/);
  const still = (await app.inject({ method: 'GET', url: '/v1/rules', headers: auth })).json().rules;
  assert.equal(still.length, rules.length);
  assert.equal(still.find((r: { rule: string }) => r.rule === 'payback-after-order').hits, payback.hits);
  const notAdmin = await app.inject({ method: 'POST', url: '/v1/rules/reload', headers: auth });
  assert.equal(notAdmin.statusCode, 403);
});

test('the batch job finds rings and scores subjects; decisions answer from the state in memory', async () => {
  const run = await app.inject({
    method: 'POST',
    url: '/v1/detection/run',
    headers: { authorization: `Bearer ${admin}` },
  });
  assert.equal(run.statusCode, 200);
  assert.ok(run.json().scored > 0);
  const rings = await app.inject({
    method: 'GET',
    url: '/v1/rings?min_suspicion=0',
    headers: { authorization: `Bearer ${analyst}` },
  });
  assert.ok(rings.json().rings.length > 0);
  const r0 = rings.json().rings[0];
  assert.ok(r0.members.length >= 3 && Array.isArray(r0.identifiers) && Array.isArray(r0.evidence));

  const order = events.find((e) => e.type === 'order.created') as Extract<
    MarketEvent,
    { type: 'order.created' }
  >;
  const fresh = { ...order, id: 'decision-1', data: { ...order.data, order_id: 'new-order-1' } };
  const ok = await app.inject({
    method: 'POST',
    url: '/v1/decisions/order',
    payload: fresh,
    headers: { authorization: `Bearer ${ingest}` },
  });
  assert.equal(ok.statusCode, 200);
  assert.ok(['allow', 'review', 'block'].includes(ok.json().decision));
  assert.ok(ok.json().score >= 0 && ok.json().score <= 1);

  // A buyer the scorer already flags is not let through quietly.
  const flagged = await a.db.query<{ subject: string }>(
    "select subject from signals where detector = 'model:scorer' and kind = 'account' order by score desc limit 1",
  );
  assert.ok(flagged[0], 'the test market has an account the scorer flags');
  if (flagged[0]) {
    const risky = { ...fresh, id: 'decision-2', data: { ...fresh.data, buyer_id: flagged[0].subject } };
    const d = await app.inject({
      method: 'POST',
      url: '/v1/decisions/order',
      payload: risky,
      headers: { authorization: `Bearer ${ingest}` },
    });
    assert.notEqual(d.json().decision, 'allow');
    assert.ok(
      d
        .json()
        .reasons.some(
          (x: { code: string; zh: string; en: string }) => x.code === 'buyer_model' && x.zh && x.en,
        ),
    );
    // Each reason's text quotes the score it shows.
    for (const x of d.json().reasons as Array<{ score: number; zh: string; en: string }>) {
      assert.ok(x.en.includes(x.score.toFixed(2)) && x.zh.includes(x.score.toFixed(2)), JSON.stringify(x));
    }
  }
  const wrong = await app.inject({
    method: 'POST',
    url: '/v1/decisions/order',
    payload: { ...fresh, type: 'order.paid' },
    headers: { authorization: `Bearer ${ingest}` },
  });
  assert.equal(wrong.statusCode, 400);
});
