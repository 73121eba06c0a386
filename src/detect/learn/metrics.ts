// Binary-classification metrics as pure functions over scores and 0/1 labels (1 = fraud, the positive class).

export type Scores = ArrayLike<number>;
export type Labels = ArrayLike<number>;

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdReport extends Confusion {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** F1 of class 0 (legitimate treated as the positive class). */
  f1Negative: number;
  /** Mean of the F1 of class 1 and the F1 of class 0. */
  f1Macro: number;
}

function checkLengths(scores: Scores, labels: Labels): void {
  if (scores.length !== labels.length) {
    throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels`);
  }
}

/** Indices sorted by descending score; NaN scores sort last so they never count as confident. */
function orderDescending(scores: Scores): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const key = (i: number) => (Number.isNaN(scores[i]) ? Number.NEGATIVE_INFINITY : scores[i]);
  order.sort((a, b) => key(b) - key(a));
  return order;
}

/**
 * Tie groups of scores from the highest down: value, positives and negatives of each group. Sorting each
 * class's scores as a typed array (native numeric sort, no comparator) and merging is several times faster
 * than sorting indices with a comparator, which matters because early stopping scores every round. Null
 * when a score is NaN (the index-sorting path keeps its NaN semantics).
 */
export interface TieGroups {
  count: number;
  value: Float64Array;
  pos: Int32Array;
  neg: Int32Array;
}

export function tieGroups(scores: Scores, labels: Labels): TieGroups | null {
  const n = scores.length;
  let np = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) return null;
    if (labels[i] === 1) np++;
  }
  const ps = new Float64Array(np);
  const ns = new Float64Array(n - np);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i] === 1) ps[a++] = scores[i];
    else ns[b++] = scores[i];
  }
  ps.sort();
  ns.sort();
  const value = new Float64Array(n);
  const pos = new Int32Array(n);
  const neg = new Int32Array(n);
  let a = np - 1;
  let b = n - np - 1;
  let count = 0;
  while (a >= 0 || b >= 0) {
    const s = a < 0 ? ns[b] : b < 0 ? ps[a] : Math.max(ps[a], ns[b]);
    let p = 0;
    let q = 0;
    while (a >= 0 && ps[a] === s) {
      p++;
      a--;
    }
    while (b >= 0 && ns[b] === s) {
      q++;
      b--;
    }
    value[count] = s;
    pos[count] = p;
    neg[count] = q;
    count++;
  }
  return { count, value, pos, neg };
}

/**
 * AP from the positives' distinct scores alone: only tie groups holding a positive add to the sum, so each
 * negative is just counted into the first such group it reaches (a binary search) — no sort of the many
 * negatives. The same terms in the same order as the full walk, so the same value. Null on a NaN score.
 */
function averagePrecisionByPositives(scores: Scores, labels: Labels, pos: number): number | null {
  const n = scores.length;
  const ps = new Float64Array(pos);
  for (let i = 0, a = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) return null;
    if (labels[i] === 1) ps[a++] = scores[i];
  }
  ps.sort();
  // Distinct positive scores, descending, with their counts.
  const u = new Float64Array(pos);
  const pc = new Int32Array(pos);
  let g = 0;
  for (let a = pos - 1; a >= 0; a--) {
    if (g > 0 && ps[a] === u[g - 1]) pc[g - 1]++;
    else {
      u[g] = ps[a];
      pc[g++] = 1;
    }
  }
  const negAt = new Int32Array(g);
  const last = u[g - 1];
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) continue;
    const v = scores[i];
    if (v < last) continue;
    // Smallest k with u[k] <= v.
    let lo = 0;
    let hi = g - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u[mid] <= v) hi = mid;
      else lo = mid + 1;
    }
    negAt[lo]++;
  }
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prev = 0;
  for (let k = 0; k < g; k++) {
    tp += pc[k];
    fp += negAt[k];
    const recall = tp / pos;
    ap += (recall - prev) * (tp / (tp + fp));
    prev = recall;
  }
  return ap;
}

function countPositives(labels: Labels): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) p++;
  return p;
}

/**
 * Area under the ROC curve (Mann–Whitney U with average ranks, so tied scores count one half).
 * NaN when either class is absent: the curve is undefined there.
 */
export function auroc(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const n = scores.length;
  const pos = countPositives(labels);
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  const groups = tieGroups(scores, labels);
  if (groups) {
    let below = neg;
    let w = 0;
    for (let g = 0; g < groups.count; g++) {
      below -= groups.neg[g];
      w += groups.pos[g] * below + 0.5 * groups.pos[g] * groups.neg[g];
    }
    return w / (pos * neg);
  }
  const order = orderDescending(scores);
  // Walk tie groups from the top; each negative below a positive adds 1, each tie adds 1/2.
  let negBelowTop = neg;
  let wins = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    const s = scores[order[start]];
    while (end < n && scores[order[end]] === s) end++;
    let p = 0;
    let q = 0;
    for (let k = start; k < end; k++) {
      if (labels[order[k]] === 1) p++;
      else q++;
    }
    negBelowTop -= q;
    wins += p * negBelowTop + 0.5 * p * q;
    start = end;
  }
  return wins / (pos * neg);
}

/**
 * Average precision as scikit-learn defines it: sum over thresholds of (R_k − R_{k−1}) · P_k, step-wise
 * (no interpolation), tied scores form one threshold. NaN when there are no positives.
 */
export function averagePrecision(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const n = scores.length;
  const pos = countPositives(labels);
  if (pos === 0) return Number.NaN;
  const fast = averagePrecisionByPositives(scores, labels, pos);
  if (fast !== null) return fast;
  const groups = tieGroups(scores, labels);
  if (groups) {
    let tpg = 0;
    let seenG = 0;
    let apg = 0;
    let prev = 0;
    for (let g = 0; g < groups.count; g++) {
      tpg += groups.pos[g];
      seenG += groups.pos[g] + groups.neg[g];
      const recall = tpg / pos;
      apg += (recall - prev) * (tpg / seenG);
      prev = recall;
    }
    return apg;
  }
  const order = orderDescending(scores);
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    const s = scores[order[start]];
    while (end < n && scores[order[end]] === s) end++;
    for (let k = start; k < end; k++) if (labels[order[k]] === 1) tp++;
    seen = end;
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    start = end;
  }
  return ap;
}

/** Counts with "positive" meaning score >= threshold. */
export function confusionAt(scores: Scores, labels: Labels, threshold: number): Confusion {
  checkLengths(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (predicted) c.tp++;
      else c.fn++;
    } else if (predicted) c.fp++;
    else c.tn++;
  }
  return c;
}

/** Precision, recall and F1 (0 where a ratio is 0/0) for both classes, from counts. */
export function reportFromConfusion(c: Confusion, threshold: number): ThresholdReport {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  const f1Negative = ratio(2 * c.tn, 2 * c.tn + c.fn + c.fp);
  return {
    ...c,
    threshold,
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1,
    f1Negative,
    f1Macro: (f1 + f1Negative) / 2,
  };
}

/** Precision/recall/F1 of both classes at a threshold (score >= threshold means fraud). */
export function reportAt(scores: Scores, labels: Labels, threshold: number): ThresholdReport {
  return reportFromConfusion(confusionAt(scores, labels, threshold), threshold);
}

/** Mean of F1 for class 1 and F1 for class 0 at a threshold. */
export function f1Macro(scores: Scores, labels: Labels, threshold: number): number {
  return reportAt(scores, labels, threshold).f1Macro;
}

/**
 * The threshold that maximises F1 of the fraud class ('f1') or F1-macro ('f1_macro') on these scores;
 * meant for validation scores. The threshold sits halfway between the cut score and the next lower one,
 * so tiny score shifts on new data do not flip the decision at the boundary.
 */
export function bestThreshold(
  scores: Scores,
  labels: Labels,
  objective: 'f1' | 'f1_macro' = 'f1_macro',
): ThresholdReport {
  checkLengths(scores, labels);
  const n = scores.length;
  const pos = countPositives(labels);
  const order = orderDescending(scores);
  // Start with "nothing is fraud" and move the cut down one tie group at a time.
  let best = reportFromConfusion({ tp: 0, fp: 0, tn: n - pos, fn: pos }, Number.POSITIVE_INFINITY);
  const value = (r: ThresholdReport) => (objective === 'f1' ? r.f1 : r.f1Macro);
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    const s = scores[order[start]];
    while (end < n && scores[order[end]] === s) end++;
    for (let k = start; k < end; k++) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
    }
    const next = end < n ? scores[order[end]] : Number.NEGATIVE_INFINITY;
    const mid = (s + next) / 2;
    const threshold = Number.isFinite(mid) && mid > next && mid <= s ? mid : s;
    const r = reportFromConfusion({ tp, fp, tn: n - pos - fp, fn: pos - tp }, threshold);
    if (value(r) > value(best)) best = r;
    start = end;
  }
  return best;
}

/** Mean logistic loss of probabilities (clipped away from 0 and 1). */
export function logLoss(probs: Scores, labels: Labels): number {
  checkLengths(probs, labels);
  const eps = 1e-15;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return probs.length === 0 ? Number.NaN : sum / probs.length;
}
