// Near-duplicate review text: MinHash over character bigrams, bucketed by LSH bands, so each review is
// compared only with the few earlier reviews that can be similar. Hand-written: it is ~60 lines, and
// the libraries for it are either unmaintained or pull in far more than this needs.

const PERMS = 24;
const BANDS = 12;
const ROWS = PERMS / BANDS;

// Fixed odd multipliers/offsets: a family of hashes h_i(x) = (a_i * x + b_i) mod 2^32. Typed arrays, so the
// hot loop reads machine integers rather than boxed doubles (the values pass 2^31).
const A = Uint32Array.from({ length: PERMS }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);
const B = Uint32Array.from({ length: PERMS }, (_, i) => Math.imul(0x85ebca6b, i + 7) >>> 0);

/** Lower-cases, drops spaces, punctuation, digits and emoji, so padding and small edits do not hide a template. */
export function normalizeText(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}\d]/gu, '');
}

/** FNV-1a of the two UTF-16 units at `i`, `i + 1`. */
function bigram(s: string, i: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
  return h >>> 0;
}

// A text's bigram hashes, reused from call to call (grown for a longer text).
let grams = new Int32Array(256);

/**
 * Per hash, the least value over the text's character bigrams (a repeated bigram cannot change a minimum).
 * Plain loops over typed arrays, hashes outside and bigrams inside, so it stays optimised whatever texts
 * it has seen.
 */
export function minhash(text: string): Uint32Array {
  return minhashInto(text, new Uint32Array(PERMS));
}

/** minhash into `sig` (PERMS long), for callers that keep signatures side by side. */
function minhashInto(text: string, sig: Uint32Array): Uint32Array {
  if (text.length > grams.length) grams = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i + 1 < text.length; i++) grams[n++] = bigram(text, i);
  if (text.length === 1) grams[n++] = text.charCodeAt(0);
  for (let p = 0; p < PERMS; p++) {
    const a = A[p];
    const b = B[p];
    let least = 0xffffffff;
    for (let j = 0; j < n; j++) {
      const h = (Math.imul(a, grams[j]) + b) >>> 0;
      if (h < least) least = h;
    }
    sig[p] = least;
  }
  return sig;
}

export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < PERMS; i++) if (a[i] === b[i]) same++;
  return same / PERMS;
}

/** A pool of texts (e.g. one merchant's recent five-star reviews) answering "how many earlier ones look like this?". */
export class NearDuplicatePool<T> {
  private buckets = new Map<string, number[]>();
  private items: Array<{ sig: Uint32Array; value: T; at: number }> = [];

  constructor(private readonly maxItems = 500) {}

  /** Earlier items at least `minSim` similar to `text`, then adds it. */
  addAndMatch(text: string, value: T, at: number, minSim: number): T[] {
    const sig = minhash(text);
    const cand = new Set<number>();
    const keys: string[] = [];
    for (let b = 0; b < BANDS; b++) {
      let k = `${b}`;
      for (let r = 0; r < ROWS; r++) k += `:${sig[b * ROWS + r]}`;
      keys.push(k);
      for (const i of this.buckets.get(k) ?? []) cand.add(i);
    }
    const out: T[] = [];
    for (const i of cand) {
      const it = this.items[i];
      if (it && similarity(sig, it.sig) >= minSim) out.push(it.value);
    }
    if (this.items.length >= this.maxItems) this.compact();
    const idx = this.items.length;
    this.items.push({ sig, value, at });
    for (const k of keys) {
      const l = this.buckets.get(k);
      if (l) l.push(idx);
      else this.buckets.set(k, [idx]);
    }
    return out;
  }

  /** Drops the older half, so memory stays bounded on busy shops. */
  private compact() {
    const keep = this.items.slice(this.items.length >> 1);
    this.items = [];
    this.buckets.clear();
    for (const it of keep) {
      const idx = this.items.length;
      this.items.push(it);
      for (let b = 0; b < BANDS; b++) {
        let k = `${b}`;
        for (let r = 0; r < ROWS; r++) k += `:${it.sig[b * ROWS + r]}`;
        const l = this.buckets.get(k);
        if (l) l.push(idx);
        else this.buckets.set(k, [idx]);
      }
    }
  }
}

/**
 * NearDuplicatePool's question for callers that need only which earlier items match, not in what order:
 * every kept item is compared directly, signatures side by side in one array, which for pools of a few
 * hundred short texts is cheaper than the band buckets and makes no garbage. It finds exactly the pool's
 * matches: items sharing a whole band with the text and at least `minSim` similar; and it forgets the
 * same older half when full.
 */
const SCRATCH = new Uint32Array(PERMS);

export class NearDuplicateSet<T> {
  private sigs = new Uint32Array(8 * PERMS);
  private values: T[] = [];

  constructor(private readonly maxItems = 500) {}

  /** Calls `match` with each earlier item at least `minSim` similar to `text` (oldest first), then adds it. */
  addAndMatch(text: string, value: T, minSim: number, match: (value: T) => void): void {
    // Into one scratch signature, not a new array per text (typed arrays this size live outside the heap
    // and are slow to make); `match` must not add to another set while it is in use.
    const sig = minhashInto(text, SCRATCH);
    const sigs = this.sigs;
    // Fewer equal positions than this cannot reach `minSim` (the same test as below), so a comparison
    // stops as soon as the positions left cannot make up the difference.
    let need = 0;
    while (need <= PERMS && need / PERMS < minSim) need++;
    const count = this.values.length;
    for (let j = 0, at = 0; j < count; j++, at += PERMS) {
      let same = 0;
      let band = false;
      // Each band is two rows (ROWS is 2), written out: this loop is most of the cost.
      for (let i = 0; i < PERMS; i += 2) {
        const first = sig[i] === sigs[at + i];
        const second = sig[i + 1] === sigs[at + i + 1];
        if (first && second) {
          same += 2;
          band = true;
        } else if (first || second) same++;
        if (same + (PERMS - 2 - i) < need) break;
      }
      if (band && same / PERMS >= minSim) match(this.values[j]);
    }
    if (this.values.length >= this.maxItems) this.compact();
    const n = this.values.length;
    if ((n + 1) * PERMS > sigs.length) {
      const grown = new Uint32Array(Math.min(this.maxItems, 2 * (n + 1)) * PERMS);
      grown.set(sigs);
      this.sigs = grown;
    }
    this.sigs.set(sig, n * PERMS);
    this.values.push(value);
  }

  /** Drops the older half, as NearDuplicatePool does. */
  private compact() {
    const drop = this.values.length >> 1;
    this.sigs.copyWithin(0, drop * PERMS, this.values.length * PERMS);
    this.values = this.values.slice(drop);
  }
}
