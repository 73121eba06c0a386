// Benchmark for FRAUDAR: a power-law honest marketplace with injected brushing rings that camouflage
// themselves with edges to popular products; reports time and how well the ring accounts are recovered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  auroc,
  bipartiteFromArrays,
  DEFAULT_RINGS,
  type FraudarWeighting,
  fraudar,
  type RingSpec,
  rowRecovery,
  syntheticRings,
} from '../../detect/index.ts';

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

function readU32(path: string, n: number): Uint32Array {
  const buf = readFileSync(path);
  if (buf.byteLength !== n * 4) throw new RangeError(`${path}: ${buf.byteLength} bytes, expected ${n * 4}`);
  // Copy so the array is 4-byte aligned whatever offset Node's buffer pool gave us (data is little endian).
  const out = new Uint32Array(n);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

// `node --import tsx src/lab/ring-bench/fraudar-bench.ts [edges] [seed] [yelpchi-dir]` prints the figures.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edges = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  for (const weighting of ['log', 'none'] as const) {
    console.log(JSON.stringify(benchRings({ edges, seed, weighting })));
  }
  const dir = process.argv[4] ?? '/work/shared/data/yelpchi_reviews_bipartite';
  console.log(JSON.stringify(benchYelpChi(dir)));
}
