// Graph feature engineering per relation: neighbour aggregates over 1 and 2 hops, and label-aware counts
// that read training labels only and never a node's own label.
import type { Matrix } from '../../detect/index.ts';

/** Symmetric adjacency in compressed sparse rows. */
export interface Csr {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
}

/** CSR from undirected (src, dst) pairs listed once; self-loops and repeated pairs are dropped. */
export function toCsr(n: number, edges: Uint32Array): Csr {
  const deg = new Int32Array(n);
  for (let k = 0; k < edges.length; k += 2) {
    if (edges[k] === edges[k + 1]) continue;
    deg[edges[k]]++;
    deg[edges[k + 1]]++;
  }
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + deg[i];
  const fill = indptr.slice(0, n);
  const indices = new Int32Array(indptr[n]);
  for (let k = 0; k < edges.length; k += 2) {
    const a = edges[k];
    const b = edges[k + 1];
    if (a === b) continue;
    indices[fill[a]++] = b;
    indices[fill[b]++] = a;
  }
  return dedupe({ n, indptr, indices });
}

/** Union of relations on the same nodes (an edge present in several counts once). */
export function unionCsr(graphs: Csr[]): Csr {
  const n = graphs[0].n;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (const g of graphs) d += g.indptr[i + 1] - g.indptr[i];
    indptr[i + 1] = indptr[i] + d;
  }
  const indices = new Int32Array(indptr[n]);
  for (let i = 0, p = 0; i < n; i++) {
    for (const g of graphs) for (let k = g.indptr[i]; k < g.indptr[i + 1]; k++) indices[p++] = g.indices[k];
  }
  return dedupe({ n, indptr, indices });
}

function dedupe(g: Csr): Csr {
  const indptr = new Int32Array(g.n + 1);
  const indices = new Int32Array(g.indices.length);
  let p = 0;
  for (let i = 0; i < g.n; i++) {
    const row = g.indices
      .subarray(g.indptr[i], g.indptr[i + 1])
      .slice()
      .sort();
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) indices[p++] = row[k];
    indptr[i + 1] = p;
  }
  return { n: g.n, indptr, indices: indices.slice(0, p) };
}

export type Aggregate = 'mean' | 'max' | 'min' | 'std' | 'diff' | 'mean2';

export interface GraphFeatureOptions {
  /** Neighbour aggregates of the raw features; mean2 is the two-hop mean, diff is own value minus mean. */
  aggregates: Aggregate[];
  /** Adds neighbour-label features from these training nodes (labels of all other nodes are never read). */
  labelAware?: { train: ArrayLike<number>; labels: ArrayLike<number> };
  /** Also aggregate over the union of all relations (when there is more than one). */
  union?: boolean;
}

export interface FeatureTable {
  matrix: Matrix;
  names: string[];
}

/** Column-major builder so each block is written as whole columns, then turned into a row-major matrix. */
class Columns {
  readonly cols: Float32Array[] = [];
  readonly names: string[] = [];
  constructor(readonly n: number) {}
  add(name: string): Float32Array {
    const c = new Float32Array(this.n);
    this.cols.push(c);
    this.names.push(name);
    return c;
  }
  toTable(): FeatureTable {
    const d = this.cols.length;
    const data = new Float32Array(this.n * d);
    for (let j = 0; j < d; j++) {
      const c = this.cols[j];
      for (let i = 0; i < this.n; i++) data[i * d + j] = c[i];
    }
    return { matrix: { rows: this.n, cols: d, data }, names: this.names };
  }
}

/** Row i of the neighbour mean of x (n × d); NaN for isolated nodes so trees treat them as missing. */
function neighbourMean(g: Csr, x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(g.n * d);
  const acc = new Float64Array(d);
  for (let i = 0; i < g.n; i++) {
    const deg = g.indptr[i + 1] - g.indptr[i];
    if (deg === 0) {
      out.fill(Number.NaN, i * d, (i + 1) * d);
      continue;
    }
    acc.fill(0);
    for (let k = g.indptr[i]; k < g.indptr[i + 1]; k++) {
      const base = g.indices[k] * d;
      for (let f = 0; f < d; f++) acc[f] += x[base + f];
    }
    for (let f = 0; f < d; f++) out[i * d + f] = acc[f] / deg;
  }
  return out;
}

function addAggregates(
  cols: Columns,
  g: Csr,
  rel: string,
  x: Float32Array,
  d: number,
  names: string[],
  aggs: Aggregate[],
) {
  const want = new Set(aggs);
  const mean = neighbourMean(g, x, d);
  const column = (data: Float32Array, f: number, into: Float32Array) => {
    for (let i = 0; i < g.n; i++) into[i] = data[i * d + f];
  };
  if (want.has('mean')) for (let f = 0; f < d; f++) column(mean, f, cols.add(`${rel}.mean.${names[f]}`));
  if (want.has('diff')) {
    for (let f = 0; f < d; f++) {
      const c = cols.add(`${rel}.diff.${names[f]}`);
      for (let i = 0; i < g.n; i++) c[i] = x[i * d + f] - mean[i * d + f];
    }
  }
  if (want.has('mean2')) {
    // Random-walk two-hop mean: the mean over neighbours of their neighbour means.
    const filled = mean.map((v) => (Number.isNaN(v) ? 0 : v));
    const mean2 = neighbourMean(g, filled, d);
    for (let f = 0; f < d; f++) column(mean2, f, cols.add(`${rel}.mean2.${names[f]}`));
  }
  // max, min and std in one pass over each neighbour's whole row (contiguous), not one pass per feature;
  // the squared deviations only when std is asked for (they are most of the pass).
  const spread = (['max', 'min', 'std'] as const).filter((a) => want.has(a));
  if (spread.length === 0) return;
  const out = spread.map((agg) => Array.from({ length: d }, (_, f) => cols.add(`${rel}.${agg}.${names[f]}`)));
  const lo = new Float64Array(d);
  const hi = new Float64Array(d);
  const ss = new Float64Array(d);
  const withStd = want.has('std');
  for (let i = 0; i < g.n; i++) {
    const from = g.indptr[i];
    const to = g.indptr[i + 1];
    if (from === to) {
      for (const o of out) for (let f = 0; f < d; f++) o[f][i] = Number.NaN;
      continue;
    }
    const mi = i * d;
    lo.fill(Number.POSITIVE_INFINITY);
    hi.fill(Number.NEGATIVE_INFINITY);
    for (let k = from; k < to; k++) {
      const base = g.indices[k] * d;
      for (let f = 0; f < d; f++) {
        const v = x[base + f];
        if (v < lo[f]) lo[f] = v;
        if (v > hi[f]) hi[f] = v;
      }
    }
    if (withStd) {
      ss.fill(0);
      for (let k = from; k < to; k++) {
        const base = g.indices[k] * d;
        for (let f = 0; f < d; f++) {
          const dv = x[base + f] - mean[mi + f];
          ss[f] += dv * dv;
        }
      }
    }
    for (let a = 0; a < spread.length; a++) {
      const o = out[a];
      const agg = spread[a];
      if (agg === 'max') for (let f = 0; f < d; f++) o[f][i] = hi[f];
      else if (agg === 'min') for (let f = 0; f < d; f++) o[f][i] = lo[f];
      else for (let f = 0; f < d; f++) o[f][i] = Math.sqrt(ss[f] / (to - from));
    }
  }
}

/**
 * Neighbour-label features from training labels only. A node's own label never enters its features: there
 * are no self-loops at one hop, and two-hop walks that come back to the node are removed. Train and test
 * nodes therefore see the same kind of evidence (other nodes' training labels), so there is no shift.
 */
function addLabelFeatures(
  cols: Columns,
  g: Csr,
  rel: string,
  train: ArrayLike<number>,
  labels: ArrayLike<number>,
) {
  const isTrain = new Uint8Array(g.n);
  const isFraud = new Uint8Array(g.n);
  for (let k = 0; k < train.length; k++) {
    isTrain[train[k]] = 1;
    isFraud[train[k]] = labels[train[k]] === 1 ? 1 : 0;
  }
  const known = cols.add(`${rel}.label.known`);
  const fraud = cols.add(`${rel}.label.fraud`);
  const frac = cols.add(`${rel}.label.fraud_frac`);
  for (let i = 0; i < g.n; i++) {
    let a = 0;
    let b = 0;
    for (let k = g.indptr[i]; k < g.indptr[i + 1]; k++) {
      a += isTrain[g.indices[k]];
      b += isFraud[g.indices[k]];
    }
    known[i] = a;
    fraud[i] = b;
    frac[i] = a > 0 ? b / a : Number.NaN;
  }
  const known2 = cols.add(`${rel}.label2.known`);
  const fraud2 = cols.add(`${rel}.label2.fraud`);
  const frac2 = cols.add(`${rel}.label2.fraud_frac`);
  for (let i = 0; i < g.n; i++) {
    let a = 0;
    let b = 0;
    for (let k = g.indptr[i]; k < g.indptr[i + 1]; k++) {
      const j = g.indices[k];
      a += known[j] - isTrain[i];
      b += fraud[j] - isFraud[i];
    }
    known2[i] = a;
    fraud2[i] = b;
    frac2[i] = a > 0 ? b / a : Number.NaN;
  }
}

/**
 * Raw features followed by, for each relation (and their union when asked), degree, the chosen neighbour
 * aggregates and optional label-aware counts.
 */
export function buildGraphFeatures(
  x: Matrix,
  featureNames: string[],
  relations: Map<string, Csr>,
  opts: GraphFeatureOptions,
): FeatureTable {
  const n = x.rows;
  const d = x.cols;
  const cols = new Columns(n);
  for (let f = 0; f < d; f++) {
    const c = cols.add(featureNames[f]);
    for (let i = 0; i < n; i++) c[i] = x.data[i * d + f];
  }
  const graphs = [...relations.entries()];
  if (opts.union && graphs.length > 1) graphs.push(['all', unionCsr(graphs.map(([, g]) => g))]);
  for (const [rel, g] of graphs) {
    if (g.n !== n) throw new Error(`graph-features: relation ${rel} has ${g.n} nodes, features have ${n}`);
    const deg = cols.add(`${rel}.degree`);
    for (let i = 0; i < n; i++) deg[i] = g.indptr[i + 1] - g.indptr[i];
    if (opts.aggregates.length > 0) addAggregates(cols, g, rel, x.data, d, featureNames, opts.aggregates);
    if (opts.labelAware) addLabelFeatures(cols, g, rel, opts.labelAware.train, opts.labelAware.labels);
  }
  return cols.toTable();
}
