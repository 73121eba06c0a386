import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../platform/random.ts';
import { IndexedMinHeap } from './priority-heap.ts';

/** Obviously-correct reference: a map scanned in full for every minimum. */
class NaiveHeap {
  readonly items = new Map<number, number>();
  popMin(): number {
    let best = -1;
    let bestKey = Number.POSITIVE_INFINITY;
    for (const [item, key] of this.items) {
      if (best < 0 || key < bestKey || (key === bestKey && item < best)) {
        best = item;
        bestKey = key;
      }
    }
    if (best >= 0) this.items.delete(best);
    return best;
  }
}

test('matches a naive reference on random push / pop / decreaseKey / update / remove', () => {
  const rnd = new Random(7);
  for (let trial = 0; trial < 20; trial++) {
    const cap = rnd.int(1, 60);
    const heap = new IndexedMinHeap(cap);
    const ref = new NaiveHeap();
    // Small integer keys force many ties, which the id tie-break must resolve identically.
    const key = () => (rnd.chance(0.5) ? rnd.int(0, 5) : rnd.next() * 10);
    for (let op = 0; op < 2000; op++) {
      const item = rnd.int(0, cap - 1);
      const roll = rnd.next();
      if (roll < 0.3) {
        if (!ref.items.has(item)) {
          const k = key();
          heap.push(item, k);
          ref.items.set(item, k);
        }
      } else if (roll < 0.5) {
        assert.equal(heap.pop(), ref.popMin());
      } else if (roll < 0.75) {
        const old = ref.items.get(item);
        if (old !== undefined) {
          const k = old - rnd.int(0, 3);
          heap.decreaseKey(item, k);
          ref.items.set(item, k);
        }
      } else if (roll < 0.9) {
        if (ref.items.has(item)) {
          const k = key();
          heap.update(item, k);
          ref.items.set(item, k);
        }
      } else {
        assert.equal(heap.remove(item), ref.items.delete(item));
      }
      assert.equal(heap.size, ref.items.size);
      assert.equal(heap.has(item), ref.items.has(item));
    }
    const drained: number[] = [];
    const expected: number[] = [];
    while (heap.size > 0) drained.push(heap.pop());
    while (ref.items.size > 0) expected.push(ref.popMin());
    assert.deepEqual(drained, expected);
    assert.equal(heap.pop(), -1);
    assert.equal(heap.peek(), -1);
  }
});

test('build heapifies in place and pops in key order, ties by id', () => {
  const rnd = new Random(11);
  const n = 500;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rnd.int(0, 50);
  const items = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
  const heap = new IndexedMinHeap(n);
  heap.push(0, -1);
  heap.build(items, keys);
  assert.equal(heap.size, items.length);
  assert.equal(heap.has(0), false, 'build replaces earlier content');
  const popped: number[] = [];
  while (heap.size > 0) popped.push(heap.pop());
  const sorted = [...items].sort((a, b) => keys[a] - keys[b] || a - b);
  assert.deepEqual(popped, sorted);
});

test('decreaseKey refuses to raise a key and unknown items are rejected', () => {
  const heap = new IndexedMinHeap(4);
  heap.push(2, 5);
  assert.throws(() => heap.decreaseKey(2, 6), /raise/);
  assert.throws(() => heap.decreaseKey(1, 0), /not present/);
  assert.throws(() => heap.push(2, 1), /already/);
  heap.decreaseKey(2, 1);
  assert.equal(heap.key(2), 1);
  assert.equal(heap.peek(), 2);
});
