import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppContext, storageKind, testContext } from '../app/testing.ts';
import type { MarketEvent } from './contract.ts';
import { parseNdjson } from './ndjson.ts';
import { sampleEvents } from './testing.ts';

let ctx: AppContext;
before(async () => {
  ctx = await testContext();
});
after(async () => {
  await ctx?.close();
});

const lines = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');

test(`keeps the good records of a mixed batch and reports each bad one (${storageKind()})`, async () => {
  const good = sampleEvents('mix');
  const body = lines([
    good[0],
    '{"id": "broken", ',
    { id: 'mix-nofield', type: 'order.paid', time: '2026-11-20T08:15:00+08:00', data: { order_id: 'o9' } },
    good[1],
    {
      id: 'mix-badtype',
      type: 'order.paid',
      time: '2026-11-20T08:15:00+08:00',
      data: { order_id: 'o9', amount: '5' },
    },
    { id: 'mix-unknown', type: 'parcel.lost', time: '2026-11-20T08:15:00+08:00', data: {} },
    { ...good[2], data: { ...good[2].data, name: 'x'.repeat(300) }, id: 'mix-oversize' },
    good[3],
  ]);
  const r = await ctx.events.ingest(parseNdjson(body), 'line');
  assert.equal(r.accepted, 3);
  assert.equal(r.duplicates, 0);
  assert.deepEqual(
    r.rejected.map((x) => [x.line, x.errors[0].field]),
    [
      [2, '(record)'],
      [3, 'data.amount'],
      [5, 'data.amount'],
      [6, 'type'],
      [7, 'data.name'],
    ],
  );
  assert.equal(r.rejected[1].id, 'mix-nofield');
  for (const e of [good[0], good[1], good[3]]) assert.ok(await ctx.events.get(e.id), e.id);
});

test('stores an event once however often it is sent, and counts the repeats as duplicates', async () => {
  const evs = sampleEvents('dup');
  const first = await ctx.events.ingest(
    evs.map((value, pos) => ({ pos, value })),
    'index',
  );
  assert.equal(first.accepted, evs.length);
  const again = await ctx.events.ingest(
    [...sampleEvents('dup'), sampleEvents('dup')[0]].map((value, pos) => ({ pos, value })),
    'index',
  );
  assert.equal(again.accepted, 0);
  assert.equal(again.duplicates, evs.length + 1);
  const within = await ctx.events.ingest(
    [sampleEvents('twice')[0], sampleEvents('twice')[0]].map((value, pos) => ({ pos, value })),
    'index',
  );
  assert.deepEqual([within.accepted, within.duplicates], [1, 1]);
});

test('a batch of new and repeated ids stores the new ones in order, and text with tabs, newlines and backslashes comes back as sent', async () => {
  const odd = 'tab\there, line\nbreak, cr\r, back\\slash \\N, 引号"';
  const ev = (n: number) => ({
    id: `copy-${n}\\${n}`,
    type: 'transfer.made',
    time: '2026-11-20T08:15:00+08:00',
    data: { transfer_id: `t${n}`, from_id: 'op1', to_id: 'a1', amount: 500, memo: odd },
  });
  await ctx.events.ingest(
    [ev(1), ev(2)].map((value, pos) => ({ pos, value })),
    'index',
  );
  const r = await ctx.events.ingest(
    [ev(2), ev(3), ev(4)].map((value, pos) => ({ pos, value })),
    'index',
  );
  assert.deepEqual([r.accepted, r.duplicates], [2, 1]);
  const stored = await Promise.all([1, 2, 3, 4].map((n) => ctx.events.get(`copy-${n}\\${n}`)));
  assert.deepEqual(
    stored.map((e) => (e?.data as { memo?: string } | undefined)?.memo),
    [odd, odd, odd, odd],
  );
  const seqs = stored.map((e) => e!.seq);
  assert.deepEqual(
    [...seqs].sort((a, b) => a - b),
    seqs,
    'arrival order kept',
  );
});

test('returns a stored event with its time in UTC and its defaults filled in', async () => {
  const e = sampleEvents('get').find((x) => x.type === 'order.created') as MarketEvent;
  await ctx.events.ingest([{ pos: 1, value: e }], 'line');
  const s = await ctx.events.get(e.id);
  assert.ok(s);
  assert.equal(s.type, 'order.created');
  assert.equal(s.time, '2026-11-20T00:15:00.000Z');
  assert.equal(s.data.currency, 'CNY');
  assert.deepEqual(s.data.items, (e.data as { items: unknown }).items);
});

test('a value the database refuses costs only its own record', async () => {
  const evs = sampleEvents('nul');
  const bad = JSON.parse(JSON.stringify(evs.find((x) => x.type === 'message.sent')));
  bad.id = 'nul-bad';
  bad.data.text = 'hello\u0000world';
  const r = await ctx.events.ingest(
    [...evs, bad].map((value, pos) => ({ pos, value })),
    'index',
  );
  assert.equal(r.accepted, evs.length);
  assert.equal(r.rejected.length, 1);
  assert.equal(r.rejected[0].id, 'nul-bad');
  assert.equal(r.rejected[0].index, evs.length);
  assert.match(r.rejected[0].errors[0].reason, /could not be stored/);
});

test('publishes only new events, in arrival order', async () => {
  const seen: string[] = [];
  const off = ctx.bus.on('events.appended', (es) => {
    seen.push(...es.map((e) => e.id));
  });
  const evs = sampleEvents('bus');
  await ctx.events.ingest(
    evs.slice(0, 3).map((value, pos) => ({ pos, value })),
    'index',
  );
  await ctx.events.ingest(
    evs.slice(0, 5).map((value, pos) => ({ pos, value })),
    'index',
  );
  off();
  assert.deepEqual(
    seen,
    evs.slice(0, 5).map((e) => e.id),
  );
  const replay = await ctx.events.log.page(0, 100000);
  const order = replay.filter((e) => e.event.id.startsWith('bus-')).map((e) => e.event.id);
  assert.deepEqual(order, seen);
});
