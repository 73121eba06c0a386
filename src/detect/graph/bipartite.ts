// A compact users × objects graph in CSR typed arrays, both directions, so peeling touches no objects.

/**
 * Bipartite graph with rows (users) and columns (objects, e.g. products). Edge ids are positions in
 * the row-major CSR: row r owns edges rowPtr[r]..rowPtr[r+1]-1, sorted by column, no duplicates.
 */
export interface BipartiteGraph {
  readonly numRows: number;
  readonly numCols: number;
  readonly numEdges: number;
  /** Length numRows + 1. */
  readonly rowPtr: Int32Array;
  /** Column of each edge, by edge id. */
  readonly rowCol: Int32Array;
  /** Weight of each edge, by edge id (1 when the input gave none; duplicates summed). */
  readonly weight: Float64Array;
  /** Length numCols + 1. */
  readonly colPtr: Int32Array;
  /** Row of each column-CSR entry, sorted by row within a column. */
  readonly colRow: Int32Array;
  /** Edge id of each column-CSR entry, to reach the shared weight and edge state. */
  readonly colEdge: Int32Array;
  /** External ids by dense index, when the graph was built from ids. */
  readonly rowIds: readonly string[] | null;
  readonly colIds: readonly string[] | null;
}

export interface BipartiteIds {
  rowIds?: readonly string[];
  colIds?: readonly string[];
}

/**
 * Builds the graph from parallel arrays of dense indices (row[e], col[e], optional weight[e]) in
 * O(|E| + |V|) with two stable counting sorts; repeated (row, col) pairs are merged by summing weights.
 */
export function bipartiteFromArrays(
  numRows: number,
  numCols: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  weights?: ArrayLike<number>,
  ids: BipartiteIds = {},
): BipartiteGraph {
  if (!Number.isInteger(numRows) || numRows < 0 || !Number.isInteger(numCols) || numCols < 0) {
    throw new RangeError(`bipartite: bad dimensions ${numRows} × ${numCols}`);
  }
  const m = rows.length;
  if (cols.length !== m) throw new RangeError('bipartite: rows and cols differ in length');
  if (weights && weights.length !== m) throw new RangeError('bipartite: weights differ in length');
  if (ids.rowIds && ids.rowIds.length !== numRows) throw new RangeError('bipartite: rowIds length');
  if (ids.colIds && ids.colIds.length !== numCols) throw new RangeError('bipartite: colIds length');

  // Validate once up front so the sorts below can trust every index.
  for (let e = 0; e < m; e++) {
    const r = rows[e];
    const c = cols[e];
    if (!(r >= 0 && r < numRows && r === Math.floor(r)))
      throw new RangeError(`bipartite: edge ${e} row ${r}`);
    if (!(c >= 0 && c < numCols && c === Math.floor(c)))
      throw new RangeError(`bipartite: edge ${e} col ${c}`);
    if (weights) {
      const w = weights[e];
      if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`bipartite: edge ${e} weight ${w}`);
    }
  }

  // Stable counting sort by column, then by row: the result is ordered by (row, col).
  const byCol = new Int32Array(m);
  const colNext = new Int32Array(numCols + 1);
  for (let e = 0; e < m; e++) colNext[cols[e] + 1]++;
  for (let c = 0; c < numCols; c++) colNext[c + 1] += colNext[c];
  for (let e = 0; e < m; e++) byCol[colNext[cols[e]]++] = e;

  const byRowCol = new Int32Array(m);
  const rowNext = new Int32Array(numRows + 1);
  for (let e = 0; e < m; e++) rowNext[rows[e] + 1]++;
  for (let r = 0; r < numRows; r++) rowNext[r + 1] += rowNext[r];
  for (let k = 0; k < m; k++) {
    const e = byCol[k];
    byRowCol[rowNext[rows[e]]++] = e;
  }

  // Merge duplicates while writing the row CSR.
  const rowPtr = new Int32Array(numRows + 1);
  const rowColTmp = new Int32Array(m);
  const weightTmp = new Float64Array(m);
  let out = 0;
  let prevRow = -1;
  let prevCol = -1;
  for (let k = 0; k < m; k++) {
    const e = byRowCol[k];
    const r = rows[e];
    const c = cols[e];
    const w = weights ? weights[e] : 1;
    if (r === prevRow && c === prevCol) {
      weightTmp[out - 1] += w;
      continue;
    }
    rowColTmp[out] = c;
    weightTmp[out] = w;
    rowPtr[r + 1]++;
    out++;
    prevRow = r;
    prevCol = c;
  }
  for (let r = 0; r < numRows; r++) rowPtr[r + 1] += rowPtr[r];
  const rowCol = out === m ? rowColTmp : rowColTmp.slice(0, out);
  const weight = out === m ? weightTmp : weightTmp.slice(0, out);

  // Column CSR from the row CSR; walking rows in order keeps each column's rows sorted.
  const colPtr = new Int32Array(numCols + 1);
  for (let e = 0; e < out; e++) colPtr[rowCol[e] + 1]++;
  for (let c = 0; c < numCols; c++) colPtr[c + 1] += colPtr[c];
  const fill = colPtr.slice(0, numCols);
  const colRow = new Int32Array(out);
  const colEdge = new Int32Array(out);
  for (let r = 0; r < numRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const k = fill[rowCol[e]]++;
      colRow[k] = r;
      colEdge[k] = e;
    }
  }

  return {
    numRows,
    numCols,
    numEdges: out,
    rowPtr,
    rowCol,
    weight,
    colPtr,
    colRow,
    colEdge,
    rowIds: ids.rowIds ?? null,
    colIds: ids.colIds ?? null,
  };
}

/** One edge given by external ids. */
export type IdEdge = readonly [row: string, col: string, weight?: number];

/** Builds the graph from string-id edges; ids get dense indices in order of first appearance. */
export function bipartiteFromEdges(edges: Iterable<IdEdge>): BipartiteGraph {
  const b = new BipartiteBuilder();
  for (const [row, col, weight] of edges) b.add(row, col, weight);
  return b.build();
}

/** Incremental builder for string ids; rows and columns are separate id spaces. */
export class BipartiteBuilder {
  private readonly rowIndex = new Map<string, number>();
  private readonly colIndex = new Map<string, number>();
  private readonly rowIds: string[] = [];
  private readonly colIds: string[] = [];
  private rows = new Int32Array(1024);
  private cols = new Int32Array(1024);
  private weights = new Float64Array(1024);
  private count = 0;

  /** Registers a row id without edges (so it appears in the graph even if isolated). */
  row(id: string): number {
    let i = this.rowIndex.get(id);
    if (i === undefined) {
      i = this.rowIds.length;
      this.rowIndex.set(id, i);
      this.rowIds.push(id);
    }
    return i;
  }

  /** Registers a column id without edges. */
  col(id: string): number {
    let j = this.colIndex.get(id);
    if (j === undefined) {
      j = this.colIds.length;
      this.colIndex.set(id, j);
      this.colIds.push(id);
    }
    return j;
  }

  add(row: string, col: string, weight = 1): this {
    if (this.count === this.rows.length) this.grow();
    this.rows[this.count] = this.row(row);
    this.cols[this.count] = this.col(col);
    this.weights[this.count] = weight;
    this.count++;
    return this;
  }

  build(): BipartiteGraph {
    const n = this.count;
    return bipartiteFromArrays(
      this.rowIds.length,
      this.colIds.length,
      this.rows.subarray(0, n),
      this.cols.subarray(0, n),
      this.weights.subarray(0, n),
      { rowIds: this.rowIds.slice(), colIds: this.colIds.slice() },
    );
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const rows = new Int32Array(size);
    rows.set(this.rows);
    const cols = new Int32Array(size);
    cols.set(this.cols);
    const weights = new Float64Array(size);
    weights.set(this.weights);
    this.rows = rows;
    this.cols = cols;
    this.weights = weights;
  }
}

/** Number of edges per column (unweighted degree). */
export function colDegrees(g: BipartiteGraph): Int32Array {
  const d = new Int32Array(g.numCols);
  for (let c = 0; c < g.numCols; c++) d[c] = g.colPtr[c + 1] - g.colPtr[c];
  return d;
}

/** Number of edges per row (unweighted degree). */
export function rowDegrees(g: BipartiteGraph): Int32Array {
  const d = new Int32Array(g.numRows);
  for (let r = 0; r < g.numRows; r++) d[r] = g.rowPtr[r + 1] - g.rowPtr[r];
  return d;
}
