// New schemes (refund_abuse, self_dealing, review_removal, listing_hijack, reverse_brushing, unpaid_orders, mutual_brushing) and the honest look-alikes added with
// them: each plants what its README row says, its truth exists in the events, and no cohort member is in truth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyKnobOverride, applyMode, defaultSimOptions, type SimOptions } from './options.ts';
import { byType, type Run, run } from './testing.ts';

/** A small market with the new schemes and look-alikes turned up so each shows in a short run. */
function boosted(seed: number, mode: 'classic' | 'mixed'): SimOptions {
  let o = applyMode(defaultSimOptions({ merchants: 120, buyers: 6000, days: 16, seed }), mode);
  for (const a of [
    'refund_abuse.enabled=true',
    'self_dealing.enabled=true',
    'review_removal.enabled=true',
    'listing_hijack.enabled=true',
    'reverse_brushing.enabled=true',
    'mutual_brushing.enabled=true',
    'unpaid_orders.enabled=true',
    'baseline.moreLookalikes=true',
    'refund_abuse.groups=3',
    'self_dealing.merchants=4',
    'review_removal.merchants=6',
    'review_removal.offerRate=0.9..1',
    'listing_hijack.listings=4',
    'mutual_brushing.groups=2',
    'mutual_brushing.operatorShoppers=6',
    'mutual_brushing.supplierPairs=3',
    'reverse_brushing.attacks=3',
    'unpaid_orders.attacks=3',
    'baseline.hotDrops=2',
    'baseline.regularBuyers=6',
    'baseline.angryBuyers=8',
    'baseline.fixedReviewRemovals=20',
    'baseline.genuineClaims=20',
    'baseline.sharedDeviceFriends=10',
    'baseline.staffPurchases=4',
    'baseline.listingRefreshes=6',
    'baseline.silentCompensatorShare=0.3',
  ])
    o = applyKnobOverride(o, a);
  return o;
}

const runs = [run(boosted(21, 'classic')), run(boosted(22, 'mixed'))];

const ids = (r: Run, scheme: string, kind: string) =>
  new Set(r.truth.filter((t) => t.scheme === scheme && t.kind === kind).map((t) => t.id));

test('new schemes plant their subjects; every truth id exists; no cohort member is in truth', () => {
  for (const r of runs) {
    const present: Record<string, Set<string>> = {
      account: new Set(byType(r.events, 'account.registered').map((e) => e.data.account_id)),
      merchant: new Set(byType(r.events, 'merchant.registered').map((e) => e.data.merchant_id)),
      order: new Set(byType(r.events, 'order.created').map((e) => e.data.order_id)),
      review: new Set(byType(r.events, 'review.posted').map((e) => e.data.review_id)),
      listing: new Set(byType(r.events, 'listing.published').map((e) => e.data.listing_id)),
    };
    for (const t of r.truth)
      assert.ok(present[t.kind].has(t.id), `truth ${t.scheme} ${t.kind} ${t.id} missing`);
    const kinds = new Set(r.truth.map((t) => `${t.scheme}.${t.kind}`));
    for (const k of [
      'refund_abuse.account',
      'refund_abuse.order',
      'refund_abuse.review',
      'self_dealing.merchant',
      'self_dealing.account',
      'self_dealing.order',
      'self_dealing.review',
      'review_removal.merchant',
      'review_removal.review',
      'listing_hijack.listing',
      'listing_hijack.merchant',
      'reverse_brushing.merchant',
      'mutual_brushing.merchant',
      'mutual_brushing.account',
      'mutual_brushing.order',
      'mutual_brushing.review',
      'reverse_brushing.account',
      'reverse_brushing.order',
      'reverse_brushing.review',
      'unpaid_orders.merchant',
      'unpaid_orders.account',
      'unpaid_orders.order',
    ])
      assert.ok(kinds.has(k), `no ${k}`);
    const truthIds = new Set(r.truth.map((t) => t.id));
    for (const c of r.cohorts) assert.ok(!truthIds.has(c.id), `cohort ${c.cohort} ${c.id} in truth`);
    const cohorts = new Set(r.cohorts.map((c) => `${c.cohort}.${c.kind}`));
    for (const c of [
      'compensating_merchant.merchant',
      'compensated_buyer.account',
      'bad_week_buyer.account',
      'operator_shopper.account',
      'operator_shopper.merchant',
      'supplier_pair.merchant',
      'shared_phone_friends.account',
      'fixed_then_removed.account',
      'genuine_claim.account',
      'staff_purchase.merchant',
      'listing_refresh.listing',
      'reverse_brushing_victim.merchant',
      'stock_lock_victim.merchant',
      'cart_abandoner.account',
      'hot_drop.merchant',
      'regular_buyer.account',
      'regular_customers.merchant',
    ])
      assert.ok(cohorts.has(c), `no cohort ${c}`);
  }
});

test('refund_abuse: refund claims on cheap food/cosmetics at many shops, low ratings, punitive demands', () => {
  const r = runs[0];
  const orders = ids(r, 'refund_abuse', 'order');
  const refunds = byType(r.events, 'refund.requested').filter((e) => orders.has(e.data.order_id));
  assert.ok(refunds.length >= orders.size * 0.7, `${refunds.length} refunds for ${orders.size} orders`);
  const shops = new Set(
    byType(r.events, 'order.created')
      .filter((e) => orders.has(e.data.order_id))
      .map((e) => e.data.merchant_id),
  );
  assert.ok(shops.size >= 5, `${shops.size} shops`);
  const reviews = byType(r.events, 'review.posted').filter((e) => orders.has(e.data.order_id));
  assert.ok(reviews.length > 0 && reviews.every((e) => e.data.rating <= 3));
  const accounts = ids(r, 'refund_abuse', 'account');
  const demands = byType(r.events, 'message.sent').filter((e) => accounts.has(e.data.from_id));
  assert.ok(
    demands.some((e) => /退一赔十|退一赔三|十倍|三倍/.test(e.data.text)),
    'no punitive demand in chat',
  );
});

test('self_dealing: five-star reviews from the merchant’s own accounts, paid back from the shop side', () => {
  const r = runs[0];
  const accounts = ids(r, 'self_dealing', 'account');
  const reviews = byType(r.events, 'review.posted').filter((e) =>
    ids(r, 'self_dealing', 'review').has(e.data.review_id),
  );
  assert.ok(reviews.length > 0 && reviews.every((e) => e.data.rating === 5));
  const paid = byType(r.events, 'transfer.made').filter((e) => accounts.has(e.data.to_id));
  assert.ok(paid.length >= reviews.length * 0.5, `${paid.length} pay-backs for ${reviews.length} reviews`);
});

test('review_removal: money reaches the reviewer before the buyer removes the low review', () => {
  for (const r of runs) {
    const removedIds = ids(r, 'review_removal', 'review');
    const posted = new Map(byType(r.events, 'review.posted').map((e) => [e.data.review_id, e]));
    const removed = byType(r.events, 'review.removed').filter((e) => removedIds.has(e.data.review_id));
    assert.equal(removed.length, removedIds.size);
    const transfers = byType(r.events, 'transfer.made');
    for (const e of removed) {
      assert.equal(e.data.by, 'buyer');
      const p = posted.get(e.data.review_id)!;
      assert.ok(p.data.rating <= 2);
      const before = transfers.some(
        (t) => t.data.to_id === p.data.buyer_id && t.time > p.time && t.time < e.time,
      );
      assert.ok(before, 'no payment between the review and its removal');
    }
    // The look-alike: removals after a genuine fix, with no money to the buyer.
    const fixed = new Set(r.cohorts.filter((c) => c.cohort === 'fixed_then_removed').map((c) => c.id));
    const fixedRemovals = byType(r.events, 'review.removed').filter((e) =>
      fixed.has(posted.get(e.data.review_id)?.data.buyer_id ?? ''),
    );
    assert.ok(fixedRemovals.length > 0, 'no fixed-then-removed look-alike');
  }
});

test('listing_hijack: a reviewed listing is switched to another product by listing.updated', () => {
  const r = runs[0];
  const hijacked = ids(r, 'listing_hijack', 'listing');
  const published = new Map(byType(r.events, 'listing.published').map((e) => [e.data.listing_id, e.data]));
  const updates = byType(r.events, 'listing.updated').filter((e) => hijacked.has(e.data.listing_id));
  assert.ok(updates.length > 0);
  for (const u of updates) {
    const p = published.get(u.data.listing_id)!;
    assert.notEqual(u.data.title, p.title);
  }
  assert.ok(
    updates.some((u) => u.data.category !== published.get(u.data.listing_id)!.category),
    'classic hijacks change the category',
  );
});

test('silent compensators pay after a low review or complaint, without chat and mostly without memo', () => {
  const r = runs[0];
  const comp = new Set(r.cohorts.filter((c) => c.cohort === 'compensated_buyer').map((c) => c.id));
  const merchants = new Set(r.cohorts.filter((c) => c.cohort === 'compensating_merchant').map((c) => c.id));
  const ops = new Set(
    byType(r.events, 'merchant.registered')
      .filter((e) => merchants.has(e.data.merchant_id))
      .flatMap((e) => e.data.account_ids ?? []),
  );
  const ts = byType(r.events, 'transfer.made').filter(
    (e) => comp.has(e.data.to_id) && ops.has(e.data.from_id) && e.data.amount <= 5000,
  );
  assert.ok(ts.length > 0);
  assert.ok(ts.filter((e) => !e.data.memo).length >= ts.length * 0.5, 'memos should mostly be empty');
});

test('reverse_brushing: a rival’s side pays the ring for praise at the victim; the victim pays nobody, is never in truth', () => {
  for (const r of runs) {
    const victims = new Set(r.cohorts.filter((c) => c.cohort === 'reverse_brushing_victim').map((c) => c.id));
    assert.ok(victims.size > 0, 'no victim');
    const inTruth = new Set(r.truth.map((t) => `${t.kind}:${t.id}`));
    for (const v of victims) assert.ok(!inTruth.has(`merchant:${v}`), `victim ${v} in truth`);
    const reg = new Map(byType(r.events, 'merchant.registered').map((e) => [e.data.merchant_id, e.data]));
    const opsOf = (m: string) => new Set(reg.get(m)?.account_ids ?? []);
    const instigators = ids(r, 'reverse_brushing', 'merchant');
    for (const m of instigators) {
      assert.ok(!victims.has(m));
      assert.ok(
        [...victims].some((v) => reg.get(v)?.category === reg.get(m)?.category),
        'a rival in the category',
      );
    }
    const instigatorOps = new Set([...instigators].flatMap((m) => [...opsOf(m)]));
    const victimOps = new Set([...victims].flatMap((m) => [...opsOf(m)]));
    // Fake orders and reviews land at the victims; the reviews praise.
    const orders = ids(r, 'reverse_brushing', 'order');
    const created = byType(r.events, 'order.created');
    for (const e of created) if (orders.has(e.data.order_id)) assert.ok(victims.has(e.data.merchant_id));
    const reviews = byType(r.events, 'review.posted').filter((e) =>
      ids(r, 'reverse_brushing', 'review').has(e.data.review_id),
    );
    assert.ok(
      reviews.length > 0 && reviews.every((e) => victims.has(e.data.merchant_id) && e.data.rating >= 4),
    );
    // The ring is paid by the instigator's operators or by an intermediary they funded, never by the victim.
    const ring = new Set(created.filter((e) => orders.has(e.data.order_id)).map((e) => e.data.buyer_id));
    const transfers = byType(r.events, 'transfer.made');
    const funded = new Set(
      transfers.filter((t) => instigatorOps.has(t.data.from_id)).map((t) => t.data.to_id),
    );
    const otherOps = new Set(
      [...reg.values()].flatMap((m) => (instigators.has(m.merchant_id) ? [] : (m.account_ids ?? []))),
    );
    let paid = 0;
    for (const t of transfers) {
      if (!ring.has(t.data.to_id)) continue;
      assert.ok(!victimOps.has(t.data.from_id), 'the victim paid a ring account');
      // (A shop the ring bought from as camouflage may compensate it like any buyer.)
      if (otherOps.has(t.data.from_id)) continue;
      assert.ok(instigatorOps.has(t.data.from_id) || funded.has(t.data.from_id), `payer ${t.data.from_id}`);
      paid++;
    }
    assert.ok(paid >= ring.size * 0.5, `${paid} payments to ${ring.size} ring accounts`);
    // Camouflage elsewhere, never at the instigator.
    const elsewhere = created.filter((e) => ring.has(e.data.buyer_id) && !victims.has(e.data.merchant_id));
    assert.ok(elsewhere.length > 0, 'no camouflage');
    // (Another attack's instigator, in the same category, may be a camouflage shop: not the one paying.)
    const shopOf = new Map<string, string>();
    for (const m of instigators) for (const op of opsOf(m)) shopOf.set(op, m);
    for (const t of transfers) {
      const m = shopOf.get(t.data.from_id);
      if (m && !ring.has(t.data.to_id)) shopOf.set(t.data.to_id, m);
    }
    const paidBy = new Map<string, string>();
    for (const t of transfers) {
      const m = shopOf.get(t.data.from_id);
      if (m && ring.has(t.data.to_id)) paidBy.set(t.data.to_id, m);
    }
    assert.ok(elsewhere.every((e) => paidBy.get(e.data.buyer_id) !== e.data.merchant_id));
  }
  // Classic rings ask for refunds after the praise.
  const classic = ids(runs[0], 'reverse_brushing', 'order');
  const refunds = byType(runs[0].events, 'refund.requested').filter((e) => classic.has(e.data.order_id));
  assert.ok(
    refunds.length >= classic.size * 0.2,
    `${refunds.length} refunds for ${classic.size} fake orders`,
  );
});

test('unpaid_orders: many accounts lock the victim’s best sellers with orders never paid, paid by the rival’s side', () => {
  for (const r of runs) {
    const victims = new Set(r.cohorts.filter((c) => c.cohort === 'stock_lock_victim').map((c) => c.id));
    assert.ok(victims.size > 0, 'no victim');
    const inTruth = new Set(r.truth.map((t) => `${t.kind}:${t.id}`));
    for (const v of victims) assert.ok(!inTruth.has(`merchant:${v}`), `victim ${v} in truth`);
    const orders = ids(r, 'unpaid_orders', 'order');
    const created = byType(r.events, 'order.created');
    const paid = new Set(byType(r.events, 'order.paid').map((e) => e.data.order_id));
    const cancelled = new Set(byType(r.events, 'order.cancelled').map((e) => e.data.order_id));
    const mine = created.filter((e) => orders.has(e.data.order_id));
    assert.ok(mine.length >= 10, `${mine.length} unpaid orders`);
    // Every planted order is at a victim, never paid, and cancelled (by the timeout or the account).
    for (const e of mine) {
      assert.ok(victims.has(e.data.merchant_id));
      assert.ok(!paid.has(e.data.order_id), 'a planted order was paid');
    }
    assert.ok(mine.filter((e) => cancelled.has(e.data.order_id)).length >= mine.length * 0.9);
    // Concentrated on a few listings per victim.
    const listings = new Map<string, Set<string>>();
    for (const e of mine) {
      const s = listings.get(e.data.merchant_id) ?? new Set();
      for (const it of e.data.items) s.add(it.listing_id);
      listings.set(e.data.merchant_id, s);
    }
    for (const s of listings.values()) assert.ok(s.size <= 3, `${s.size} listings`);
    // Hired accounts in truth all left unpaid orders; some also bought elsewhere.
    const crew = new Set(mine.map((e) => e.data.buyer_id));
    for (const a of ids(r, 'unpaid_orders', 'account'))
      assert.ok(crew.has(a) || !created.some((e) => e.data.buyer_id === a), `account ${a}`);
    assert.ok(
      created.some((e) => crew.has(e.data.buyer_id) && !victims.has(e.data.merchant_id)),
      'no camouflage',
    );
    // Money reaches the crew from the instigator's side (its operator or an intermediary it funded), never the victim's.
    const reg = new Map(byType(r.events, 'merchant.registered').map((e) => [e.data.merchant_id, e.data]));
    const opsOf = (m: string) => reg.get(m)?.account_ids ?? [];
    const instigators = ids(r, 'unpaid_orders', 'merchant');
    assert.ok(instigators.size > 0);
    for (const m of instigators) assert.ok(!victims.has(m));
    const side = new Set([...instigators].flatMap(opsOf));
    const victimOps = new Set([...victims].flatMap(opsOf));
    const transfers = byType(r.events, 'transfer.made');
    for (const t of transfers) if (side.has(t.data.from_id)) side.add(t.data.to_id);
    let paidCrew = 0;
    for (const t of transfers) {
      if (!crew.has(t.data.to_id)) continue;
      assert.ok(!victimOps.has(t.data.from_id), 'the victim paid a hired account');
      if (side.has(t.data.from_id)) paidCrew++;
    }
    assert.ok(paidCrew > 0, 'nobody paid');
  }
  // Classic orders hold many pieces; adaptive ones (in the mixed run) one to three.
  const classic = ids(runs[0], 'unpaid_orders', 'order');
  const qty = byType(runs[0].events, 'order.created')
    .filter((e) => classic.has(e.data.order_id))
    .map((e) => e.data.items[0].quantity);
  assert.ok(
    qty.every((q) => q >= 5),
    'classic quantities',
  );
});

test('cart abandoners leave orders unpaid at several shops; a hot drop has many honest unpaid orders', () => {
  const r = runs[0];
  const created = byType(r.events, 'order.created');
  const paid = new Set(byType(r.events, 'order.paid').map((e) => e.data.order_id));
  const abandoners = new Set(r.cohorts.filter((c) => c.cohort === 'cart_abandoner').map((c) => c.id));
  const unpaidShops = new Map<string, Set<string>>();
  for (const e of created) {
    if (!abandoners.has(e.data.buyer_id) || paid.has(e.data.order_id)) continue;
    const s = unpaidShops.get(e.data.buyer_id) ?? new Set();
    s.add(e.data.merchant_id);
    unpaidShops.set(e.data.buyer_id, s);
  }
  const many = [...unpaidShops.values()].filter((s) => s.size >= 2).length;
  assert.ok(many >= abandoners.size * 0.5, `${many} of ${abandoners.size} abandon at two shops or more`);
  const drops = new Set(r.cohorts.filter((c) => c.cohort === 'hot_drop').map((c) => c.id));
  for (const m of drops) {
    const here = created.filter((e) => e.data.merchant_id === m);
    const unpaid = here.filter((e) => !paid.has(e.data.order_id)).length;
    assert.ok(unpaid >= 8, `hot drop ${m}: ${unpaid} unpaid of ${here.length}`);
  }
});

test('mutual_brushing: each member’s side buys at and praises other members, never its own shop; reciprocal; cheap goods', () => {
  for (const r of runs) {
    const members = ids(r, 'mutual_brushing', 'merchant');
    const accounts = ids(r, 'mutual_brushing', 'account');
    const orders = ids(r, 'mutual_brushing', 'order');
    assert.ok(members.size >= 3 && orders.size > 0);
    const reg = byType(r.events, 'merchant.registered');
    const opOf = new Map<string, string>();
    for (const m of reg) for (const a of m.data.account_ids ?? []) opOf.set(a, m.data.merchant_id);
    const created = byType(r.events, 'order.created').filter((e) => orders.has(e.data.order_id));
    for (const e of created) {
      assert.ok(members.has(e.data.merchant_id), 'fake order at a member');
      assert.ok(accounts.has(e.data.buyer_id) || opOf.has(e.data.buyer_id), 'bought by the group');
      const own = opOf.get(e.data.buyer_id);
      assert.notEqual(own, e.data.merchant_id, 'an operator bought at its own shop');
    }
    // Reciprocity at the shop level: every member both buys (through its side) and is bought at.
    const bought = new Set(created.map((e) => e.data.merchant_id));
    for (const m of members) assert.ok(bought.has(m), `member ${m} never bought at`);
    // Good reviews only, cheap goods mostly.
    const reviews = byType(r.events, 'review.posted').filter((e) =>
      ids(r, 'mutual_brushing', 'review').has(e.data.review_id),
    );
    assert.ok(reviews.length > 0 && reviews.every((e) => e.data.rating >= 4 && orders.has(e.data.order_id)));
    const price = new Map(
      byType(r.events, 'listing.published').map((e) => [e.data.listing_id, e.data.price]),
    );
    const cheapest = new Map<string, number>();
    for (const e of byType(r.events, 'listing.published'))
      cheapest.set(e.data.merchant_id, Math.min(cheapest.get(e.data.merchant_id) ?? Infinity, e.data.price));
    const cheap = created.filter(
      (e) => price.get(e.data.items[0].listing_id) === cheapest.get(e.data.merchant_id),
    );
    assert.ok(
      cheap.length >= created.length * 0.3,
      `${cheap.length} of ${created.length} at the cheapest listing`,
    );
    // Repeat buying: some account buys at the same member more than once.
    const perPair = new Map<string, number>();
    for (const e of created) {
      const key = `${e.data.buyer_id}>${e.data.merchant_id}`;
      perPair.set(key, (perPair.get(key) ?? 0) + 1);
    }
    assert.ok(
      [...perPair.values()].some((n) => n >= 2),
      'no repeat purchase',
    );
  }
  // Classic groups: staff often linked to a declared operator; some money moves between the group's accounts.
  const r = runs[0];
  const accounts = ids(r, 'mutual_brushing', 'account');
  const reg = byType(r.events, 'merchant.registered');
  const ops = new Set(reg.flatMap((m) => m.data.account_ids ?? []));
  const opDevices = new Set(
    byType(r.events, 'account.registered')
      .filter((e) => ops.has(e.data.account_id))
      .map((e) => e.data.device_id),
  );
  const staffDevices = byType(r.events, 'account.login').filter(
    (e) => accounts.has(e.data.account_id) && !ops.has(e.data.account_id) && opDevices.has(e.data.device_id),
  );
  assert.ok(staffDevices.length > 0, 'no classic staff account on an operator’s phone');
  const members = ids(r, 'mutual_brushing', 'merchant');
  const memberOps = new Set(
    reg.filter((m) => members.has(m.data.merchant_id)).flatMap((m) => m.data.account_ids ?? []),
  );
  const moved = byType(r.events, 'transfer.made').filter(
    (e) => memberOps.has(e.data.from_id) && (accounts.has(e.data.to_id) || memberOps.has(e.data.to_id)),
  );
  assert.ok(moved.length > 0, 'no principal returned or balance settled from a member’s operator');
});

test('mutual_brushing look-alikes: operator shoppers buy elsewhere without reciprocity, supplier pairs only move money', () => {
  for (const r of runs) {
    const shoppers = new Set(
      r.cohorts.filter((c) => c.cohort === 'operator_shopper' && c.kind === 'account').map((c) => c.id),
    );
    const suppliers = new Set(r.cohorts.filter((c) => c.cohort === 'supplier_pair').map((c) => c.id));
    assert.ok(shoppers.size > 0 && suppliers.size >= 2);
    const created = byType(r.events, 'order.created');
    const bought = created.filter((e) => shoppers.has(e.data.buyer_id));
    assert.ok(bought.length > 0, 'operator shoppers never bought');
    const orders = new Set(bought.map((e) => e.data.order_id));
    const truthIds = new Set(r.truth.map((t) => t.id));
    for (const o of orders) assert.ok(!truthIds.has(o), 'a look-alike order in truth');
    const reg = byType(r.events, 'merchant.registered');
    const opOf = new Map<string, string>();
    for (const m of reg) for (const a of m.data.account_ids ?? []) opOf.set(a, m.data.merchant_id);
    // Supplier pairs pay each other between operators and never buy from each other.
    const pay = byType(r.events, 'transfer.made').filter(
      (e) => suppliers.has(opOf.get(e.data.from_id) ?? '') && suppliers.has(opOf.get(e.data.to_id) ?? ''),
    );
    assert.ok(pay.length >= 2, 'no 货款 between supplier pairs');
    for (const e of created)
      if (opOf.has(e.data.buyer_id))
        assert.ok(!suppliers.has(opOf.get(e.data.buyer_id)!) || !suppliers.has(e.data.merchant_id));
  }
});
