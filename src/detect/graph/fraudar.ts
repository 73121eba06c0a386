// FRAUDAR (Hooi et al., KDD 2016): greedy peeling for the densest users × objects block under a
// camouflage-resistant column weighting, written from the paper's description.
import type { BipartiteGraph } from './bipartite.ts';
import { IndexedMinHeap } from './priority-heap.ts';

export type FraudarWeighting = 'log' | 'none';

export interface FraudarOptions {
  /**
   * 'log': edge (i, j) weighs w_ij / log(d_j + logConstant), d_j = column j's edge count in the graph
   * still left in this round (later rounds see the residual degrees); 'none': w_ij.
   */
  weighting: FraudarWeighting;
  /** Non-negative prior per row, added to f(S) for each row in S; used up by the first block holding it. */
  rowPrior?: Float64Array;
  /** Non-negative prior suspiciousness per column. */
  colPrior?: Float64Array;
  /** Most blocks to return (default 1). */
  blocks?: number;
  /** Only prefixes keeping at least this many rows are candidates for a block (default 1). */
  minRows?: number;
  /**
   * Stop once the best remaining block scores below this multiple of g(V), the first round's
   * whole-graph score (default 1: anything no denser than the graph's average is not a block).
   */
  minScoreRatio?: number;
  /**
   * What leaves the graph after a block is found: 'edges' (the paper's choice; the block's rows
   * and columns may appear again in later blocks through their other edges) or 'nodes' (default 'edges').
   */
  remove?: 'edges' | 'nodes';
  /** The c in log(d_j + c) (default 5, as in the paper). */
  logConstant?: number;
}

export interface FraudarBlock {
  /** Row (user) indices, ascending. */
  rows: number[];
  /** Column (object) indices, ascending. */
  cols: number[];
  /** g(S) = f(S) / |S| on the graph the block was found in, recomputed exactly from the block. */
  score: number;
  /** Fill of the block: edges / (rows × cols), 0 when either side is empty. */
  density: number;
  /** Number of (still present) graph edges inside the block. */
  edges: number;
}

/**
 * Finds up to `blocks` dense blocks: each round peels the graph greedily, keeps the prefix of the
 * peeling with the best g, then removes that block's edges (or nodes) and runs again.
 * O(k · (|E| + |V|) log |V|) for k rounds.
 */
export function fraudar(graph: BipartiteGraph, opts: FraudarOptions): FraudarBlock[] {
  const R = graph.numRows;
  const C = graph.numCols;
  const maxBlocks = opts.blocks ?? 1;
  const minRows = Math.max(1, opts.minRows ?? 1);
  const minScoreRatio = opts.minScoreRatio ?? 1;
  const logConstant = opts.logConstant ?? 5;
  const removeMode = opts.remove ?? 'edges';
  if (!Number.isInteger(maxBlocks) || maxBlocks < 0) throw new RangeError(`fraudar: blocks ${maxBlocks}`);
  if (opts.weighting === 'log' && !(logConstant > 0)) {
    throw new RangeError(`fraudar: logConstant must be positive so every weight is finite and positive`);
  }
  // Copies, because priors are consumed by the block that claims their node.
  const rowPrior = checkPrior(opts.rowPrior, R, 'rowPrior');
  const colPrior = checkPrior(opts.colPrior, C, 'colPrior');

  const alive = new Uint8Array(graph.numEdges).fill(1);
  const ew = new Float64Array(graph.numEdges);
  const peel = new Peeler(graph, alive, ew, rowPrior, colPrior);

  const blocks: FraudarBlock[] = [];
  let threshold = Number.NEGATIVE_INFINITY;
  for (let round = 0; round < maxBlocks; round++) {
    edgeWeights(graph, alive, opts.weighting, logConstant, ew);
    const found = peel.run(minRows);
    if (found === null) break;
    if (round === 0) threshold = minScoreRatio * found.wholeScore;
    const block = measure(graph, alive, ew, rowPrior, colPrior, found.rows, found.cols);
    // Relative slack: the peel's running f and the exact recount differ in the last bits.
    if (block.score < threshold * (1 - 1e-9) || block.score <= 0) break;
    blocks.push(block);
    removeBlock(graph, alive, block, removeMode);
    for (const r of block.rows) rowPrior[r] = 0;
    for (const c of block.cols) colPrior[c] = 0;
  }
  return blocks;
}

/** The external ids of a block's rows and columns (indices as strings when the graph has no ids). */
export function blockIds(graph: BipartiteGraph, block: Pick<FraudarBlock, 'rows' | 'cols'>) {
  return {
    rows: block.rows.map((r) => graph.rowIds?.[r] ?? String(r)),
    cols: block.cols.map((c) => graph.colIds?.[c] ?? String(c)),
  };
}

/**
 * g(S) of an arbitrary node set on the whole graph (column degrees from all edges), e.g. to compare a
 * candidate set against a block from the first round. Ignores repeated indices.
 */
export function blockScore(
  graph: BipartiteGraph,
  rows: readonly number[],
  cols: readonly number[],
  opts: Pick<FraudarOptions, 'weighting' | 'rowPrior' | 'colPrior' | 'logConstant'>,
): number {
  const alive = new Uint8Array(graph.numEdges).fill(1);
  const ew = new Float64Array(graph.numEdges);
  edgeWeights(graph, alive, opts.weighting, opts.logConstant ?? 5, ew);
  const rowPrior = checkPrior(opts.rowPrior, graph.numRows, 'rowPrior');
  const colPrior = checkPrior(opts.colPrior, graph.numCols, 'colPrior');
  return measure(graph, alive, ew, rowPrior, colPrior, unique(rows), unique(cols)).score;
}

function unique(xs: readonly number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

function checkPrior(prior: Float64Array | undefined, n: number, name: string): Float64Array {
  if (prior === undefined) return new Float64Array(n);
  if (prior.length !== n) throw new RangeError(`fraudar: ${name} has ${prior.length} entries, expected ${n}`);
  for (let i = 0; i < n; i++) {
    if (!(prior[i] >= 0 && Number.isFinite(prior[i])))
      throw new RangeError(`fraudar: ${name}[${i}] = ${prior[i]}`);
  }
  return prior.slice();
}

/** Per-edge weight for this round; log weighting uses the current (remaining) column degrees. */
function edgeWeights(
  graph: BipartiteGraph,
  alive: Uint8Array,
  weighting: FraudarWeighting,
  logConstant: number,
  ew: Float64Array,
): void {
  const { weight, rowCol } = graph;
  if (weighting === 'none') {
    for (let e = 0; e < ew.length; e++) ew[e] = alive[e] ? weight[e] : 0;
    return;
  }
  const colW = new Float64Array(graph.numCols);
  const { colPtr, colEdge } = graph;
  for (let c = 0; c < graph.numCols; c++) {
    let d = 0;
    for (let k = colPtr[c]; k < colPtr[c + 1]; k++) d += alive[colEdge[k]];
    colW[c] = 1 / Math.log(d + logConstant);
  }
  for (let e = 0; e < ew.length; e++) ew[e] = alive[e] ? weight[e] * colW[rowCol[e]] : 0;
}

interface Peeled {
  rows: number[];
  cols: number[];
  /** g of all active nodes before peeling: the graph's average. */
  wholeScore: number;
}

/** Holds the per-round scratch arrays so repeated rounds allocate nothing large. */
class Peeler {
  private readonly heap: IndexedMinHeap;
  private readonly prio: Float64Array;
  private readonly removed: Uint8Array;
  private readonly order: Int32Array;
  private readonly active: Int32Array;

  constructor(
    private readonly g: BipartiteGraph,
    private readonly alive: Uint8Array,
    private readonly ew: Float64Array,
    private readonly rowPrior: Float64Array,
    private readonly colPrior: Float64Array,
  ) {
    const n = g.numRows + g.numCols;
    this.heap = new IndexedMinHeap(n);
    this.prio = new Float64Array(n);
    this.removed = new Uint8Array(n);
    this.order = new Int32Array(n);
    this.active = new Int32Array(n);
  }

  /** One greedy peel; null when no node has an edge or a prior left. */
  run(minRows: number): Peeled | null {
    const { g, alive, ew, prio, removed, order, active, heap } = this;
    const R = g.numRows;
    const { rowPtr, rowCol, colPtr, colRow, colEdge } = g;

    // Node v < R is row v; node R + c is column c. Priority = what f loses if the node leaves S.
    let nActive = 0;
    let nRows = 0;
    let f = 0;
    for (let r = 0; r < R; r++) {
      let s = this.rowPrior[r];
      let deg = 0;
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        s += ew[e];
        deg += alive[e];
      }
      prio[r] = s;
      f += s;
      if (deg > 0 || s > 0) {
        active[nActive++] = r;
        nRows++;
      }
    }
    for (let c = 0; c < g.numCols; c++) {
      let s = this.colPrior[c];
      let deg = 0;
      for (let k = colPtr[c]; k < colPtr[c + 1]; k++) {
        const e = colEdge[k];
        s += ew[e];
        deg += alive[e];
      }
      const v = R + c;
      prio[v] = s;
      // Edge weights were already counted from the row side; only the prior adds to f here.
      f += this.colPrior[c];
      if (deg > 0 || s > 0) active[nActive++] = v;
    }
    if (nActive === 0) return null;

    // Nodes outside `active` carry nothing, so leaving them out equals peeling them first.
    removed.fill(1);
    for (let i = 0; i < nActive; i++) removed[active[i]] = 0;
    heap.build(active.subarray(0, nActive), prio);

    const wholeScore = f / nActive;
    let best = nRows >= minRows ? wholeScore : Number.NEGATIVE_INFINITY;
    let bestStep = nRows >= minRows ? 0 : -1;
    let rowsLeft = nRows;
    for (let step = 0; step < nActive; step++) {
      const v = heap.pop();
      order[step] = v;
      removed[v] = 1;
      f -= heap.key(v);
      if (v < R) {
        rowsLeft--;
        for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
          if (!alive[e]) continue;
          const u = R + rowCol[e];
          if (!removed[u]) heap.decreaseKey(u, heap.key(u) - ew[e]);
        }
      } else {
        const c = v - R;
        for (let k = colPtr[c]; k < colPtr[c + 1]; k++) {
          const e = colEdge[k];
          if (!alive[e]) continue;
          const u = colRow[k];
          if (!removed[u]) heap.decreaseKey(u, heap.key(u) - ew[e]);
        }
      }
      const left = nActive - step - 1;
      if (left > 0 && rowsLeft >= minRows) {
        const score = f / left;
        if (score > best) {
          best = score;
          bestStep = step + 1;
        }
      }
    }
    if (bestStep < 0) return null;

    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = bestStep; i < nActive; i++) {
      const v = order[i];
      if (v < R) rows.push(v);
      else cols.push(v - R);
    }
    rows.sort((a, b) => a - b);
    cols.sort((a, b) => a - b);
    return { rows, cols, wholeScore };
  }
}

/** Exact f(S), g(S), edge count and fill of a block on the current graph. */
function measure(
  g: BipartiteGraph,
  alive: Uint8Array,
  ew: Float64Array,
  rowPrior: Float64Array,
  colPrior: Float64Array,
  rows: number[],
  cols: number[],
): FraudarBlock {
  const inCols = new Uint8Array(g.numCols);
  for (const c of cols) inCols[c] = 1;
  let f = 0;
  let edges = 0;
  for (const r of rows) {
    f += rowPrior[r];
    for (let e = g.rowPtr[r]; e < g.rowPtr[r + 1]; e++) {
      if (alive[e] && inCols[g.rowCol[e]]) {
        f += ew[e];
        edges++;
      }
    }
  }
  for (const c of cols) f += colPrior[c];
  const size = rows.length + cols.length;
  return {
    rows,
    cols,
    score: size > 0 ? f / size : 0,
    density: rows.length > 0 && cols.length > 0 ? edges / (rows.length * cols.length) : 0,
    edges,
  };
}

function removeBlock(
  g: BipartiteGraph,
  alive: Uint8Array,
  block: FraudarBlock,
  mode: 'edges' | 'nodes',
): void {
  const inCols = new Uint8Array(g.numCols);
  for (const c of block.cols) inCols[c] = 1;
  for (const r of block.rows) {
    for (let e = g.rowPtr[r]; e < g.rowPtr[r + 1]; e++) {
      if (mode === 'nodes' || inCols[g.rowCol[e]]) alive[e] = 0;
    }
  }
  if (mode === 'nodes') {
    for (const c of block.cols) {
      for (let k = g.colPtr[c]; k < g.colPtr[c + 1]; k++) alive[g.colEdge[k]] = 0;
    }
  }
}
