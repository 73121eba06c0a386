// A snapshot is used only when it fits: built by this format, for these rules and detectors, and whole.
// Anything else is refused, saying why in both languages; the digest ignores what the engine never reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRulesFile } from './rules/load.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  SnapshotRefused,
  snapshotHeader,
  streamDigest,
} from './snapshots.ts';
import { MarketScript } from './stream/testing.ts';

const rules = loadRulesFile();
const digest = streamDigest(rules);
const s = new MarketScript().merchant('m', ['op']).listing('l', 'm', 3900, '陶瓷马克杯');
for (let i = 0; i < 20; i++) s.account(`b${i}`).fullOrder(`o${i}`, `b${i}`, 'm', 'l', { price: 3900 });
const { engine } = s.run();
const { bytes, header } = encodeSnapshot(engine.memory(), { digest, model: 'scorer-x' });

const refused = (b: Uint8Array, d: string, why: RegExp) =>
  assert.throws(
    () => decodeSnapshot(b, d),
    (err: unknown) => err instanceof SnapshotRefused && why.test(err.message) && err.zh.length > 0,
  );

test('a whole snapshot of these rules decodes to the memory it was taken from', () => {
  assert.equal(header.events, engine.state.events);
  assert.equal(header.model, 'scorer-x');
  assert.deepEqual(snapshotHeader(bytes), header);
  assert.deepStrictEqual(decodeSnapshot(bytes, digest).memory, engine.memory());
});

test('the digest changes with a threshold, not with the file the rules came from', () => {
  const other = structuredClone(rules);
  const burst = other.rules.find((r) => r.kind === 'order_burst');
  assert.ok(burst && burst.kind === 'order_burst');
  burst.params.ratio += 1;
  assert.notEqual(streamDigest(other), digest);
  assert.equal(streamDigest({ ...rules, source: 'elsewhere.yaml' }), digest);
  refused(bytes, streamDigest(other), /built with other rules or detectors/);
});

test('a snapshot with broken or missing bytes, or of another format, is refused', () => {
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 100] ^= 0xff;
  refused(flipped, digest, /do not match their checksum/);
  refused(bytes.subarray(0, bytes.length - 10), digest, /holds \d+ bytes of the \d+/);
  refused(Buffer.from('not a snapshot at all'), digest, /not a Tianping snapshot/);
  const head = Buffer.from(JSON.stringify({ ...header, format: header.format + 1 }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  const payload = bytes.subarray(bytes.length - header.bytes);
  refused(
    Buffer.concat([bytes.subarray(0, 6), len, head, payload]),
    digest,
    /has format \d+; this version reads/,
  );
});
