import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  decodeNdjson,
  decodeNdjsonParts,
  firstBadByte,
  parseNdjson,
  readNdjsonFile,
  splitJsonArray,
} from './ndjson.ts';

test('numbers lines from 1, skips blank lines, tolerates CRLF', () => {
  const r = parseNdjson('{"a":1}\r\n\n{"b":2}\n  \n{"c":3}');
  assert.deepEqual(
    r.map((x) => [x.pos, x.value]),
    [
      [1, { a: 1 }],
      [3, { b: 2 }],
      [5, { c: 3 }],
    ],
  );
});

test('a malformed line is an error of that line only', () => {
  const r = parseNdjson('{"a":1}\n{"b":\n{"c":3}\n');
  assert.equal(r.length, 3);
  assert.equal(r[1].pos, 2);
  assert.equal(r[1].error?.field, '(record)');
  assert.match(r[1].error?.reason ?? '', /not valid JSON/);
  assert.deepEqual(r[2].value, { c: 3 });
});

test('an oversize line is rejected without being parsed', () => {
  const r = parseNdjson(`{"x":"${'y'.repeat(70000)}"}`);
  assert.match(r[0].error?.reason ?? '', /over the limit of 65536 per event/);
});

test('streams a file in batches with the right line numbers and no lost last line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-ndjson-'));
  const path = join(dir, 'e.ndjson');
  const lines = Array.from({ length: 2503 }, (_, i) => JSON.stringify({ n: i + 1, s: '天平'.repeat(i % 7) }));
  writeFileSync(path, lines.join('\n'));
  const seen: number[] = [];
  let batches = 0;
  for await (const b of readNdjsonFile(path, 1000)) {
    batches++;
    for (const r of b.records) {
      assert.equal((r.value as { n: number }).n, r.pos);
      seen.push(r.pos);
    }
  }
  assert.equal(batches, 3);
  assert.equal(seen.length, 2503);
  assert.equal(seen.at(-1), 2503);
});

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

test('a line with invalid UTF-8 is rejected by line, naming the byte; the other lines are read', () => {
  // Two ids that differ only in their bad bytes: replaced by U+FFFD they would collapse into one.
  const r = decodeNdjson(
    bytes('{"id":"a"}\n{"id":"x', [0xff], '"}\n{"id":"x', [0xfe], '"}\r\n{"id":"天平"}\n'),
  );
  assert.deepEqual(
    r.map((x) => [x.pos, x.value ?? x.error]),
    [
      [1, { id: 'a' }],
      [2, { field: '(line)', reason: 'is not valid UTF-8 (the first bad byte is at offset 8 of the line)' }],
      [3, { field: '(line)', reason: 'is not valid UTF-8 (the first bad byte is at offset 8 of the line)' }],
      [4, { id: '天平' }],
    ],
  );
});

test('finds the first bad byte past genuine U+FFFD characters, truncated sequences and encoded surrogates', () => {
  assert.equal(firstBadByte(Buffer.from('plain 天平')), -1);
  assert.equal(firstBadByte(bytes('\uFFFD\uFFFD', [0xc0, 0x80])), 6);
  assert.equal(firstBadByte(bytes('ab', [0xe5, 0xa4])), 2);
  assert.equal(firstBadByte(bytes('天', [0xed, 0xa0, 0x80])), 3);
});

test('marks records that cannot hold what the database refuses, so validation may skip looking', () => {
  const deep = `{"a":${'['.repeat(600)}${']'.repeat(600)}}`;
  const r = decodeNdjson(
    Buffer.from(`{"a":"plain"}\n{"a":"\\u0000"}\n{"a":"\\ud800"}\n${deep}\n{"a":"plain"}`),
  );
  assert.deepEqual(
    r.map((x) => x.plain === true),
    [true, false, false, false, true],
  );
  // A body without any escape is searched once, not per line.
  assert.deepEqual(
    decodeNdjson(Buffer.from('{"a":1}\n{"b":2}')).map((x) => x.plain),
    [true, true],
  );
  // A string handed in as text was not decoded here: nothing is assumed of it.
  assert.equal(parseNdjson('{"a":"plain"}')[0].plain, undefined);
});

test('drops a byte order mark at the start only', () => {
  const r = decodeNdjson(bytes([0xef, 0xbb, 0xbf], '{"a":1}\n\uFEFF{"b":2}'));
  assert.deepEqual(r[0].value, { a: 1 });
  assert.match(r[1].error?.reason ?? '', /not valid JSON/);
});

test('splits a JSON array into its elements without being fooled by strings', () => {
  const els = [{ a: '[{,' }, { b: 'say "]", then \\' }, [1, [2, { c: '}' }]], 'x', 7, null];
  assert.deepEqual(
    splitJsonArray(JSON.stringify(els))?.map((t) => JSON.parse(t)),
    els,
  );
  assert.deepEqual(
    splitJsonArray(JSON.stringify(els, null, 2))?.map((t) => JSON.parse(t)),
    els,
  );
  assert.deepEqual(splitJsonArray(' [ ] '), []);
  assert.deepEqual(splitJsonArray('[{"a":1},{"b":}, {"c":3}]'), ['{"a":1}', '{"b":}', '{"c":3}']);
  for (const broken of ['[{"a":1}', '[{"a":"1}]', '[1] x', '{"a":1}', '']) {
    assert.equal(splitJsonArray(broken), undefined, broken);
  }
});

test('a file line with invalid UTF-8 or over the size limit is one rejection, even across chunks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-ndjson-'));
  const path = join(dir, 'bad.ndjson');
  const big = `{"x":"${'y'.repeat(3_000_000)}"}`;
  writeFileSync(path, bytes([0xef, 0xbb, 0xbf], '{"n":1}\n{"n":"', [0xc3], '"}\n', big, '\n{"n":4}\n', big));
  const got: Array<[number, unknown]> = [];
  for await (const b of readNdjsonFile(path, 2))
    for (const r of b.records) got.push([r.pos, r.value ?? r.error?.reason]);
  assert.deepEqual(got, [
    [1, { n: 1 }],
    [2, 'is not valid UTF-8 (the first bad byte is at offset 6 of the line)'],
    [3, `is ${big.length} bytes, over the limit of 65536 per event (oversize)`],
    [4, { n: 4 }],
    [5, `is ${big.length} bytes, over the limit of 65536 per event (oversize)`],
  ]);
});

test('a body read in parts gives the same records, numbered as in the whole body', () => {
  const body = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('{"a":1}\n\n{"b":2}\r\n{"c":'),
    Buffer.from('3}\n'),
    Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
    Buffer.from('not json\n{"d":4}\n{"e":5}'),
  ]);
  const whole = decodeNdjson(body);
  assert.deepEqual(
    whole.map((r) => r.pos),
    [1, 3, 4, 5, 6, 7, 8],
  );
  for (const partBytes of [1, 5, 12, 1000]) {
    const parts = [...decodeNdjsonParts(body, partBytes)];
    assert.deepEqual(parts.flat(), whole, `parts of ${partBytes} bytes`);
    if (partBytes < 12) assert.ok(parts.length > 3, 'read in several parts');
  }
});
