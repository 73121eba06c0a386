// Word lists from the rule file, matched in one pass over the text whatever the words (Aho–Corasick), so a
// rule file cannot make matching slow. Hand-written: the well-kept package for it (modern-ahocorasick)
// segments every text into graphemes and ran ~200× slower than the regular expressions it would replace
// on short chat messages; the others are small, case-sensitive and ~10× slower. Words are literal; case
// is ignored as JavaScript's `i` flag ignores it (no `u`), over UTF-16 code units, so CJK and astral
// characters match as written.

/** One code unit per code unit, as `/x/i` compares them: upper case, unless that is two units or ASCII from non-ASCII. */
let foldTable: Uint16Array | undefined;
function folds(): Uint16Array {
  if (foldTable) return foldTable;
  const t = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const u = String.fromCharCode(c).toUpperCase();
    const cu = u.length === 1 ? u.charCodeAt(0) : c;
    t[c] = c >= 128 && cu < 128 ? c : cu;
  }
  return (foldTable = t);
}

/** A match: `text.slice(start, end)` is the words[word] as it stands in the text. */
export interface WordMatch {
  start: number;
  end: number;
  word: number;
}

export class WordMatcher {
  /** Folded code unit → its symbol (1-based; 0: in no word), by high byte then low byte. */
  private readonly pages: Array<Uint16Array | undefined> = new Array(256);
  /** Per state, its transitions: symbols[first[s] .. first[s + 1]) and their targets, sorted by symbol. */
  private readonly first: Int32Array;
  private readonly symbols: Uint16Array;
  private readonly targets: Int32Array;
  /** The root's transitions by symbol, so the common step costs one read. */
  private readonly rootNext: Int32Array;
  private readonly fail: Int32Array;
  /** The word this state spells (−1: none), and this state's depth: that word's length. */
  private readonly own: Int32Array;
  private readonly depth: Int32Array;
  /** Some word ends here: this state's own, or one down its fail chain. */
  private readonly ends: Uint8Array;
  /** The next state down the fail chain that spells a word (−1: none). */
  private readonly nextOut: Int32Array;
  private readonly fold = folds();
  readonly size: number;

  constructor(words: readonly string[]) {
    this.size = words.length;
    // The trie, over symbols of folded units; one map of (state, symbol) → state keeps a large list cheap.
    const edge = new Map<number, number>();
    const own: number[] = [-1];
    const depth: number[] = [0];
    let symbolCount = 0;
    const symbolOf = (unit: number) => {
      let page = this.pages[unit >> 8];
      if (!page) page = this.pages[unit >> 8] = new Uint16Array(256);
      if (page[unit & 255] === 0) page[unit & 255] = ++symbolCount;
      return page[unit & 255];
    };
    words.forEach((w, i) => {
      if (w.length === 0) throw new RangeError('a word must not be empty');
      let s = 0;
      for (let k = 0; k < w.length; k++) {
        const key = s * 0x10000 + symbolOf(this.fold[w.charCodeAt(k)]);
        let t = edge.get(key);
        if (t === undefined) {
          t = own.length;
          own.push(-1);
          depth.push(k + 1);
          edge.set(key, t);
        }
        s = t;
      }
      // The same word twice (or in two cases) is one word: the first one names it.
      if (own[s] === -1) own[s] = i;
    });
    const n = own.length;
    const keys = Float64Array.from(edge.keys()).sort();
    this.first = new Int32Array(n + 1);
    this.symbols = new Uint16Array(keys.length);
    this.targets = new Int32Array(keys.length);
    for (let j = 0; j < keys.length; j++) {
      const from = Math.floor(keys[j] / 0x10000);
      this.first[from + 1]++;
      this.symbols[j] = keys[j] - from * 0x10000;
      this.targets[j] = edge.get(keys[j])!;
    }
    for (let s = 0; s < n; s++) this.first[s + 1] += this.first[s];
    this.rootNext = new Int32Array(symbolCount + 1);
    for (let j = this.first[0]; j < this.first[1]; j++) this.rootNext[this.symbols[j]] = this.targets[j];
    this.own = Int32Array.from(own);
    this.depth = Int32Array.from(depth);
    // Fail links and outputs, breadth first (the root's children fail to the root).
    this.fail = new Int32Array(n);
    this.ends = new Uint8Array(n);
    this.nextOut = new Int32Array(n).fill(-1);
    const queue = new Int32Array(n);
    let tail = 0;
    for (let j = this.first[0]; j < this.first[1]; j++) queue[tail++] = this.targets[j];
    for (let q = 0; q < tail; q++) {
      const s = queue[q];
      const f = this.fail[s];
      this.nextOut[s] = own[f] >= 0 ? f : this.nextOut[f];
      this.ends[s] = own[s] >= 0 || this.nextOut[s] >= 0 ? 1 : 0;
      for (let j = this.first[s]; j < this.first[s + 1]; j++) {
        const sym = this.symbols[j];
        let g = f;
        let next = this.step(g, sym);
        while (next < 0) {
          g = this.fail[g];
          next = this.step(g, sym);
        }
        this.fail[this.targets[j]] = next;
        queue[tail++] = this.targets[j];
      }
    }
  }

  /** The state after `sym` from `s` by a trie edge, −1 when none (the root's misses go to the root, 0). */
  private step(s: number, sym: number): number {
    if (s === 0) return this.rootNext[sym];
    const symbols = this.symbols;
    let lo = this.first[s];
    let hi = this.first[s + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = symbols[mid];
      if (v === sym) return this.targets[mid];
      if (v < sym) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private symbol(unit: number): number {
    const c = this.fold[unit];
    return this.pages[c >> 8]?.[c & 255] ?? 0;
  }

  /** The state after reading `unit` in state `s`. */
  private advance(s: number, unit: number): number {
    const sym = this.symbol(unit);
    if (sym === 0) return 0;
    if (s === 0) return this.rootNext[sym];
    for (;;) {
      const t = this.step(s, sym);
      if (t >= 0) return t;
      s = this.fail[s];
    }
  }

  /** Does any word occur in the text? */
  test(text: string): boolean {
    if (this.size === 0) return false;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.advance(s, text.charCodeAt(i));
      if (this.ends[s]) return true;
    }
    return false;
  }

  /**
   * Leftmost-longest matches, none overlapping: from the start, the longest word that begins at the first
   * place any word begins, then on from its end — what `/w1|w2|…/gi` finds with the words longest first.
   */
  findAll(text: string): WordMatch[] {
    const out: WordMatch[] = [];
    if (this.size === 0 || text.length === 0) return out;
    // Per start, the longest word beginning there (+1, so 0 is none) and which word it is.
    const longest = new Int32Array(text.length);
    const which = new Int32Array(text.length);
    let any = false;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.advance(s, text.charCodeAt(i));
      if (!this.ends[s]) continue;
      for (let o = this.own[s] >= 0 ? s : this.nextOut[s]; o >= 0; o = this.nextOut[o]) {
        const length = this.depth[o];
        const start = i - length + 1;
        if (length > longest[start]) {
          longest[start] = length;
          which[start] = this.own[o];
          any = true;
        }
      }
    }
    if (!any) return out;
    for (let i = 0; i < text.length; ) {
      if (longest[i] > 0) {
        out.push({ start: i, end: i + longest[i], word: which[i] });
        i += longest[i];
      } else i++;
    }
    return out;
  }
}
