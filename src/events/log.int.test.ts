import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppContext, storageKind, testContext } from '../app/testing.ts';
import type { LoggedEvent } from './log.ts';
import { EventsService } from './service.ts';
import { sampleEvents } from './testing.ts';

let ctx: AppContext;
before(async () => {
  ctx = await testContext();
});
after(async () => {
  await ctx?.close();
});

const records = (prefix: string) => sampleEvents(prefix).map((value, pos) => ({ pos, value }));

test(`a follower reads the stored log in arrival order, then each new commit, until stopped (${storageKind()})`, async () => {
  await ctx.events.ingest(records('f1'), 'index');
  const seen: LoggedEvent[] = [];
  const f = ctx.events.log.follow(0, async (page) => {
    seen.push(...page);
  });
  await f.caughtUp();
  const first = seen.length;
  assert.equal(first, sampleEvents('f1').length);
  assert.deepEqual(
    seen.map((e) => e.event.id),
    sampleEvents('f1').map((e) => e.id),
  );
  assert.ok(
    seen.every((e, i) => i === 0 || e.seq > seen[i - 1].seq),
    'seq ascending',
  );
  assert.equal(f.seq, seen[seen.length - 1].seq);

  // New events are handed over without being asked: intake wakes the follower after its commit.
  await ctx.events.ingest(records('f2'), 'index');
  await f.caughtUp();
  assert.equal(seen.length, first + sampleEvents('f2').length);

  await f.stop();
  await ctx.events.ingest(records('f3'), 'index');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen.length, first + sampleEvents('f2').length, 'a stopped follower reads nothing more');
});

test('pages after a seq; a follower from the middle starts there', async () => {
  const all = await ctx.events.log.page(0, 1_000_000);
  const mid = all[Math.floor(all.length / 2)].seq;
  const rest = await ctx.events.log.page(mid, 1_000_000);
  assert.deepEqual(
    rest.map((e) => e.seq),
    all.filter((e) => e.seq > mid).map((e) => e.seq),
  );
  assert.equal((await ctx.events.log.page(mid, 3)).length, 3);
  const got: number[] = [];
  const f = ctx.events.log.follow(
    mid,
    async (page) => {
      got.push(...page.map((e) => e.seq));
    },
    { pageSize: 7 },
  );
  await f.caughtUp();
  await f.stop();
  assert.deepEqual(
    got,
    rest.map((e) => e.seq),
    'small pages lose and double nothing',
  );
});

test('a handler that fails is retried from the last page it took, and its error reaches caughtUp', async () => {
  let fail = true;
  const got: string[] = [];
  const f = ctx.events.log.follow(
    0,
    async (page) => {
      if (fail) throw new Error('the store for signals is down');
      got.push(...page.map((e) => e.event.id));
    },
    { pageSize: 5 },
  );
  await assert.rejects(f.caughtUp(), /the store for signals is down/);
  assert.equal(f.seq, 0);
  fail = false;
  await f.caughtUp();
  await f.stop();
  const ids = (await ctx.events.log.page(0, 1_000_000)).map((e) => e.event.id);
  assert.deepEqual(got, ids);
});

test(`with pollMs a follower reads what another writer committed, though nothing woke it (${storageKind()})`, async () => {
  const head = (await ctx.events.log.page(0, 1_000_000)).at(-1)!.seq;
  const got: string[] = [];
  const f = ctx.events.log.follow(
    head,
    async (page) => {
      got.push(...page.map((e) => e.event.id));
    },
    { pollMs: 50 },
  );
  await f.caughtUp();
  assert.deepEqual(got, []);
  // Another service on the same store has its own log, so its commits wake nobody here.
  const other = new EventsService(ctx.db);
  await other.ingest(records('poll'), 'index');
  const t0 = Date.now();
  while (got.length < sampleEvents('poll').length && Date.now() - t0 < 2000)
    await new Promise((r) => setTimeout(r, 10));
  await f.stop();
  assert.deepEqual(
    got,
    sampleEvents('poll').map((e) => e.id),
  );
  assert.ok(f.seq > head);
});

test('behind counts the events after a seq, up to a bound, and the age of the oldest', async () => {
  const all = await ctx.events.log.page(0, 1_000_000);
  const last = all.at(-1)!.seq;
  assert.deepEqual(await ctx.events.log.behind(last, 10), { events: 0, seconds: 0 });
  const three = all.at(-4)!.seq;
  const b = await ctx.events.log.behind(three, 10);
  assert.equal(b.events, 3);
  assert.ok(b.seconds >= 0 && b.seconds < 600, `${b.seconds} s`);
  assert.equal((await ctx.events.log.behind(0, 5)).events, 5, 'counted up to the bound');
});
