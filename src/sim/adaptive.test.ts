// Adaptive modes: the classic output is unchanged, truth carries the mode, and adaptive abusers still show what
// they cannot hide (extortion gangs share devices/networks and hit the same shops while most never chat).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyKnobOverride, applyMode, defaultSimOptions, SCHEME_NAMES, type SimOptions } from './options.ts';
import ALL from './presets/all.json' with { type: 'json' };
import { simulate } from './simulate.ts';
import { byType, run } from './testing.ts';

const size = { merchants: 60, buyers: 3000, days: 8 };

/** Every scheme and look-alike on, as `--config src/sim/presets/all.json` does. */
function all(opts: SimOptions): SimOptions {
  let o = opts;
  for (const [k, v] of Object.entries(ALL)) o = applyKnobOverride(o, `${k}=${v}`);
  return o;
}

test('the defaults reproduce a seed’s files as recorded before adaptive modes existed', () => {
  const opts = defaultSimOptions({ ...size, seed: 11 });
  const h = { e: createHash('sha256'), t: createHash('sha256'), c: createHash('sha256') };
  let n = 0;
  const modes = new Set<string>();
  simulate(opts, {
    event: (e) => {
      h.e.update(`${JSON.stringify(e)}\n`);
      n++;
    },
    truth: (t) => {
      modes.add(t.mode);
      h.t.update(`${JSON.stringify({ kind: t.kind, id: t.id, scheme: t.scheme })}\n`);
    },
    cohort: (c) => h.c.update(`${JSON.stringify(c)}\n`),
  });
  // Events and cohorts recorded at commit 70bd2af (before this work) with seed 11, 60 merchants, 3000 buyers,
  // 8 days. Truth re-recorded when cash-back shops and their payers began to enter it at their first act
  // rather than when planned (the events did not change).
  assert.equal(n, 12042);
  assert.equal(h.e.digest('hex'), '30d87b94732e9ca7a8d689ff718ee04757991f80d3282420542706297da849f5');
  assert.equal(h.t.digest('hex'), '5acee3f957db5223409c7ac2592254643c8e76b004e58800819ae064fa428c2e');
  assert.equal(h.c.digest('hex'), '03e323a1edc1d3699955b9f71dcb8990659940fd1c499c8cc65551eb44548341');
  assert.deepEqual([...modes], ['classic']);
});

test('applyMode sets every scheme’s adaptiveRate (classic 0, adaptive 1, mixed 0.5) and overrides win', () => {
  const base = defaultSimOptions(size);
  for (const s of SCHEME_NAMES) assert.equal(base.schemes[s].adaptiveRate, 0, s);
  for (const [mode, v] of [
    ['adaptive', 1],
    ['mixed', 0.5],
    ['classic', 0],
  ] as const) {
    const o = applyMode(base, mode);
    for (const s of SCHEME_NAMES) assert.equal(o.schemes[s].adaptiveRate, v, `${mode} ${s}`);
  }
  const o = applyKnobOverride(applyMode(base, 'adaptive'), 'extortion.adaptiveRate=0.25');
  assert.equal(o.schemes.extortion.adaptiveRate, 0.25);
  assert.throws(() => applyMode(base, 'nosuch' as never), /classic, adaptive, mixed/);
});

// A merchant enters truth at its first act; a tiny market plans a few more, so every scheme acts in it.
// (A cashback merchant or two in 60 may pay nobody in 14 days once another scheme shifts the honest stream.)
const acting = (o: SimOptions) =>
  applyKnobOverride(applyKnobOverride(all(o), 'review_removal.merchants=8'), 'cashback.merchants=3');
const adaptive = run(acting(applyMode(defaultSimOptions({ ...size, days: 14, seed: 5 }), 'adaptive')));
const mixed = run(acting(applyMode(defaultSimOptions({ ...size, days: 14, seed: 6 }), 'mixed')));

test('adaptive and mixed runs: truth ids exist, carry a mode, and no cohort member is in truth', () => {
  for (const [name, r] of [
    ['adaptive', adaptive],
    ['mixed', mixed],
  ] as const) {
    const present: Record<string, Set<string>> = {
      account: new Set(byType(r.events, 'account.registered').map((e) => e.data.account_id)),
      merchant: new Set(byType(r.events, 'merchant.registered').map((e) => e.data.merchant_id)),
      order: new Set(byType(r.events, 'order.created').map((e) => e.data.order_id)),
      review: new Set(byType(r.events, 'review.posted').map((e) => e.data.review_id)),
      listing: new Set(byType(r.events, 'listing.published').map((e) => e.data.listing_id)),
    };
    for (const t of r.truth) {
      assert.ok(present[t.kind].has(t.id), `${name}: truth ${t.scheme} ${t.kind} ${t.id} not in events`);
      assert.ok(t.mode === 'classic' || t.mode === 'adaptive');
      assert.deepEqual(Object.keys(t), ['kind', 'id', 'scheme', 'mode']);
    }
    for (const s of SCHEME_NAMES)
      assert.ok(
        r.truth.some((t) => t.scheme === s),
        `${name}: ${s} missing`,
      );
    const truthIds = new Set(r.truth.map((t) => t.id));
    for (const c of r.cohorts) assert.ok(!truthIds.has(c.id), `${name}: cohort ${c.cohort} ${c.id} in truth`);
  }
  for (const s of SCHEME_NAMES)
    assert.ok(
      adaptive.truth.filter((t) => t.scheme === s).every((t) => t.mode === 'adaptive'),
      `adaptive run has classic ${s}`,
    );
  const modes = new Set(mixed.truth.map((t) => t.mode));
  assert.deepEqual([...modes].sort(), ['adaptive', 'classic']);
});

test('camouflage orders of ring, gang and attack accounts are real purchases, not truth', () => {
  for (const r of [adaptive, mixed]) {
    const created = byType(r.events, 'order.created');
    // Gangs also hit shops another scheme made abusive (those are no victim cohort), and lost parcels end early.
    const abusiveMerchants = new Set(r.truth.filter((t) => t.kind === 'merchant').map((t) => t.id));
    const delivered = new Set(byType(r.events, 'order.delivered').map((e) => e.data.order_id));
    for (const scheme of ['brushing', 'brushing_careful', 'extortion', 'review_attack']) {
      const accounts = new Set(
        r.truth.filter((t) => t.scheme === scheme && t.kind === 'account').map((t) => t.id),
      );
      const orders = new Set(
        r.truth.filter((t) => t.scheme === scheme && t.kind === 'order').map((t) => t.id),
      );
      const merchants = new Set(
        r.truth.filter((t) => t.scheme === scheme && t.kind === 'merchant').map((t) => t.id),
      );
      const victims = new Set(
        r.cohorts
          .filter((c) => c.cohort === (scheme === 'extortion' ? 'extortion_victim' : 'attack_victim'))
          .map((c) => c.id),
      );
      let camouflage = 0;
      for (const e of created) {
        if (!accounts.has(e.data.buyer_id)) continue;
        if (!orders.has(e.data.order_id)) {
          camouflage++;
          continue;
        }
        // A labelled order is a fake one: at the ring's client, or the gang's / attack's target.
        if (scheme.startsWith('brushing'))
          assert.ok(merchants.has(e.data.merchant_id), `${scheme} truth order off the clients`);
        else
          assert.ok(
            victims.has(e.data.merchant_id) ||
              abusiveMerchants.has(e.data.merchant_id) ||
              !delivered.has(e.data.order_id),
            `${scheme} truth order off the targets`,
          );
      }
      assert.ok(camouflage > 0, `${scheme}: no camouflage orders`);
      for (const e of created)
        if (orders.has(e.data.order_id))
          assert.ok(accounts.has(e.data.buyer_id), `${scheme}: outsider order`);
    }
  }
});

test('adaptive extortion gangs: most members never chat, yet they share devices or networks and hit the same shops', () => {
  let opts = defaultSimOptions({ merchants: 60, buyers: 3000, days: 20, seed: 9 });
  opts = applyKnobOverride(opts, 'extortion.adaptiveRate=1');
  opts = applyKnobOverride(opts, 'extortion.gangs=1');
  opts = applyKnobOverride(opts, 'extortion.membersPerGang=8..10');
  const r = run(opts);
  const members = new Set(
    r.truth.filter((t) => t.scheme === 'extortion' && t.kind === 'account').map((t) => t.id),
  );
  assert.ok(members.size >= 8);
  const talkers = new Set(
    byType(r.events, 'message.sent')
      .filter((e) => members.has(e.data.from_id) && /转|赔|删/.test(e.data.text))
      .map((e) => e.data.from_id),
  );
  assert.ok(talkers.size <= 2, `${talkers.size} members demand money in chat`);
  const anyChat = new Set(
    byType(r.events, 'message.sent')
      .filter((e) => members.has(e.data.from_id))
      .map((e) => e.data.from_id),
  );
  assert.ok(anyChat.size < members.size / 2, `${anyChat.size} of ${members.size} members chat`);
  // Devices and IPs seen with each member (registrations, logins, orders, reviews).
  const seen = new Map<string, Set<string>>();
  const note = (a: string, key: string) => {
    if (!members.has(a)) return;
    const s = seen.get(key) ?? new Set<string>();
    s.add(a);
    seen.set(key, s);
  };
  for (const e of r.events) {
    if (e.type === 'account.registered') {
      note(e.data.account_id, `d:${e.data.device_id}`);
      note(e.data.account_id, `i:${e.data.ip}`);
    } else if (e.type === 'account.login' || e.type === 'order.created') {
      const a = e.type === 'account.login' ? e.data.account_id : e.data.buyer_id;
      note(a, `d:${e.data.device_id}`);
      note(a, `i:${e.data.ip}`);
    }
  }
  const linked = new Set<string>();
  for (const s of seen.values()) if (s.size > 1) for (const a of s) linked.add(a);
  assert.ok(
    linked.size >= members.size * 0.75,
    `${linked.size} of ${members.size} members share a device or IP`,
  );
  // Shops hit by several members within a few days.
  const orders = new Set(
    r.truth.filter((t) => t.scheme === 'extortion' && t.kind === 'order').map((t) => t.id),
  );
  const hits = byType(r.events, 'order.created').filter((e) => orders.has(e.data.order_id));
  let together = 0;
  for (const e of hits) {
    const t = Date.parse(e.time);
    if (
      hits.some(
        (x) =>
          x.data.merchant_id === e.data.merchant_id &&
          x.data.buyer_id !== e.data.buyer_id &&
          Math.abs(Date.parse(x.time) - t) <= 5 * 86_400_000,
      )
    )
      together++;
  }
  assert.ok(hits.length > 10 && together >= hits.length * 0.7, `${together} of ${hits.length} hits shared`);
  // Paid-off reviews disappear after money reached someone in the gang.
  const paid = byType(r.events, 'transfer.made').filter((e) => members.has(e.data.to_id));
  assert.ok(paid.length > 0, 'no shop paid the gang');
  const gangReviews = new Map(
    byType(r.events, 'review.posted')
      .filter((e) => members.has(e.data.buyer_id))
      .map((e) => [e.data.review_id, e]),
  );
  const removed = byType(r.events, 'review.removed').filter((e) => gangReviews.has(e.data.review_id));
  assert.ok(removed.length > 0, 'no gang review removed');
  for (const e of removed) {
    const shop = gangReviews.get(e.data.review_id)!.data.merchant_id;
    const ops = new Set(
      byType(r.events, 'merchant.registered')
        .filter((m) => m.data.merchant_id === shop)
        .flatMap((m) => m.data.account_ids ?? []),
    );
    assert.equal(e.data.by, 'buyer');
    assert.ok(
      paid.some((t) => ops.has(t.data.from_id) && t.time <= e.time),
      'a removed gang review without money from the shop to the gang before it',
    );
  }
});

test('tianping simulate --mode adaptive labels every truth line adaptive; a bad mode is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tianping-sim-mode-'));
  try {
    const args = ['bin/tianping.js', 'simulate', '--merchants', '40', '--buyers', '2000', '--days', '6'];
    const ok = spawnSync(process.execPath, [...args, '--mode', 'adaptive', '--out', dir, '--no-progress'], {
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    const summary = JSON.parse(ok.stdout.trim().split('\n').at(-1) ?? '{}') as {
      truthByMode: Record<string, number>;
    };
    assert.deepEqual(Object.keys(summary.truthByMode), ['adaptive']);
    const bad = spawnSync(process.execPath, [...args, '--mode', 'sneaky', '--out', dir], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--mode must be one of classic, adaptive, mixed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
