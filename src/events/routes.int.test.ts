// Hostile bodies and paths on POST /v1/events and GET /v1/events/:id, through the whole HTTP server: each is
// answered with its status and a message, and the good records beside it are stored exactly once.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { storageKind, testServer } from '../app/testing.ts';
import { sampleEvents } from './testing.ts';

const BODY_LIMIT = 256 * 1024;
let t: Awaited<ReturnType<typeof testServer>>;
let key: string;

before(async () => {
  t = await testServer({ bodyLimit: BODY_LIMIT });
  key = (await t.ctx.keys.create({ roles: ['ingest', 'analyst'] })).key;
});
after(async () => {
  await t?.close();
});

const post = (payload: string | Buffer, headers: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/events',
    payload,
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
const get = (rawId: string) =>
  t.app.inject({ method: 'GET', url: `/v1/events/${rawId}`, headers: { authorization: `Bearer ${key}` } });
const JSON_TYPE = { 'content-type': 'application/json' };
const NDJSON = { 'content-type': 'application/x-ndjson' };
const lines = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');

function assertProblem(
  r: LightMyRequestResponse,
  status: number,
  code: string,
  detail: RegExp,
  detailZh: RegExp,
) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
  const p = r.json();
  assert.equal(p.type, `urn:tianping:problem:${code}`);
  assert.equal(p.status, status);
  assert.equal(p.code, code);
  assert.ok(p.title && p.title_zh, 'titles in both languages');
  assert.match(p.detail, detail);
  assert.match(p.detail_zh, detailZh);
}

/** Each of `ids` is readable, and the store grew by exactly their number since `before`. */
async function assertStoredOnce(ids: string[], before: number) {
  assert.equal(await t.ctx.events.count(), before + ids.length, 'each good record stored once');
  for (const id of ids) assert.equal((await get(encodeURIComponent(id))).statusCode, 200, id);
}

test(`a JSON array element over 64 KiB is one rejection by index; the others are stored once (${storageKind()})`, async () => {
  const [a, b, c] = sampleEvents('bigel');
  const big = {
    ...sampleEvents('bigel')[3],
    id: 'bigel-big',
    data: { order_id: 'o', pad: 'x'.repeat(70_000) },
  };
  const n = await t.ctx.events.count();
  const r = await post(JSON.stringify([a, big, b, c]), JSON_TYPE);
  assert.equal(r.statusCode, 200);
  const body = r.json();
  assert.deepEqual([body.accepted, body.duplicates, body.rejected_count], [3, 0, 1]);
  assert.equal(body.rejected[0].index, 1);
  assert.equal(body.rejected[0].errors[0].field, '(record)');
  assert.match(
    body.rejected[0].errors[0].reason,
    /^is 70\d{3} bytes, over the limit of 65536 per event \(oversize\)$/,
  );
  await assertStoredOnce([a.id, b.id, c.id], n);
  assert.equal((await get('bigel-big')).statusCode, 404);

  // One object alone is held to the same limit.
  const one = await post(JSON.stringify({ ...big, id: 'bigel-one' }), JSON_TYPE);
  assert.equal(one.statusCode, 200);
  assert.equal(one.json().rejected[0].index, 0);
  assert.match(one.json().rejected[0].errors[0].reason, /over the limit of 65536 per event/);
  assert.equal(await t.ctx.events.count(), n + 3);
});

test('a malformed element of a JSON array costs only that element', async () => {
  const [a, b] = sampleEvents('badel');
  const n = await t.ctx.events.count();
  const r = await post(`[${JSON.stringify(a)}, {"id": "badel-x", }, ${JSON.stringify(b)}]`, JSON_TYPE);
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json().rejected, [
    {
      index: 1,
      errors: [{ field: '(record)', reason: r.json().rejected[0].errors[0].reason }],
    },
  ]);
  assert.match(r.json().rejected[0].errors[0].reason, /^is not valid JSON/);
  await assertStoredOnce([a.id, b.id], n);
});

test('an NDJSON line with invalid UTF-8 is rejected by line, never replaced; the other lines are stored once', async () => {
  const [a, b] = sampleEvents('utf');
  const tpl = JSON.stringify({ ...sampleEvents('utf')[3], id: 'utf-bad-@' }).split('@');
  // Two ids differing only in their invalid bytes: decoded with U+FFFD they would collapse into one.
  const body = Buffer.concat([
    Buffer.from(`${JSON.stringify(a)}\n${tpl[0]}`),
    Buffer.from([0xff]),
    Buffer.from(`${tpl[1]}\n${tpl[0]}`),
    Buffer.from([0xfe]),
    Buffer.from(`${tpl[1]}\n${JSON.stringify(b)}\n`),
  ]);
  const n = await t.ctx.events.count();
  const r = await post(body, NDJSON);
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json().rejected, [
    {
      line: 2,
      errors: [
        { field: '(line)', reason: 'is not valid UTF-8 (the first bad byte is at offset 15 of the line)' },
      ],
    },
    {
      line: 3,
      errors: [
        { field: '(line)', reason: 'is not valid UTF-8 (the first bad byte is at offset 15 of the line)' },
      ],
    },
  ]);
  await assertStoredOnce([a.id, b.id], n);
  assert.equal((await get(encodeURIComponent('utf-bad-\uFFFD'))).statusCode, 404);
});

test('a JSON body with invalid UTF-8 is a 400 naming the byte, and nothing of it is stored', async () => {
  const [a, b] = sampleEvents('utfjson');
  const text = JSON.stringify([a, { ...b, id: 'utfjson-@' }]);
  const body = Buffer.concat([
    Buffer.from(text.slice(0, text.indexOf('@'))),
    Buffer.from([0xc3, 0x28]),
    Buffer.from(text.slice(text.indexOf('@') + 1)),
  ]);
  const n = await t.ctx.events.count();
  const r = await post(body, JSON_TYPE);
  assertProblem(
    r,
    400,
    'invalid_input',
    new RegExp(
      `^The body is not valid UTF-8 \\(the first bad byte is at offset ${text.indexOf('@')}\\); JSON must be UTF-8`,
    ),
    /不是合法的 UTF-8/,
  );
  assert.equal(await t.ctx.events.count(), n);
});

test('gzip, deflate and br bodies are decompressed and their events stored once', async () => {
  const n = await t.ctx.events.count();
  const gz = sampleEvents('gz');
  const df = sampleEvents('df');
  const br = sampleEvents('br');
  const r1 = await post(gzipSync(lines(gz)), { ...NDJSON, 'content-encoding': 'gzip' });
  const r2 = await post(deflateSync(JSON.stringify(df)), { ...JSON_TYPE, 'content-encoding': 'deflate' });
  const r3 = await post(brotliCompressSync(JSON.stringify(br)), { ...JSON_TYPE, 'content-encoding': 'BR' });
  for (const r of [r1, r2, r3]) assert.deepEqual([r.statusCode, r.json().rejected_count], [200, 0]);
  await assertStoredOnce(
    [...gz, ...df, ...br].map((e) => e.id),
    n,
  );
  // Sent again compressed, they are duplicates.
  const again = await post(gzipSync(lines(gz)), { ...NDJSON, 'content-encoding': 'x-gzip' });
  assert.deepEqual([again.json().accepted, again.json().duplicates], [0, gz.length]);
});

test('a compressed body that inflates past the body limit gets 413 and stores nothing', async () => {
  const evs = sampleEvents('bomb');
  // Good events, then padding: a few KiB compressed, 10 MB inflated.
  const body = gzipSync(Buffer.concat([Buffer.from(`${lines(evs)}\n`), Buffer.alloc(10_000_000, 0x20)]));
  assert.ok(body.length < BODY_LIMIT);
  const n = await t.ctx.events.count();
  const r = await post(body, { ...NDJSON, 'content-encoding': 'gzip' });
  assertProblem(
    r,
    413,
    'payload_too_large',
    new RegExp(`^The body is larger than the limit of ${BODY_LIMIT} bytes once decompressed`),
    /解压后超过了/,
  );
  assert.equal(await t.ctx.events.count(), n);
});

test('a corrupt or truncated compressed body gets 400 and stores nothing', async () => {
  const n = await t.ctx.events.count();
  const notGzip = await post('{"id":"plain"}', { ...NDJSON, 'content-encoding': 'gzip' });
  assertProblem(
    notGzip,
    400,
    'invalid_input',
    /^The body is not valid gzip data \(/,
    /不是有效的 gzip 压缩数据/,
  );
  const whole = gzipSync(lines(sampleEvents('cut')));
  const cut = await post(whole.subarray(0, whole.length - 6), { ...NDJSON, 'content-encoding': 'gzip' });
  assertProblem(cut, 400, 'invalid_input', /unexpected end of file/, /未存储任何事件/);
  assert.equal(await t.ctx.events.count(), n);
});

test('other content codings, charsets other than UTF-8 and unknown content types get 415', async () => {
  const body = lines(sampleEvents('enc'));
  const n = await t.ctx.events.count();
  for (const coding of ['compress', 'zstd', 'gzip, br']) {
    assertProblem(
      await post(body, { ...NDJSON, 'content-encoding': coding }),
      415,
      'unsupported_media_type',
      new RegExp(`^Content-Encoding ${coding} is not supported`),
      /不支持 Content-Encoding/,
    );
  }
  for (const type of ['application/x-ndjson; charset=utf-16', 'application/json;charset="ISO-8859-1"']) {
    assertProblem(
      await post(body, { 'content-type': type }),
      415,
      'unsupported_media_type',
      /^Charset (utf-16|ISO-8859-1) is not supported; events are read as UTF-8 only/,
      /不支持字符集/,
    );
  }
  assertProblem(
    await post(body, { 'content-type': 'application/xml' }),
    415,
    'unsupported_media_type',
    /does not accept Content-Type application\/xml/,
    /不接受 Content-Type/,
  );
  assert.equal(await t.ctx.events.count(), n);
  const utf8 = await post(body, { 'content-type': 'application/x-ndjson; charset=UTF-8' });
  assert.equal(utf8.json().accepted, sampleEvents('enc').length);
});

/** Records PostgreSQL refuses, each with the field validation must name; as sent on the wire (JSON text). */
function refusedRecords(prefix: string): Array<{ text: string; id?: string; field: string; reason: RegExp }> {
  const base = sampleEvents(prefix).find((e) => e.type === 'message.sent');
  const withData = (id: string, extra: string) =>
    JSON.stringify({ ...base, id: `${prefix}-${id}` }).replace('"data":{', `"data":{${extra}`);
  const at = (id: string, time: string) => JSON.stringify({ ...base, id: `${prefix}-${id}`, time });
  let deep = '1';
  for (let i = 0; i < 600; i++) deep = `[${deep}]`;
  return [
    {
      text: withData('nul', '"note":"a\\u0000b",'),
      id: 'nul',
      field: 'data.note',
      reason: /U\+0000 \(NUL\)/,
    },
    {
      text: withData('nulkey', '"a\\u0000":1,'),
      id: 'nulkey',
      field: 'data["a\\u0000"]',
      reason: /has a key that contains the character U\+0000/,
    },
    {
      text: withData('lone', '"note":"x\\ud800y",'),
      id: 'lone',
      field: 'data.note',
      reason: /unpaired UTF-16 surrogate \(\\ud800\)/,
    },
    {
      text: withData('lonekey', '"\\udfff":1,'),
      id: 'lonekey',
      field: 'data["\\udfff"]',
      reason: /has a key that contains an unpaired/,
    },
    {
      text: JSON.stringify({ ...base, id: '@' }).replace('@', `${prefix}-id\\u0000`),
      field: 'id',
      reason: /U\+0000/,
    },
    {
      text: at('y0', '0000-06-01T00:00:00Z'),
      id: 'y0',
      field: 'time',
      reason: /between the years 1000 and 9999/,
    },
    {
      text: at('y10k', '9999-12-31T20:00:00-08:00'),
      id: 'y10k',
      field: 'time',
      reason: /between the years 1000 and 9999/,
    },
    {
      text: at('off', '2026-11-20T08:15:00+17:00'),
      id: 'off',
      field: 'time',
      reason: /offsets must lie between -15:59 and \+15:59/,
    },
    {
      text: withData('deep', `"extra":${deep},`),
      id: 'deep',
      field: `data.extra${'[0]'.repeat(510)}`,
      reason: /nested more than 512 levels deep/,
    },
  ];
}

for (const shape of ['ndjson', 'json'] as const) {
  test(`records the database would refuse are rejected by validation, by record and field (${shape})`, async () => {
    const prefix = `refuse${shape}`;
    const good = sampleEvents(prefix);
    // Times at the edges of what is stored are kept, and read back as sent.
    const edges = [
      { ...good[0], id: `${prefix}-first`, time: '1000-01-01T00:00:00Z' },
      { ...good[0], id: `${prefix}-last`, time: '9999-12-31T08:00:00+08:00' },
    ];
    const bad = refusedRecords(prefix);
    const texts = [
      ...good.map((e) => JSON.stringify(e)),
      ...bad.map((b) => b.text),
      ...edges.map((e) => JSON.stringify(e)),
    ];
    const n = await t.ctx.events.count();
    const r =
      shape === 'ndjson'
        ? await post(texts.join('\n'), NDJSON)
        : await post(`[${texts.join(',')}]`, JSON_TYPE);
    assert.equal(r.statusCode, 200);
    const body = r.json();
    assert.equal(body.accepted, good.length + edges.length);
    assert.equal(body.rejected_count, bad.length);
    for (const [i, b] of bad.entries()) {
      const rej = body.rejected[i];
      const pos = good.length + i;
      assert.equal(shape === 'ndjson' ? rej.line : rej.index, shape === 'ndjson' ? pos + 1 : pos, b.field);
      assert.equal(rej.id, b.id === undefined ? undefined : `${prefix}-${b.id}`);
      assert.equal(rej.errors[0].field, b.field);
      assert.match(rej.errors[0].reason, b.reason, b.field);
    }
    // Caught by validation: the store never refused a chunk (that would show as a "(storage)" rejection).
    assert.ok(body.rejected.every((x: { errors: { field: string }[] }) => x.errors[0].field !== '(storage)'));
    await assertStoredOnce(
      [...good, ...edges].map((e) => e.id),
      n,
    );
    assert.equal((await get(`${prefix}-first`)).json().time, '1000-01-01T00:00:00.000Z');
    assert.equal((await get(`${prefix}-last`)).json().time, '9999-12-31T00:00:00.000Z');
  });
}

test('every id intake accepts is readable by GET /v1/events/:id', async () => {
  const ids = [
    'a'.repeat(128),
    '天'.repeat(128),
    '😀'.repeat(64),
    'a/b',
    'a?b#c&d=e',
    '100%',
    'sp ace',
    'a.b',
  ];
  const dots = ['.', '..'];
  const base = sampleEvents('ids')[7];
  const r = await post(JSON.stringify([...ids, ...dots].map((id) => ({ ...base, id }))), JSON_TYPE);
  assert.equal(r.json().accepted, ids.length + dots.length);
  for (const id of ids) {
    const g = await get(encodeURIComponent(id));
    assert.equal(g.statusCode, 200, id);
    assert.equal(g.json().id, id);
  }
  // `.` and `..` percent-encoded reach the route over HTTP; clients built on the WHATWG URL parser (fetch,
  // and inject here) fold them into the path as dot segments, so this asks over a socket.
  const base_url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(base_url);
  for (const [id, path] of [
    ['.', '%2E'],
    ['..', '%2E%2E'],
  ]) {
    const got = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/v1/events/${path}`, headers: { authorization: `Bearer ${key}` } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(got.status, 200, id);
    assert.equal(JSON.parse(got.body).id, id);
  }
});

test('odd characters and over-long ids in the path are 400 or 404 problems, never 500', async () => {
  for (const raw of ['%00', 'a%00b']) {
    assertProblem(
      await get(raw),
      400,
      'invalid_input',
      /contains the character U\+0000 \(NUL\).*no event can have such an id/,
      /不可能有这样编号的事件/,
    );
  }
  // Percent-encoded bytes that are not UTF-8: a lone surrogate, an overlong NUL, a cut sequence.
  for (const raw of ['%ED%A0%80', '%C0%80', '%E5%A4', '%ZZ', '%']) {
    assertProblem(await get(raw), 400, 'invalid_input', /is not a valid url component/, /请求内容不符合要求/);
  }
  assertProblem(
    await get('a'.repeat(129)),
    400,
    'invalid_input',
    /exceeding the max param length/,
    /请求内容不符合要求/,
  );
  assertProblem(
    await get('%01'),
    404,
    'not_found',
    /^No event with id .+ has been stored\.$/,
    /未存储编号为/,
  );
});
