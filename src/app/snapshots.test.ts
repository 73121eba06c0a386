// A snapshot taken mid-stream and restored carries on exactly as the engine that never stopped: the same
// signals, once each, and the same memory (on a simulated market with every scheme on).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createStreamEngine,
  decodeSnapshot,
  type EngineMemory,
  encodeSnapshot,
  loadRulesFile,
  type Signal,
  type StreamEngine,
  streamDigest,
} from '../detect/index.ts';
import { everySchemeEvents } from '../sim/testing.ts';

// Every scheme on, so every detector has windows to carry over.
const events = everySchemeEvents({ merchants: 60, buyers: 3000, days: 10, seed: 'snapshots' });
const rules = loadRulesFile();
const digest = streamDigest(rules);

function run(engine: StreamEngine, from: number, to: number) {
  for (let i = from; i < to; i++) engine.process(events[i], Date.parse(events[i].time), i + 1);
}

function engine(found: Signal[], memory?: EngineMemory) {
  return createStreamEngine(rules, (s) => found.push(s), memory);
}

test('an engine restored from a snapshot finds what the unstopped one finds, and ends with the same memory', () => {
  const all: Signal[] = [];
  const whole = engine(all);
  run(whole, 0, events.length);
  const rulesHit = new Set(all.map((s) => s.ruleId));
  assert.ok(rulesHit.size >= 8, `most rules fire on this market (${[...rulesHit].join(', ')})`);

  for (const cut of [Math.floor(events.length / 3), Math.floor((2 * events.length) / 3)]) {
    const before: Signal[] = [];
    const first = engine(before);
    run(first, 0, cut);
    const { bytes, header } = encodeSnapshot(first.memory(), { digest });
    assert.equal(header.seq, cut);
    assert.equal(header.events, cut);
    const after: Signal[] = [];
    const restored = engine(after, decodeSnapshot(bytes, digest).memory);
    run(restored, cut, events.length);
    assert.deepEqual(
      [...before, ...after].map((s) => s.id),
      all.map((s) => s.id),
      `the signals of a stop at ${cut} and a restore, in order, are those of one run`,
    );
    assert.deepEqual([...before, ...after], all);
    assert.deepEqual(restored.ruleHits(), whole.ruleHits());
    assert.deepStrictEqual(
      restored.memory(),
      whole.memory(),
      'the restored engine ends with the same memory',
    );
    // Objects shared in the market (an order in the order map, its buyer's and its merchant's lists) stay shared.
    const st = restored.state;
    for (const o of st.orders.values()) {
      assert.ok(st.accounts.get(o.buyer)?.orders.includes(o));
      assert.ok(st.merchants.get(o.merchant)?.orders.includes(o));
      if (o.review) assert.equal(st.reviews.get(o.review.id), o.review);
    }
  }
});
