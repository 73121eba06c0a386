// Dense row-major float matrix shared by the feature builders and the learner.

/** Row-major, rows × cols; NaN means missing. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A new matrix holding the given rows, in the given order. */
export function selectRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const data = new Float32Array(rows.length * x.cols);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (i < 0 || i >= x.rows) throw new Error(`selectRows: row ${i} outside 0..${x.rows - 1}`);
    data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols);
  }
  return { rows: rows.length, cols: x.cols, data };
}

/** Column f's non-missing values, sorted ascending, in `buffer` (which must hold x.rows values). */
export function sortedColumn(x: Matrix, f: number, buffer: Float64Array): Float64Array {
  let m = 0;
  for (let i = 0; i < x.rows; i++) {
    const v = x.data[i * x.cols + f];
    if (!Number.isNaN(v)) buffer[m++] = v;
  }
  return buffer.subarray(0, m).sort();
}
