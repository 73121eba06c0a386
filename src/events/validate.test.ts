import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_TYPES } from './contract.ts';
import { sampleEvents } from './testing.ts';
import { checkEvent, parseTime } from './validate.ts';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const sample = (type: string) =>
  clone(sampleEvents().find((e) => e.type === type)!) as unknown as Record<string, any>;

function fields(v: unknown) {
  const c = checkEvent(v);
  assert.equal(c.ok, false, 'expected a rejection');
  return c.ok ? [] : c.errors;
}

test('accepts one valid event of every contract type', () => {
  const types = new Set<string>();
  for (const e of sampleEvents()) {
    const c = checkEvent(clone(e));
    assert.ok(c.ok, `${e.type}: ${JSON.stringify(c.ok ? '' : c.errors)}`);
    types.add(e.type);
  }
  assert.deepEqual([...types].sort(), [...EVENT_TYPES].sort());
});

test('fills the contract defaults: currency CNY and login success', () => {
  const c = checkEvent(sample('order.created'));
  assert.ok(c.ok);
  assert.equal((c.event.data as { currency?: string }).currency, 'CNY');
  const l = checkEvent(sample('account.login'));
  assert.ok(l.ok);
  assert.equal((l.event.data as { success?: boolean }).success, true);
});

test('names each missing required field', () => {
  const e = sample('order.created');
  delete e.data.buyer_id;
  delete e.data.items;
  const errs = fields(e);
  assert.deepEqual(
    errs.map((x) => [x.field, x.reason]),
    [
      ['data.buyer_id', 'is required'],
      ['data.items', 'is required'],
    ],
  );
});

test('names wrong types down to the nested field', () => {
  const e = sample('order.created');
  e.data.amount = '37.80';
  e.data.items[0].quantity = 1.5;
  const errs = fields(e);
  assert.ok(errs.some((x) => x.field === 'data.amount' && /must be an integer, got a string/.test(x.reason)));
  assert.ok(errs.some((x) => x.field === 'data.items[0].quantity' && /must be an integer/.test(x.reason)));
});

test('rejects unknown types and lists the known ones', () => {
  const errs = fields({ id: 'x', type: 'order.teleported', time: '2026-11-20T08:15:00+08:00', data: {} });
  assert.equal(errs[0].field, 'type');
  assert.match(errs[0].reason, /unknown event type "order.teleported"; expected one of .*order.created/);
});

test('rejects oversize fields with their length and the limit', () => {
  const e = sample('review.posted');
  e.data.text = '好'.repeat(5000);
  const errs = fields(e);
  assert.equal(errs[0].field, 'data.text');
  assert.match(errs[0].reason, /is 5000 characters, over the limit of 4000 \(oversize\)/);
  const long = sample('order.delivered');
  long.id = 'x'.repeat(129);
  assert.equal(fields(long)[0].field, 'id');
});

test('requires times with a UTC offset and real calendar dates', () => {
  for (const bad of [
    '2026-11-20T08:15:00',
    '2026-11-20',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    'yesterday',
  ]) {
    const e = sample('order.delivered');
    e.time = bad;
    assert.equal(fields(e)[0].field, 'time', bad);
  }
  assert.ok(parseTime('2024-02-29T00:00:00Z'));
  assert.ok(parseTime('2026-11-20T08:15:00.123+08:00'));
  assert.equal(parseTime('2026-11-20T08:15:00+08:00'), Date.parse('2026-11-20T00:15:00Z'));
});

test('rejects values outside the contract: rating, enum, hash, currency, empty items', () => {
  const r = sample('review.posted');
  r.data.rating = 6;
  assert.match(fields(r)[0].reason, /at most 5/);
  const rm = sample('review.removed');
  rm.data.by = 'robot';
  assert.match(fields(rm)[0].reason, /one of buyer, merchant, platform/);
  const p = sample('order.paid');
  p.data.instrument_hash = 'not-hex!';
  assert.equal(fields(p)[0].field, 'data.instrument_hash');
  const c = sample('order.created');
  c.data.currency = 'yuan';
  c.data.items = [];
  const errs = fields(c).map((x) => x.field);
  assert.ok(errs.includes('data.currency') && errs.includes('data.items'));
});

test('reports a record that is not an object', () => {
  assert.equal(fields([1, 2])[0].field, '(record)');
  assert.equal(fields(null)[0].field, '(record)');
  const e = sample('order.paid');
  e.data = 'x';
  assert.deepEqual(fields(e)[0], { field: 'data', reason: 'must be an object, got a string' });
});

test('keeps the id of a rejected record when it is readable', () => {
  const e = sample('order.paid');
  delete e.data.amount;
  const c = checkEvent(e);
  assert.ok(!c.ok && c.id === e.id);
});

test('rejects what the database would refuse, naming the field: NUL and lone surrogates in values and keys', () => {
  const nul = sample('message.sent');
  nul.data.text = 'hello\u0000world';
  assert.deepEqual(fields(nul), [
    { field: 'data.text', reason: 'contains the character U+0000 (NUL), which cannot be stored' },
  ]);
  const lone = sample('order.created');
  lone.data.items[0].listing_id = 'l\ud800';
  assert.deepEqual(fields(lone), [
    {
      field: 'data.items[0].listing_id',
      reason: 'contains an unpaired UTF-16 surrogate (\\ud800), which is not valid Unicode',
    },
  ]);
  const key = sample('order.paid');
  key.data['x\udc00'] = 1;
  assert.deepEqual(fields(key), [
    {
      field: 'data["x\\udc00"]',
      reason: 'has a key that contains an unpaired UTF-16 surrogate (\\udc00), which is not valid Unicode',
    },
  ]);
  const id = sample('order.paid');
  id.id = 'a\u0000b';
  const c = checkEvent(id);
  assert.ok(!c.ok && c.id === undefined, 'an id that cannot be stored is not echoed');
  assert.equal(fields(id)[0].field, 'id');
  // A surrogate pair is one character, and fine.
  const pair = sample('message.sent');
  pair.data.text = '好评 😀';
  assert.ok(checkEvent(pair).ok);
});

test('skips the search for unstorable values only for records known to be plain', () => {
  const e = sample('order.paid');
  e.data.extra = 'x\u0000';
  assert.ok(checkEvent(clone(e), { plain: true }).ok);
  assert.equal(fields(clone(e))[0].field, 'data.extra');
});

test('rejects values nested past the depth limit, naming the field', () => {
  const deep = sample('order.paid');
  let v: unknown = 1;
  for (let i = 0; i < 600; i++) v = [v];
  deep.data.extra = v;
  const errs = fields(deep);
  // The event is level 1, data level 2, extra level 3: the array at level 513 is the first too deep.
  assert.equal(errs[0].field, `data.extra${'[0]'.repeat(510)}`);
  assert.equal(errs[0].reason, 'is nested more than 512 levels deep (oversize)');
  const ok = sample('order.paid');
  let w: unknown = 1;
  for (let i = 0; i < 500; i++) w = [w];
  ok.data.extra = w;
  assert.ok(checkEvent(ok).ok);
});

test('rejects times PostgreSQL cannot store: year 0000, before 1000 or past 9999 in UTC, offsets of 16 hours or more', () => {
  const cases: Array<[string, RegExp]> = [
    ['0000-01-01T00:00:00Z', /between the years 1000 and 9999/],
    ['0050-06-01T00:00:00Z', /between the years 1000 and 9999/],
    ['1000-01-01T00:00:00+01:00', /between the years 1000 and 9999/],
    ['9999-12-31T23:00:00-02:00', /between the years 1000 and 9999/],
    ['2026-11-20T08:15:00+16:00', /UTC offset \+16:00; offsets must lie between -15:59 and \+15:59/],
    ['2026-11-20T08:15:00-18:00', /UTC offset -18:00/],
    ['10000-01-01T00:00:00Z', /must be an ISO-8601 time/],
  ];
  for (const [time, reason] of cases) {
    const e = sample('order.delivered');
    e.time = time;
    const errs = fields(e);
    assert.equal(errs[0].field, 'time', time);
    assert.match(errs[0].reason, reason, time);
    assert.equal(parseTime(time), undefined, time);
  }
  for (const good of ['1000-01-01T00:00:00Z', '9999-12-31T08:00:00+08:00', '2026-11-20T08:15:00-15:59']) {
    assert.ok(parseTime(good), good);
  }
});
