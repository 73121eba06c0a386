import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextTurn } from './turns.ts';

test('steps waiting for a turn resume one per event-loop turn, in order, with other callbacks between', async () => {
  const log: string[] = [];
  const activity = async (name: string) => {
    for (let i = 0; i < 3; i++) {
      await nextTurn();
      log.push(`${name}${i}`);
    }
  };
  const both = Promise.all([activity('a'), activity('b')]);
  // Stands for a request that arrived meanwhile: it is served after one step, not after every queued one.
  setImmediate(() => log.push('request'));
  await both;
  assert.deepEqual(log, ['a0', 'request', 'b0', 'a1', 'b1', 'a2', 'b2']);
});
