// Hand-written because peeling needs decrease-key on dense integer ids over typed arrays, which no
// standard-library or dependency-free heap offers without per-entry objects.

/**
 * Indexed binary min-heap over item ids 0..capacity-1 with a float key per item. Ties are broken by
 * the smaller id, so the pop order is fully determined by the keys.
 */
export class IndexedMinHeap {
  /** heap[k] = item at heap slot k. */
  private readonly heap: Int32Array;
  /** pos[item] = its slot in heap, or -1 when the item is not in the heap. */
  private readonly pos: Int32Array;
  private readonly keys: Float64Array;
  private count = 0;

  constructor(readonly capacity: number) {
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.keys = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  has(item: number): boolean {
    return this.pos[item] >= 0;
  }

  /** Current key of an item (meaningful only while it is in the heap). */
  key(item: number): number {
    return this.keys[item];
  }

  /** Inserts an item that is not yet in the heap. */
  push(item: number, key: number): void {
    if (this.pos[item] >= 0) throw new Error(`heap: item ${item} is already present`);
    this.keys[item] = key;
    const k = this.count++;
    this.heap[k] = item;
    this.pos[item] = k;
    this.siftUp(k);
  }

  /**
   * Replaces the whole content with the given items and keys in O(n) (Floyd's heapify); `keys` is
   * indexed by item id.
   */
  build(items: ArrayLike<number>, keys: ArrayLike<number>): void {
    for (let k = 0; k < this.count; k++) this.pos[this.heap[k]] = -1;
    this.count = items.length;
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      if (this.pos[item] >= 0) throw new Error(`heap: item ${item} given twice`);
      this.heap[k] = item;
      this.pos[item] = k;
      this.keys[item] = keys[item];
    }
    for (let k = (this.count >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  /** Item with the smallest key without removing it, or -1 when empty. */
  peek(): number {
    return this.count > 0 ? this.heap[0] : -1;
  }

  /** Removes and returns the item with the smallest key, or -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const top = this.heap[0];
    this.pos[top] = -1;
    const last = this.heap[--this.count];
    if (this.count > 0) {
      this.heap[0] = last;
      this.pos[last] = 0;
      this.siftDown(0);
    }
    return top;
  }

  /** Lowers an item's key; the hot operation while peeling. */
  decreaseKey(item: number, key: number): void {
    const k = this.pos[item];
    if (k < 0) throw new Error(`heap: item ${item} is not present`);
    if (key > this.keys[item]) throw new Error(`heap: decreaseKey would raise ${item}`);
    this.keys[item] = key;
    this.siftUp(k);
  }

  /** Sets an item's key in either direction. */
  update(item: number, key: number): void {
    const k = this.pos[item];
    if (k < 0) throw new Error(`heap: item ${item} is not present`);
    const old = this.keys[item];
    this.keys[item] = key;
    if (key < old) this.siftUp(k);
    else this.siftDown(k);
  }

  /** Removes an arbitrary item if present. */
  remove(item: number): boolean {
    const k = this.pos[item];
    if (k < 0) return false;
    this.pos[item] = -1;
    const last = this.heap[--this.count];
    if (k < this.count) {
      this.heap[k] = last;
      this.pos[last] = k;
      this.siftUp(k);
      this.siftDown(this.pos[last]);
    }
    return true;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a];
    const kb = this.keys[b];
    return ka < kb || (ka === kb && a < b);
  }

  private siftUp(k: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const item = heap[k];
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const p = heap[parent];
      if (!this.less(item, p)) break;
      heap[k] = p;
      pos[p] = k;
      k = parent;
    }
    heap[k] = item;
    pos[item] = k;
  }

  private siftDown(k: number): void {
    const heap = this.heap;
    const pos = this.pos;
    const n = this.count;
    const item = heap[k];
    for (;;) {
      let child = 2 * k + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right], heap[child])) child = right;
      const c = heap[child];
      if (!this.less(c, item)) break;
      heap[k] = c;
      pos[c] = k;
      k = child;
    }
    heap[k] = item;
    pos[item] = k;
  }
}
