// Benchmark for FRAUDAR: a power-law honest marketplace with injected brushing rings that camouflage
// themselves with edges to popular products; reports time and how well the ring accounts are recovered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Random } from '../../platform/random.ts';
import { bipartiteFromArrays } from './bipartite.ts';
import { type FraudarBlock, type FraudarWeighting, fraudar } from './fraudar.ts';

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

export interface BenchRingsOptions {
  edges: number;
  seed: number;
  weighting?: FraudarWeighting;
  /** Blocks to ask for (default: one per injected ring). */
  blocks?: number;
  rings?: readonly RingSpec[];
  camouflage?: number;
  activityAlpha?: number;
}

export interface BenchRingsResult {
  edges: number;
  rows: number;
  cols: number;
  /** Wall time of the ring job: CSR build from the edge arrays plus FRAUDAR. */
  seconds: number;
  buildSeconds: number;
  fraudarSeconds: number;
  weighting: FraudarWeighting;
  injected: { rows: number; cols: number; edges: number; camouflageEdges: number };
  found: {
    blocks: Array<{
      rows: number;
      cols: number;
      edges: number;
      score: number;
      density: number;
      fraudRows: number;
    }>;
    rows: number;
    truePositiveRows: number;
  };
  precision: number;
  recall: number;
}

/** Builds the synthetic graph, runs FRAUDAR on it and scores the recovery of the ring accounts. */
export function benchRings(opts: BenchRingsOptions): BenchRingsResult {
  const rings = opts.rings ?? DEFAULT_RINGS;
  const weighting = opts.weighting ?? 'log';
  const syn = syntheticRings({
    edges: opts.edges,
    seed: opts.seed,
    rings,
    camouflage: opts.camouflage,
    activityAlpha: opts.activityAlpha,
  });
  const t0 = performance.now();
  const graph = bipartiteFromArrays(syn.numRows, syn.numCols, syn.src, syn.dst);
  const t1 = performance.now();
  const blocks = fraudar(graph, { weighting, blocks: opts.blocks ?? rings.length });
  const t2 = performance.now();
  const rec = rowRecovery(blocks, syn.fraudRow);
  let injectedRows = 0;
  for (const x of syn.fraudRow) injectedRows += x;
  let injectedCols = 0;
  for (const x of syn.fraudCol) injectedCols += x;
  return {
    edges: graph.numEdges,
    rows: graph.numRows,
    cols: graph.numCols,
    seconds: (t2 - t0) / 1000,
    buildSeconds: (t1 - t0) / 1000,
    fraudarSeconds: (t2 - t1) / 1000,
    weighting,
    injected: {
      rows: injectedRows,
      cols: injectedCols,
      edges: syn.injectedEdges,
      camouflageEdges: syn.camouflageEdges,
    },
    found: {
      blocks: blocks.map((b) => ({
        rows: b.rows.length,
        cols: b.cols.length,
        edges: b.edges,
        score: b.score,
        density: b.density,
        fraudRows: b.rows.reduce((n, r) => n + syn.fraudRow[r], 0),
      })),
      rows: rec.flagged,
      truePositiveRows: rec.truePositives,
    },
    precision: rec.precision,
    recall: rec.recall,
  };
}

export interface YelpChiResult {
  reviews: number;
  users: number;
  products: number;
  edges: number;
  loadSeconds: number;
  buildSeconds: number;
  fraudarSeconds: number;
  blocks: Array<{
    rows: number;
    cols: number;
    edges: number;
    score: number;
    density: number;
    spamUsers: number;
  }>;
  /** AUROC of users ranked by the score of the first block holding them (0 outside all blocks). */
  userAuroc: number;
  flaggedUsers: number;
  flaggedPrecision: number;
  flaggedRecall: number;
}

/** Sanity run on the YelpChi users × products graph (Yelp's filter as labels; see the data README). */
export function benchYelpChi(
  dir: string,
  opts: { weighting?: FraudarWeighting; blocks?: number } = {},
): YelpChiResult {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    num_reviews: number;
    num_users: number;
    num_products: number;
  };
  const t0 = performance.now();
  const users = readU32(join(dir, 'review_user.u32'), meta.num_reviews);
  const products = readU32(join(dir, 'review_product.u32'), meta.num_reviews);
  const labelBytes = readFileSync(join(dir, 'user_label.u8'));
  const label = new Uint8Array(labelBytes.buffer, labelBytes.byteOffset, meta.num_users);
  const t1 = performance.now();
  const graph = bipartiteFromArrays(meta.num_users, meta.num_products, users, products);
  const t2 = performance.now();
  const blocks = fraudar(graph, { weighting: opts.weighting ?? 'log', blocks: opts.blocks ?? 5 });
  const t3 = performance.now();

  const score = new Float64Array(meta.num_users);
  for (let b = blocks.length - 1; b >= 0; b--) for (const r of blocks[b].rows) score[r] = blocks[b].score;
  const rec = rowRecovery(blocks, label);
  return {
    reviews: meta.num_reviews,
    users: meta.num_users,
    products: meta.num_products,
    edges: graph.numEdges,
    loadSeconds: (t1 - t0) / 1000,
    buildSeconds: (t2 - t1) / 1000,
    fraudarSeconds: (t3 - t2) / 1000,
    blocks: blocks.map((b) => ({
      rows: b.rows.length,
      cols: b.cols.length,
      edges: b.edges,
      score: b.score,
      density: b.density,
      spamUsers: b.rows.reduce((n, r) => n + label[r], 0),
    })),
    userAuroc: auroc(score, label),
    flaggedUsers: rec.flagged,
    flaggedPrecision: rec.precision,
    flaggedRecall: rec.recall,
  };
}

/** AUROC with ties counted as half (Mann–Whitney U over average ranks). */
export function auroc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]] === score[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (label[idx[k]]) {
        pos++;
        rankSum += avg;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function readU32(path: string, n: number): Uint32Array {
  const buf = readFileSync(path);
  if (buf.byteLength !== n * 4) throw new RangeError(`${path}: ${buf.byteLength} bytes, expected ${n * 4}`);
  // Copy so the array is 4-byte aligned whatever offset Node's buffer pool gave us (data is little endian).
  const out = new Uint32Array(n);
  new Uint8Array(out.buffer).set(buf);
  return out;
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

// `node --import tsx src/detect/graph/fraudar-bench.ts [edges] [seed] [yelpchi-dir]` prints the figures.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edges = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  for (const weighting of ['log', 'none'] as const) {
    console.log(JSON.stringify(benchRings({ edges, seed, weighting })));
  }
  const dir = process.argv[4] ?? '/work/shared/data/yelpchi_reviews_bipartite';
  console.log(JSON.stringify(benchYelpChi(dir)));
}
