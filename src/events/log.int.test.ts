import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppContext, storageKind, testContext } from '../app/testing.ts';
import type { LoggedEvent } from './log.ts';
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
