import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bus } from './bus.ts';

type Topics = { 'a.happened': number; 'b.happened': string };

test('calls a topic’s handlers in the order they subscribed, with the payload', async () => {
  const bus = new Bus<Topics>();
  const heard: string[] = [];
  bus.on('a.happened', (n) => void heard.push(`first ${n}`));
  bus.on('a.happened', (n) => void heard.push(`second ${n}`));
  bus.on('b.happened', (s) => void heard.push(`other topic ${s}`));
  await bus.emit('a.happened', 7);
  assert.deepEqual(heard, ['first 7', 'second 7']);
});

test('emit waits for each async handler before the next and before returning', async () => {
  const bus = new Bus<Topics>();
  const heard: string[] = [];
  bus.on('a.happened', async () => {
    await new Promise((r) => setTimeout(r, 20));
    heard.push('slow done');
  });
  bus.on('a.happened', () => void heard.push('second started'));
  await bus.emit('a.happened', 1);
  heard.push('emit returned');
  assert.deepEqual(heard, ['slow done', 'second started', 'emit returned']);
});

test('a topic nobody hears is a no-op', async () => {
  await new Bus<Topics>().emit('b.happened', 'x');
});

test('unsubscribing stops only that handler', async () => {
  const bus = new Bus<Topics>();
  const heard: string[] = [];
  const off = bus.on('a.happened', () => void heard.push('gone'));
  bus.on('a.happened', () => void heard.push('stays'));
  off();
  off(); // twice is harmless
  await bus.emit('a.happened', 1);
  assert.deepEqual(heard, ['stays']);
});

test('a handler that throws fails the emit and the handlers after it do not run', async () => {
  const bus = new Bus<Topics>();
  const heard: string[] = [];
  bus.on('a.happened', () => void heard.push('before'));
  bus.on('a.happened', async () => {
    throw new Error('handler broke');
  });
  bus.on('a.happened', () => void heard.push('after'));
  await assert.rejects(bus.emit('a.happened', 1), /handler broke/);
  assert.deepEqual(heard, ['before']);
});

test('a synchronous throw also reaches the publisher', async () => {
  const bus = new Bus<Topics>();
  bus.on('b.happened', (s) => {
    throw new Error(`no ${s}`);
  });
  await assert.rejects(bus.emit('b.happened', 'thanks'), /no thanks/);
});
