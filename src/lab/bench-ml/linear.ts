// A simple second learner next to the GBDT: L2-regularised logistic regression on quantile-normalised
// features. Its errors differ from the trees' (smooth, additive), so a rank average of the two can help.
import { type Matrix, sortedColumn } from '../../detect/index.ts';

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Standard-normal inverse CDF, Acklam's rational approximation (relative error < 1.2e-9 on (0, 1)). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}`);
  const lo = 0.02425;
  if (p < lo || p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p));
    const x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + 4.374664141464968) * q + 2.938163982698783) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < lo ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + 2.506628277459239) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** Per-feature map from raw values to normal scores of their training rank (robust to heavy tails). */
export interface QuantileScaler {
  /** Sorted distinct training values per feature. */
  values: Float64Array[];
  /** Normal score of each distinct value's mid-rank. */
  scores: Float64Array[];
}

export function fitQuantileScaler(x: Matrix): QuantileScaler {
  const values: Float64Array[] = [];
  const scores: Float64Array[] = [];
  const col = new Float64Array(x.rows);
  for (let f = 0; f < x.cols; f++) {
    const sorted = sortedColumn(x, f, col);
    const m = sorted.length;
    const vs: number[] = [];
    const ss: number[] = [];
    for (let k = 0; k < m; ) {
      let end = k + 1;
      while (end < m && sorted[end] === sorted[k]) end++;
      vs.push(sorted[k]);
      ss.push(normalQuantile((k + end) / 2 / m));
      k = end;
    }
    values.push(Float64Array.from(vs));
    scores.push(Float64Array.from(ss));
  }
  return { values, scores };
}

/** Normal score of v by linear interpolation between training values; 0 (the median) when missing. */
function scoreOf(values: Float64Array, scores: Float64Array, v: number): number {
  if (Number.isNaN(v) || values.length === 0) return 0;
  if (v <= values[0]) return scores[0];
  const last = values.length - 1;
  if (v >= values[last]) return scores[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= v) lo = mid;
    else hi = mid;
  }
  const t = (v - values[lo]) / (values[hi] - values[lo]);
  return scores[lo] + t * (scores[hi] - scores[lo]);
}

export function applyQuantileScaler(s: QuantileScaler, x: Matrix): Matrix {
  if (s.values.length !== x.cols)
    throw new Error(`quantile scaler: ${s.values.length} features, got ${x.cols}`);
  const data = new Float32Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let f = 0; f < x.cols; f++) {
      data[i * x.cols + f] = scoreOf(s.values[f], s.scores[f], x.data[i * x.cols + f]);
    }
  }
  return { rows: x.rows, cols: x.cols, data };
}

export interface LogisticModel {
  /** Weights per column, then the intercept. */
  weights: Float64Array;
  scaler: QuantileScaler;
}

export interface LogisticParams {
  /** L2 penalty on the weights (not the intercept), in units of the summed row weights. */
  lambda: number;
  /** Weight of positive rows. */
  posWeight: number;
  maxIterations: number;
}

export const DEFAULT_LOGISTIC: LogisticParams = { lambda: 1, posWeight: 1, maxIterations: 30 };

/** Fits by Newton's method (the problem is small: tens to a few hundred columns), quantile-scaling first. */
export function trainLogistic(
  x: Matrix,
  y: ArrayLike<number>,
  params: Partial<LogisticParams> = {},
): LogisticModel {
  const p = { ...DEFAULT_LOGISTIC, ...params };
  if (y.length !== x.rows) throw new Error(`logistic: ${x.rows} rows but ${y.length} labels`);
  const scaler = fitQuantileScaler(x);
  const z = applyQuantileScaler(scaler, x);
  const d = x.cols + 1;
  const n = z.rows;
  const w = new Float64Array(d);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  // Columns of the scaled rows (and the intercept's column of ones), so each gradient and Hessian entry is
  // one pass over contiguous arrays. Every entry still sums its rows' terms in row order, as a row-by-row
  // accumulation would, so the fit is the same to the last bit — several times faster.
  const colsOf = Array.from({ length: d }, (_, f) => {
    const c = new Float64Array(n);
    if (f === d - 1) c.fill(1);
    else for (let i = 0; i < n; i++) c[i] = z.data[i * x.cols + f];
    return c;
  });
  const gw = new Float64Array(n);
  const hw = new Float64Array(n);
  const ha = new Float64Array(n);
  for (let it = 0; it < p.maxIterations; it++) {
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let f = 0; f < d; f++) m += w[f] * colsOf[f][i];
      const prob = 1 / (1 + Math.exp(-m));
      const c = y[i] === 1 ? p.posWeight : 1;
      gw[i] = c * (prob - y[i]);
      hw[i] = c * Math.max(prob * (1 - prob), 1e-12);
    }
    hess.fill(0);
    for (let a = 0; a < d; a++) {
      const ca = colsOf[a];
      let sg = 0;
      for (let i = 0; i < n; i++) {
        sg += gw[i] * ca[i];
        ha[i] = hw[i] * ca[i];
      }
      grad[a] = sg;
      let b = 0;
      // Four entries per pass (independent sums, so the additions overlap).
      for (; b + 3 <= a; b += 4) {
        const c0 = colsOf[b];
        const c1 = colsOf[b + 1];
        const c2 = colsOf[b + 2];
        const c3 = colsOf[b + 3];
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < n; i++) {
          const h = ha[i];
          s0 += h * c0[i];
          s1 += h * c1[i];
          s2 += h * c2[i];
          s3 += h * c3[i];
        }
        hess[a * d + b] = s0;
        hess[a * d + b + 1] = s1;
        hess[a * d + b + 2] = s2;
        hess[a * d + b + 3] = s3;
      }
      for (; b <= a; b++) {
        const cb = colsOf[b];
        let s0 = 0;
        for (let i = 0; i < n; i++) s0 += ha[i] * cb[i];
        hess[a * d + b] = s0;
      }
    }
    for (let a = 0; a < d - 1; a++) {
      grad[a] += p.lambda * w[a];
      hess[a * d + a] += p.lambda;
    }
    const step = choleskySolve(hess, grad, d);
    let size = 0;
    for (let a = 0; a < d; a++) {
      w[a] -= step[a];
      size = Math.max(size, Math.abs(step[a]));
    }
    if (size < 1e-6) break;
  }
  return { weights: w, scaler };
}

/** Margins (log-odds) of the rows of x. */
export function predictLogistic(model: LogisticModel, x: Matrix): Float64Array {
  const z = applyQuantileScaler(model.scaler, x);
  const d = x.cols;
  const w = model.weights;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let m = w[d];
    for (let f = 0; f < d; f++) m += w[f] * z.data[i * d + f];
    out[i] = m;
  }
  return out;
}

/** Solves H s = g for a symmetric positive-definite H given by its lower triangle (row-major, d × d). */
function choleskySolve(h: Float64Array, g: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      // A tiny ridge keeps an unpenalised, nearly separable intercept from breaking the factorisation.
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-10)) : s / l[j * d + j];
    }
  }
  const t = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * t[k];
    t[i] = s / l[i * d + i];
  }
  const out = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = t[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * out[k];
    out[i] = s / l[i * d + i];
  }
  return out;
}
