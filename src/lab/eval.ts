// Detection quality against ground truth: per kind and per scheme, precision/recall/F1 at the operating
// threshold, AUROC and AP; and the false-positive rate among honest look-alikes (households sharing a
// device and address, buyers behind a campus-sized network), recognised from the events themselves so the
// measure works on any generator's data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  auroc,
  averagePrecision,
  type MarketState,
  SUBJECT_KINDS,
  type SubjectKind,
} from '../detect/index.ts';
import type { Truth } from './truth.ts';

export interface Metrics {
  n: number;
  positives: number;
  precision: number;
  recall: number;
  f1: number;
  auroc: number;
  ap: number;
}

export interface EvalReport {
  threshold: number;
  kinds: Record<SubjectKind, Metrics>;
  schemes: Array<{ kind: SubjectKind; scheme: string } & Metrics>;
  cohorts: Array<{ cohort: string; kind: SubjectKind; honest: number; flagged: number; rate: number }>;
}

/** Honest subjects that look like abuse, of one kind. */
export interface Cohort {
  kind: SubjectKind;
  members: Set<string>;
}

export type Cohorts = Map<string, Cohort>;

function metrics(scores: number[], labels: number[], threshold: number): Metrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const hit = scores[i] >= threshold;
    if (hit && labels[i]) tp++;
    else if (hit) fp++;
    else if (labels[i]) fn++;
  }
  const positives = tp + fn;
  const precision = tp + fp ? tp / (tp + fp) : positives ? 0 : 1;
  const recall = positives ? tp / positives : 1;
  const both = positives > 0 && positives < scores.length;
  return {
    n: scores.length,
    positives,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    auroc: both ? auroc(scores, labels) : Number.NaN,
    ap: both ? averagePrecision(scores, labels) : Number.NaN,
  };
}

/** Honest look-alike accounts recognised from behaviour (truth excluded by the caller). */
export function lookAlikes(state: MarketState): Cohorts {
  const household = new Set<string>();
  const campus = new Set<string>();
  const out: Cohorts = new Map([
    ['household (shared device and address)', { kind: 'account', members: household }],
    ['campus-size network (IP shared by 100+ accounts)', { kind: 'account', members: campus }],
  ]);
  for (const [, accts] of state.ids.device.shared()) {
    if (accts.size > 6) continue;
    const addrs = new Map<string, number>();
    for (const a of accts) {
      const seen = new Set(
        state.accounts
          .get(a)
          ?.orders.map((o) => o.address)
          .filter(Boolean),
      );
      for (const x of seen) addrs.set(x as string, (addrs.get(x as string) ?? 0) + 1);
    }
    if ([...addrs.values()].some((n) => n >= 2)) for (const a of accts) household.add(a);
  }
  for (const [, accts] of state.ids.ip.shared()) {
    if (accts.size >= 100) for (const a of accts) if (state.accounts.get(a)?.orders.length) campus.add(a);
  }
  return out;
}

/** Cohorts a simulator labelled itself (cohorts.ndjson beside the truth file), when present. */
export function labelledCohorts(truthPath: string): Cohorts {
  const out: Cohorts = new Map();
  const path = join(dirname(truthPath), 'cohorts.ndjson');
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const c = JSON.parse(line) as { kind: string; id: string; cohort: string };
    if (!(SUBJECT_KINDS as readonly string[]).includes(c.kind)) continue;
    const kind = c.kind as SubjectKind;
    const name = `simulator: ${c.cohort}${kind === 'account' ? '' : ` (${kind})`}`;
    let s = out.get(name);
    if (!s) out.set(name, (s = { kind, members: new Set() }));
    s.members.add(c.id);
  }
  return out;
}

export function evaluate(
  universe: Record<SubjectKind, string[]>,
  scores: Map<string, number>,
  truth: Truth,
  cohorts: Cohorts,
  threshold = 0.5,
): EvalReport {
  const kinds = {} as Record<SubjectKind, Metrics>;
  const schemes: EvalReport['schemes'] = [];
  for (const kind of SUBJECT_KINDS) {
    const ids = new Set(universe[kind]);
    for (const id of truth[kind].keys()) ids.add(id);
    const list = [...ids];
    const s = list.map((id) => scores.get(`${kind}:${id}`) ?? 0);
    const y = list.map((id) => (truth[kind].has(id) ? 1 : 0));
    kinds[kind] = metrics(s, y, threshold);
    const names = new Set([...truth[kind].values()].flat());
    for (const scheme of [...names].sort()) {
      const idx = list
        .map((id, i) => [id, i] as const)
        .filter(([id]) => !truth[kind].has(id) || truth[kind].get(id)!.includes(scheme));
      const ss = idx.map(([, i]) => s[i]);
      const yy = idx.map(([id]) => (truth[kind].has(id) ? 1 : 0));
      schemes.push({ kind, scheme, ...metrics(ss, yy, threshold) });
    }
  }
  const out: EvalReport['cohorts'] = [];
  for (const [cohort, { kind, members }] of cohorts) {
    const honest = [...members].filter((a) => !truth[kind].has(a));
    const flagged = honest.filter((a) => (scores.get(`${kind}:${a}`) ?? 0) >= threshold).length;
    out.push({
      cohort,
      kind,
      honest: honest.length,
      flagged,
      rate: honest.length ? flagged / honest.length : 0,
    });
  }
  return { threshold, kinds, schemes, cohorts: out };
}

const f = (x: number) => (Number.isNaN(x) ? '   n/a' : x.toFixed(4));

export function formatReport(r: EvalReport): string {
  const lines: string[] = [];
  const head = `${'kind'.padEnd(10)}${'scheme'.padEnd(20)}${'n'.padStart(9)}${'pos'.padStart(7)}  precision  recall     F1         AUROC      AP`;
  lines.push(`operating threshold ${r.threshold}`, '', head);
  const row = (kind: string, scheme: string, m: Metrics) =>
    `${kind.padEnd(10)}${scheme.padEnd(20)}${String(m.n).padStart(9)}${String(m.positives).padStart(7)}  ${f(m.precision)}     ${f(m.recall)}     ${f(m.f1)}     ${f(m.auroc)}     ${f(m.ap)}`;
  for (const kind of SUBJECT_KINDS) lines.push(row(kind, '(all)', r.kinds[kind]));
  lines.push('');
  for (const s of r.schemes) lines.push(row(s.kind, s.scheme, s));
  lines.push('', 'false positives among honest look-alikes:');
  for (const c of r.cohorts)
    lines.push(
      `  ${c.cohort.padEnd(52)} ${String(c.flagged).padStart(6)} / ${String(c.honest).padEnd(7)} = ${(100 * c.rate).toFixed(2)}%`,
    );
  return lines.join('\n');
}
