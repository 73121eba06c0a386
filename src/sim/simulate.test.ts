import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Compile } from 'typebox/compile';
import { EVENT_TYPES, EventData, type MarketEvent } from '../events/index.ts';
import { applyKnobOverride, defaultSimOptions, SCHEME_NAMES } from './options.ts';
import type { TruthRecord } from './simulate.ts';
import { byType, type Run, run } from './testing.ts';
import { simulateToDir } from './write.ts';

const small = (seed: number | string = 7) =>
  defaultSimOptions({ merchants: 60, buyers: 3000, days: 8, seed });
const base = run(small());

/** Data fields of one event type, keyed by id field, for lookups. */

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

test('every event satisfies the contract, with unique ids and +08:00 times', () => {
  const checks = new Map(EVENT_TYPES.map((t) => [t, Compile(EventData[t])]));
  const ids = new Set<string>();
  for (const e of base.events) {
    const check = checks.get(e.type);
    assert.ok(check, `unknown type ${e.type}`);
    assert.ok(check.Check(e.data), `${e.type} ${e.id}: ${JSON.stringify(check.Errors(e.data)[0])}`);
    const allowed = Object.keys(EventData[e.type].properties);
    for (const k of Object.keys(e.data))
      assert.ok(allowed.includes(k), `${e.type} has field ${k} outside the contract`);
    assert.deepEqual(Object.keys(e), ['id', 'type', 'time', 'data']);
    assert.match(e.time, TIME);
    assert.ok(e.id.length >= 1 && e.id.length <= 128);
    assert.ok(!ids.has(e.id), `duplicate event id ${e.id}`);
    ids.add(e.id);
  }
  assert.equal(base.summary.events, base.events.length);
  // Review removals need a review, a dispute and a few more days; too rare to count on in a tiny market.
  for (const t of EVENT_TYPES)
    if (t !== 'review.removed') assert.ok((base.summary.byType[t] ?? 0) > 0, `no ${t} events`);
});

test('events are globally sorted by time', () => {
  for (let i = 1; i < base.events.length; i++) {
    assert.ok(base.events[i - 1].time <= base.events[i].time, `out of order at ${i}: ${base.events[i].time}`);
  }
});

test('lifecycles are causally consistent', () => {
  const at = (e: MarketEvent) => Date.parse(e.time);
  const accounts = new Map<string, number>();
  const merchants = new Map<string, number>();
  const listings = new Map<string, number>();
  const orders = new Map<
    string,
    { created: number; paid?: number; shipped?: number; delivered?: number; cancelled?: number }
  >();
  const reviews = new Map<string, number>();
  const refunds = new Map<string, number>();
  const acting = (id: string, t: number, what: string) => {
    const reg = accounts.get(id);
    assert.ok(reg !== undefined && reg < t, `${what}: account ${id} acts before registering`);
  };
  for (const e of base.events) {
    const t = at(e);
    switch (e.type) {
      case 'account.registered':
        assert.ok(!accounts.has(e.data.account_id), 'account registered twice');
        accounts.set(e.data.account_id, t);
        break;
      case 'account.login':
        acting(e.data.account_id, t + 1, 'login');
        break;
      case 'merchant.registered':
        for (const a of e.data.account_ids ?? []) acting(a, t, 'merchant operator');
        merchants.set(e.data.merchant_id, t);
        break;
      case 'listing.published':
        assert.ok(
          (merchants.get(e.data.merchant_id) ?? Number.POSITIVE_INFINITY) < t,
          'listing before its merchant',
        );
        listings.set(e.data.listing_id, t);
        break;
      case 'listing.updated':
      case 'listing.removed':
        assert.ok(
          (listings.get(e.data.listing_id) ?? Number.POSITIVE_INFINITY) < t,
          `${e.type} before publication`,
        );
        break;
      case 'order.created': {
        acting(e.data.buyer_id, t, 'order');
        assert.ok(merchants.has(e.data.merchant_id));
        let sum = 0;
        for (const it of e.data.items) {
          assert.ok(
            (listings.get(it.listing_id) ?? Number.POSITIVE_INFINITY) < t,
            'order of an unpublished listing',
          );
          sum += it.unit_price * it.quantity;
        }
        assert.ok(e.data.amount <= sum && e.data.amount >= 1, 'amount is the items minus a discount');
        orders.set(e.data.order_id, { created: t });
        break;
      }
      case 'order.paid': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(o && o.created < t && o.cancelled === undefined, 'paid before created or after cancel');
        o.paid = t;
        break;
      }
      case 'order.shipped': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(o?.paid !== undefined && o.paid < t, 'shipped before paid');
        o.shipped = t;
        break;
      }
      case 'order.delivered': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(o?.shipped !== undefined && o.shipped < t, 'delivered before shipped');
        o.delivered = t;
        break;
      }
      case 'order.cancelled': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(
          o && o.created < t && o.shipped === undefined,
          'cancelled before created or after shipping',
        );
        o.cancelled = t;
        break;
      }
      case 'refund.requested': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(o?.paid !== undefined && o.paid < t, 'refund before payment');
        refunds.set(e.data.refund_id, t);
        break;
      }
      case 'refund.completed':
        assert.ok(
          (refunds.get(e.data.refund_id) ?? Number.POSITIVE_INFINITY) < t,
          'refund completed before requested',
        );
        break;
      case 'review.posted': {
        const o = orders.get(e.data.order_id)!;
        assert.ok(o?.delivered !== undefined && o.delivered < t, 'review before delivery');
        acting(e.data.buyer_id, t, 'review');
        reviews.set(e.data.review_id, t);
        break;
      }
      case 'review.removed':
        assert.ok(
          (reviews.get(e.data.review_id) ?? Number.POSITIVE_INFINITY) < t,
          'review removed before posted',
        );
        break;
      case 'transfer.made':
        acting(e.data.from_id, t, 'transfer sender');
        acting(e.data.to_id, t, 'transfer receiver');
        break;
      case 'message.sent':
        acting(e.data.from_id, t, 'message sender');
        acting(e.data.to_id, t, 'message receiver');
        if (e.data.order_id)
          assert.ok((orders.get(e.data.order_id)?.created ?? Number.POSITIVE_INFINITY) <= t);
        break;
    }
  }
});

test('the same seed gives byte-identical output and another seed a different one', () => {
  const digest = (r: Run) =>
    createHash('sha256')
      .update(r.events.map((e) => JSON.stringify(e)).join('\n'))
      .update(r.truth.map((t) => JSON.stringify(t)).join('\n'))
      .update(r.cohorts.map((c) => JSON.stringify(c)).join('\n'))
      .digest('hex');
  assert.equal(digest(run(small())), digest(base));
  assert.notEqual(digest(run(small('another'))), digest(base));
});

test('every scheme is planted and every truth id exists in the events', () => {
  const present = {
    account: new Set(byType(base.events, 'account.registered').map((e) => e.data.account_id)),
    merchant: new Set(byType(base.events, 'merchant.registered').map((e) => e.data.merchant_id)),
    order: new Set(byType(base.events, 'order.created').map((e) => e.data.order_id)),
    review: new Set(byType(base.events, 'review.posted').map((e) => e.data.review_id)),
    listing: new Set(byType(base.events, 'listing.published').map((e) => e.data.listing_id)),
  };
  const keys = new Set<string>();
  for (const t of base.truth) {
    assert.ok(present[t.kind].has(t.id), `truth ${t.scheme} ${t.kind} ${t.id} is not in the events`);
    const key = `${t.scheme}|${t.kind}|${t.id}`;
    assert.ok(!keys.has(key), `duplicate truth ${key}`);
    keys.add(key);
  }
  // Schemes added with the adaptive modes are off by default (see presets/all.json).
  for (const s of SCHEME_NAMES.filter((n) => small().schemes[n].enabled))
    assert.ok(
      base.truth.some((t) => t.scheme === s),
      `scheme ${s} missing from truth`,
    );
  const kinds = new Set(base.truth.map((t) => `${t.scheme}.${t.kind}`));
  for (const k of [
    'brushing.merchant',
    'brushing.account',
    'brushing.order',
    'brushing_careful.account',
    'extortion.order',
  ]) {
    assert.ok(kinds.has(k), `no ${k} in truth`);
  }
  // Abuse stays a minority.
  const abusiveAccounts = new Set(base.truth.filter((t) => t.kind === 'account').map((t) => t.id));
  assert.ok(abusiveAccounts.size < present.account.size * 0.06, `${abusiveAccounts.size} abusive accounts`);
  const abusiveOrders = new Set(base.truth.filter((t) => t.kind === 'order').map((t) => t.id));
  assert.ok(abusiveOrders.size < present.order.size * 0.12, `${abusiveOrders.size} abusive orders`);
});

test('review-attack victims receive the attack but are never in truth', () => {
  const victims = new Set(base.cohorts.filter((c) => c.cohort === 'attack_victim').map((c) => c.id));
  assert.ok(victims.size > 0);
  const truthIds = new Set(base.truth.map((t) => t.id));
  for (const v of victims) assert.ok(!truthIds.has(v), `victim ${v} is in truth`);
  const attackOrders = new Set(
    base.truth.filter((t) => t.scheme === 'review_attack' && t.kind === 'order').map((t) => t.id),
  );
  const targets = byType(base.events, 'order.created').filter((e) => attackOrders.has(e.data.order_id));
  assert.ok(targets.length > 0);
  for (const e of targets) assert.ok(victims.has(e.data.merchant_id), 'attack order not on a victim');
});

test('honest look-alike cohorts are present and never in truth', () => {
  const counts = new Map<string, number>();
  for (const c of base.cohorts) counts.set(c.cohort, (counts.get(c.cohort) ?? 0) + 1);
  for (const c of [
    'household',
    'campus',
    'office',
    'complainer',
    'picky',
    'quick_reviewer',
    'light_goods',
    'lawful_superlative',
  ]) {
    assert.ok((counts.get(c) ?? 0) > 0, `no ${c} cohort`);
  }
  assert.ok((counts.get('household') ?? 0) >= 50 && (counts.get('campus') ?? 0) >= 20);
  const truthIds = new Set(base.truth.map((t) => t.id));
  for (const c of base.cohorts)
    assert.ok(!truthIds.has(c.id), `cohort ${c.cohort} member ${c.id} is in truth`);
  // Lawful superlatives really use the words detectors look for.
  const lawful = new Set(base.cohorts.filter((c) => c.kind === 'listing').map((c) => c.id));
  const texts = byType(base.events, 'listing.published').filter((e) => lawful.has(e.data.listing_id));
  assert.ok(texts.some((e) => /最|第一|国家级/.test(`${e.data.title}${e.data.description}`)));
});

test('ids are opaque: one format per kind for honest and abusive subjects alike', () => {
  const accounts = byType(base.events, 'account.registered').map((e) => e.data.account_id);
  for (const id of accounts) assert.match(id, /^u[0-9a-z]{7}$/);
  for (const e of byType(base.events, 'order.created')) assert.match(e.data.order_id, /^o[0-9a-z]{7}$/);
  const all = base.events.map((e) => JSON.stringify(e.data)).join('\n');
  assert.doesNotMatch(all, /fraud|ring_|fake|brush|attack|scheme|truth/i);
});

test('knob overrides change the plan and disabled schemes leave no truth', () => {
  let opts = applyKnobOverride(small(), 'extortion.enabled=false');
  opts = applyKnobOverride(opts, 'brushing.rings=3');
  opts = applyKnobOverride(opts, 'brushing.accountsPerRing=5..6');
  const r = run(opts);
  assert.ok(!r.truth.some((t) => t.scheme === 'extortion'));
  const ringAccounts = r.truth.filter((t) => t.scheme === 'brushing' && t.kind === 'account').length;
  assert.ok(ringAccounts >= 15 && ringAccounts <= 18, `${ringAccounts} brushing accounts`);
});

test('simulateToDir writes sorted NDJSON files matching the summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tianping-sim-'));
  try {
    const progress: number[] = [];
    const opts = defaultSimOptions({ merchants: 20, buyers: 600, days: 3, seed: 3 });
    const s = await simulateToDir(opts, dir, (p) => progress.push(p.day));
    assert.deepEqual(progress, [0, 1, 2, 3]);
    const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, s.events);
    const first = JSON.parse(lines[0]) as MarketEvent;
    assert.match(first.time, TIME);
    const truth = readFileSync(join(dir, 'truth.ndjson'), 'utf8').trimEnd().split('\n');
    assert.equal(truth.length, s.truth);
    const t = JSON.parse(truth[0]) as TruthRecord;
    assert.deepEqual(Object.keys(t), ['kind', 'id', 'scheme', 'mode']);
    const cohorts = readFileSync(join(dir, 'cohorts.ndjson'), 'utf8').trimEnd().split('\n');
    assert.ok(cohorts.length > 0);
    const again = run(opts);
    assert.equal(lines.join('\n'), again.events.map((e) => JSON.stringify(e)).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
