import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseNdjson, readNdjsonFile } from './ndjson.ts';

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
