// Leave one mode out: does the learned scorer find a way of abusing it was never shown? Each scheme plants
// some rings, gangs or attacks in a classic and some in an adaptive mode; for every (scheme, mode) the
// scorer is trained on markets with that mode's subjects taken out of the training rows (neither positive
// nor negative), then scored on a held-out market against that mode's subjects and every honest subject.
// A detector that learned one simulator's habits rather than the behaviour shows it here.
import {
  averagePrecision,
  type FeatureSet,
  type Labelled,
  SUBJECT_KINDS,
  type SubjectKind,
  scoreKinds,
  trainScorer,
} from '../detect/index.ts';
import type { Market } from './training.ts';
import type { Truth } from './truth.ts';

export interface LeftOut {
  scheme: string;
  mode: 'classic' | 'adaptive';
}

export interface LomoRow extends LeftOut {
  kind: SubjectKind;
  /** Subjects of the left-out mode in the test market. */
  positives: number;
  ap: number;
  /** Recall at the operating score 0.5. */
  recall: number;
}

/** Which (scheme, mode) a subject's labels put it in. */
function unitsOf(labels: string[]): Array<[string, LeftOut['mode']]> {
  const out: Array<[string, LeftOut['mode']]> = [];
  for (const l of labels) {
    if (l.includes(':')) continue;
    out.push([l, labels.includes(`${l}:adaptive`) ? 'adaptive' : 'classic']);
  }
  return out;
}

const inUnit = (labels: string[], u: LeftOut) =>
  unitsOf(labels).some(([s, m]) => s === u.scheme && m === u.mode);
const onlyUnit = (labels: string[], u: LeftOut) =>
  unitsOf(labels).every(([s, m]) => s === u.scheme && m === u.mode);

/** The (scheme, mode) pairs that occur in a market's truth. */
export function modesIn(truth: Truth): LeftOut[] {
  const seen = new Map<string, LeftOut>();
  for (const kind of SUBJECT_KINDS)
    for (const labels of truth[kind].values())
      for (const [scheme, mode] of unitsOf(labels)) seen.set(`${scheme}:${mode}`, { scheme, mode });
  return [...seen.values()].sort((a, b) => `${a.scheme}:${a.mode}`.localeCompare(`${b.scheme}:${b.mode}`));
}

function dropRows(set: FeatureSet, drop: (id: string) => boolean): FeatureSet {
  const keep: number[] = [];
  for (let i = 0; i < set.ids.length; i++) if (!drop(set.ids[i])) keep.push(i);
  const w = set.names.length;
  const rows = new Float32Array(keep.length * w);
  keep.forEach((r, j) => {
    rows.set(set.rows.subarray(r * w, (r + 1) * w), j * w);
  });
  const links = set.links
    ? Object.fromEntries(Object.entries(set.links).map(([k, v]) => [k, keep.map((r) => v[r])]))
    : undefined;
  return { kind: set.kind, names: set.names, ids: keep.map((r) => set.ids[r]), rows, links };
}

/** Training data without the left-out mode's subjects (those also in another scheme stay, as positives). */
function withoutUnit(markets: Market[], u: LeftOut): Labelled[] {
  return markets.map((m) => {
    const features = {} as Labelled['features'];
    const pos = {} as Labelled['positives'];
    for (const kind of SUBJECT_KINDS) {
      const t = m.truth[kind];
      features[kind] = dropRows(m.features[kind], (id) => {
        const labels = t.get(id);
        return labels !== undefined && onlyUnit(labels, u);
      });
      pos[kind] = new Set(features[kind].ids.filter((id) => t.has(id)));
    }
    return { name: m.name, features, positives: pos };
  });
}

export interface LomoOptions {
  seed: number;
  folds?: number;
  onProgress?: (msg: string) => void;
}

/** Trains once per left-out mode on `train` and scores `test`; rows for each kind that mode labels. */
export async function leaveOneModeOut(train: Market[], test: Market, opts: LomoOptions): Promise<LomoRow[]> {
  const out: LomoRow[] = [];
  for (const u of modesIn(test.truth)) {
    opts.onProgress?.(`leaving out ${u.scheme} (${u.mode}): training`);
    const scorer = await trainScorer(withoutUnit(train, u), { seed: opts.seed, folds: opts.folds });
    const byKind = scoreKinds(scorer, test.features);
    for (const kind of SUBJECT_KINDS) {
      const t = test.truth[kind];
      const scored = byKind[kind];
      const s: number[] = [];
      const y: number[] = [];
      for (const x of scored) {
        const labels = t.get(x.id);
        if (labels && !inUnit(labels, u)) continue;
        s.push(x.score);
        y.push(labels ? 1 : 0);
      }
      const positives = y.reduce((a, b) => a + b, 0);
      if (positives === 0) continue;
      const hits = s.filter((v, i) => y[i] === 1 && v >= 0.5).length;
      out.push({ ...u, kind, positives, ap: averagePrecision(s, y), recall: hits / positives });
    }
  }
  return out;
}

export function formatLomo(rows: LomoRow[]): string {
  const lines = [
    'left out (scheme, mode)            kind         pos      AP    recall@0.5',
    ...rows.map(
      (r) =>
        `${`${r.scheme} (${r.mode})`.padEnd(35)}${r.kind.padEnd(10)}${String(r.positives).padStart(6)}  ${r.ap.toFixed(4)}  ${r.recall.toFixed(4)}`,
    ),
  ];
  const worst = new Map<SubjectKind, LomoRow>();
  for (const r of rows) if (!worst.has(r.kind) || worst.get(r.kind)!.ap > r.ap) worst.set(r.kind, r);
  lines.push('', 'lowest left-out AP per kind:');
  for (const [kind, r] of worst)
    lines.push(`  ${kind.padEnd(9)} ${r.ap.toFixed(4)}  (${r.scheme}, ${r.mode})`);
  return lines.join('\n');
}
