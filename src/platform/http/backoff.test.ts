import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureBackoff } from './backoff.ts';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('the Nth wrong key within the window earns a refusal; fewer do not', () => {
  const c = clock();
  const b = new FailureBackoff({
    maxFailures: 3,
    windowMs: 10_000,
    blockMs: 5_000,
    maxBlockMs: 60_000,
    now: c.now,
  });
  assert.equal(b.failed('a'), 0);
  assert.equal(b.failed('a'), 0);
  assert.equal(b.retryAfterMs('a'), 0);
  assert.equal(b.failed('a'), 5_000);
  assert.equal(b.retryAfterMs('a'), 5_000);
  assert.equal(b.retryAfterMs('b'), 0, 'per address');
  c.advance(4_000);
  assert.equal(b.retryAfterMs('a'), 1_000);
  c.advance(1_000);
  assert.equal(b.retryAfterMs('a'), 0);
});

test('failures spread wider than the window never add up to a refusal', () => {
  const c = clock();
  const b = new FailureBackoff({
    maxFailures: 3,
    windowMs: 10_000,
    blockMs: 5_000,
    maxBlockMs: 60_000,
    now: c.now,
  });
  for (let i = 0; i < 20; i++) {
    assert.equal(b.failed('a'), 0, `failure ${i}`);
    c.advance(5_001);
  }
});

test('each refusal doubles the last, up to the longest; a quiet spell forgets the strikes', () => {
  const c = clock();
  const b = new FailureBackoff({
    maxFailures: 2,
    windowMs: 10_000,
    blockMs: 1_000,
    maxBlockMs: 8_000,
    now: c.now,
  });
  const blocks: number[] = [];
  for (let i = 0; i < 6; i++) {
    b.failed('a');
    const block = b.failed('a');
    blocks.push(block);
    c.advance(block);
  }
  assert.deepEqual(blocks, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  c.advance(8_001);
  b.failed('a');
  assert.equal(b.failed('a'), 1_000, 'forgotten after a quiet spell as long as the longest refusal');
});

test('0 failures turns the backoff off', () => {
  const b = new FailureBackoff({ maxFailures: 0, windowMs: 10_000, blockMs: 1_000, maxBlockMs: 8_000 });
  for (let i = 0; i < 100; i++) assert.equal(b.failed('a'), 0);
  assert.equal(b.retryAfterMs('a'), 0);
});

test('memory stays bounded by maxEntries however many addresses fail', () => {
  const c = clock();
  const b = new FailureBackoff({
    maxFailures: 2,
    windowMs: 10_000,
    blockMs: 60_000,
    maxBlockMs: 60_000,
    maxEntries: 100,
    now: c.now,
  });
  b.failed('bad');
  b.failed('bad');
  for (let i = 0; i < 1000; i++) {
    b.failed(`stale-${i}`);
    c.advance(1);
  }
  assert.ok(b.size <= 100, `size ${b.size}`);
  c.advance(70_000);
  for (let i = 0; i < 50; i++) b.failed(`new-${i}`);
  assert.ok(b.size <= 100);
});
