// A synthetic marketplace graph for FRAUDAR: power-law honest buyers and products with injected rings
// that camouflage themselves with edges to popular products, and how well a search recovers the rings.
// FRAUDAR's tests and the lab's ring benchmark share it.
import { Random } from '../../platform/random.ts';
import type { FraudarBlock } from './fraudar.ts';

export interface RingSpec {
  rows: number;
  cols: number;
  /** Probability that a ring account hits each of the ring's target products. */
  fill: number;
}

export interface SyntheticOptions {
  /** Total edges, honest + injected (exact). */
  edges: number;
  seed: number;
  /** Honest users (default edges / 5). */
  rows?: number;
  /** Products (default edges / 20). */
  cols?: number;
  /** Zipf exponent of product popularity (default 1). */
  zipf?: number;
  /**
   * Pareto tail index of honest users' activity (default 3: the busiest user has ~30× the mean
   * degree, as in YelpChi; 2 gives ~170× power users, whose core with popular products outscores rings).
   */
  activityAlpha?: number;
  rings?: readonly RingSpec[];
  /** Camouflage edges per ring edge, to products drawn by popularity (default 1). */
  camouflage?: number;
}

export interface SyntheticGraph {
  numRows: number;
  numCols: number;
  src: Int32Array;
  dst: Int32Array;
  /** 1 for rows that belong to an injected ring. */
  fraudRow: Uint8Array;
  /** 1 for the rings' target products. */
  fraudCol: Uint8Array;
  injectedEdges: number;
  camouflageEdges: number;
}

/** Three rings of different sizes; about 2% of a million edges, half of it camouflage. */
export const DEFAULT_RINGS: readonly RingSpec[] = [
  { rows: 400, cols: 50, fill: 0.3 },
  { rows: 250, cols: 40, fill: 0.3 },
  { rows: 150, cols: 30, fill: 0.4 },
];

/**
 * Generates the graph. Every (row, col) pair is unique, so the edge count is exact. Ring accounts
 * are a random subset of the rows and carry only ring and camouflage edges; ring targets are drawn
 * from the less popular 99% of products, as brushing targets small shops.
 */
export function syntheticRings(opts: SyntheticOptions): SyntheticGraph {
  const rnd = new Random(opts.seed);
  const total = Math.floor(opts.edges);
  const R = opts.rows ?? Math.max(10, Math.floor(total / 5));
  const C = opts.cols ?? Math.max(10, Math.floor(total / 20));
  const rings = opts.rings ?? DEFAULT_RINGS;
  const camo = opts.camouflage ?? 1;
  const alpha = opts.activityAlpha ?? 3;

  // Popularity: Zipf over ranks, ranks shuffled onto product indices so popular ones are scattered.
  const s = opts.zipf ?? 1;
  const rankToCol = Int32Array.from({ length: C }, (_, i) => i);
  shuffleInt(rankToCol, rnd);
  const cdf = new Float64Array(C);
  let acc = 0;
  for (let k = 0; k < C; k++) cdf[k] = acc += 1 / (k + 1) ** s;
  for (let k = 0; k < C; k++) cdf[k] /= acc;
  const popular = (): number => rankToCol[lowerBound(cdf, rnd.next())];

  const rowOrder = Int32Array.from({ length: R }, (_, i) => i);
  shuffleInt(rowOrder, rnd);
  const fraudRow = new Uint8Array(R);
  const fraudCol = new Uint8Array(C);
  const head = Math.ceil(C / 100);

  const src: number[] = [];
  const dst: number[] = [];
  // seen[col] = 1 + the row that last used it, to keep each row's columns distinct in O(1).
  const seen = new Int32Array(C);
  let next = 0;
  let camouflageEdges = 0;
  for (const ring of rings) {
    const rows = rowOrder.subarray(next, next + ring.rows);
    next += ring.rows;
    if (next > R) throw new RangeError('syntheticRings: rings need more rows than the graph has');
    const targets: number[] = [];
    while (targets.length < ring.cols) {
      const c = rankToCol[rnd.int(head, C - 1)];
      if (!fraudCol[c]) {
        fraudCol[c] = 1;
        targets.push(c);
      }
    }
    for (const r of rows) {
      fraudRow[r] = 1;
      let hits = 0;
      for (const c of targets) {
        if (rnd.chance(ring.fill)) {
          src.push(r);
          dst.push(c);
          seen[c] = r + 1;
          hits++;
        }
      }
      const extra = Math.min(C - ring.cols, Math.round(hits * camo));
      for (let k = 0; k < extra; k++) {
        let c = popular();
        while (seen[c] === r + 1) c = popular();
        seen[c] = r + 1;
        src.push(r);
        dst.push(c);
        camouflageEdges++;
      }
    }
  }
  const injectedEdges = src.length;
  const honestRows = rowOrder.subarray(next);
  const budget = total - injectedEdges;
  if (budget < honestRows.length) throw new RangeError('syntheticRings: too few edges for the honest rows');

  // Honest activity: discrete Pareto with mean near budget / rows, then nudged to hit the budget exactly.
  const mean = budget / honestRows.length;
  const xm = (mean * (alpha - 1)) / alpha;
  const cap = Math.max(1, Math.floor(C / 10));
  const deg = new Int32Array(honestRows.length);
  let sum = 0;
  for (let i = 0; i < deg.length; i++) {
    const d = Math.min(cap, Math.max(1, Math.round(xm / (1 - rnd.next()) ** (1 / alpha))));
    deg[i] = d;
    sum += d;
  }
  while (sum < budget) {
    const i = rnd.int(0, deg.length - 1);
    if (deg[i] < cap) {
      deg[i]++;
      sum++;
    }
  }
  while (sum > budget) {
    const i = rnd.int(0, deg.length - 1);
    if (deg[i] > 1) {
      deg[i]--;
      sum--;
    }
  }

  const n = total;
  const srcOut = new Int32Array(n);
  const dstOut = new Int32Array(n);
  srcOut.set(src);
  dstOut.set(dst);
  let e = injectedEdges;
  for (let i = 0; i < honestRows.length; i++) {
    const r = honestRows[i];
    for (let k = 0; k < deg[i]; k++) {
      let c = popular();
      while (seen[c] === r + 1) c = popular();
      seen[c] = r + 1;
      srcOut[e] = r;
      dstOut[e] = c;
      e++;
    }
  }
  return {
    numRows: R,
    numCols: C,
    src: srcOut,
    dst: dstOut,
    fraudRow,
    fraudCol,
    injectedEdges,
    camouflageEdges,
  };
}

export interface RowRecovery {
  /** Rows reported in any block. */
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
}

/** Precision and recall of the union of the blocks' rows against the truth. */
export function rowRecovery(blocks: readonly FraudarBlock[], truth: Uint8Array): RowRecovery {
  const flagged = new Uint8Array(truth.length);
  for (const b of blocks) for (const r of b.rows) flagged[r] = 1;
  let tp = 0;
  let fl = 0;
  let pos = 0;
  for (let i = 0; i < truth.length; i++) {
    fl += flagged[i];
    pos += truth[i];
    if (flagged[i] && truth[i]) tp++;
  }
  return { flagged: fl, truePositives: tp, precision: fl > 0 ? tp / fl : 0, recall: pos > 0 ? tp / pos : 0 };
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shuffleInt(xs: Int32Array, rnd: Random): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
}
