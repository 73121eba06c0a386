// Near-duplicate review text: MinHash over character bigrams, bucketed by LSH bands, so each review is
// compared only with the few earlier reviews that can be similar. Hand-written: it is ~60 lines, and
// the libraries for it are either unmaintained or pull in far more than this needs.

const PERMS = 24;
const BANDS = 12;
const ROWS = PERMS / BANDS;

// Fixed odd multipliers/offsets: a family of hashes h_i(x) = (a_i * x + b_i) mod 2^32.
const A = Array.from({ length: PERMS }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);
const B = Array.from({ length: PERMS }, (_, i) => Math.imul(0x85ebca6b, i + 7) >>> 0);

/** Lower-cases, drops spaces, punctuation, digits and emoji, so padding and small edits do not hide a template. */
export function normalizeText(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}\d]/gu, '');
}

function bigrams(s: string): number[] {
  const out = new Set<number>();
  for (let i = 0; i + 1 < s.length; i++) {
    let h = 0x811c9dc5;
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
    out.add(h >>> 0);
  }
  if (s.length === 1) out.add(s.charCodeAt(0));
  return [...out];
}

export function minhash(text: string): Uint32Array {
  const sig = new Uint32Array(PERMS).fill(0xffffffff);
  for (const x of bigrams(text)) {
    for (let i = 0; i < PERMS; i++) {
      const h = (Math.imul(A[i], x) + B[i]) >>> 0;
      if (h < sig[i]) sig[i] = h;
    }
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
