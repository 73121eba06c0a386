// Alerts: the live signals of one subject grouped into one score, a noisy-OR of each detector's strongest
// signal weighted by its rule (or by the policy for the batch job's detectors). Written once, here.
import type { Alert, DetectionRepository } from './repository.ts';
import type { RuleSet } from './rules/schema.ts';
import type { Signal, SubjectKind } from './signals.ts';

/** 1 − Π(1 − pᵢ): the chance that at least one of several independent indications is right. */
export function noisyOr(ps: Iterable<number>): number {
  let keep = 1;
  for (const p of ps) keep *= 1 - p;
  return 1 - keep;
}

export type AlertScore = Omit<Alert, 'status'>;

/** The alert of one subject from its live signals (all of the same kind and subject). */
export function alertOf(list: Signal[], rules: RuleSet): AlertScore {
  const weights = new Map(rules.rules.map((r) => [r.id, r.weight]));
  const { ring_weight, model_weight, max_weighted_score } = rules.policy.alerts;
  const best = new Map<string, Signal>();
  for (const s of list) {
    const key = s.ruleId ?? s.detector;
    const had = best.get(key);
    if (!had || s.score > had.score) best.set(key, s);
  }
  const weighted: number[] = [];
  let top: Signal | undefined;
  let topW = -1;
  for (const [key, s] of best) {
    const w = weights.get(key) ?? (s.detector.startsWith('graph:') ? ring_weight : model_weight);
    weighted.push(Math.min(max_weighted_score, w * s.score));
    if (w * s.score > topW) {
      topW = w * s.score;
      top = s;
    }
  }
  const times = list.map((s) => s.at).sort();
  return {
    kind: list[0].kind,
    subject: list[0].subject,
    score: Math.round(noisyOr(weighted) * 10000) / 10000,
    signals: list.length,
    topExplanation: top!.explanation,
    firstAt: times[0],
    lastAt: times[times.length - 1],
  };
}

/** Stores new signals and brings the alerts of the subjects they touch up to date. */
export class AlertBook {
  constructor(
    private readonly repo: DetectionRepository,
    private readonly rules: () => RuleSet,
    /** Hears the signals that were new to the store. */
    private readonly onStored?: (fresh: Signal[]) => void,
  ) {}

  /** Returns how many of them were new. */
  async add(found: Signal[]): Promise<number> {
    if (found.length === 0) return 0;
    const fresh = await this.repo.insertSignals(found);
    this.onStored?.(found.filter((s) => fresh.has(s.id)));
    const touched = new Map<string, { kind: SubjectKind; subject: string }>();
    for (const s of found)
      if (s.mode === 'live') touched.set(`${s.kind}:${s.subject}`, { kind: s.kind, subject: s.subject });
    await this.refresh([...touched.values()]);
    return fresh.size;
  }

  private async refresh(subjects: Array<{ kind: SubjectKind; subject: string }>): Promise<void> {
    const by = new Map<string, Signal[]>();
    for (const s of await this.repo.liveSignalsOf(subjects)) {
      const k = `${s.kind}\u0000${s.subject}`;
      const l = by.get(k);
      if (l) l.push(s);
      else by.set(k, [s]);
    }
    const rules = this.rules();
    await this.repo.upsertAlerts([...by.values()].map((list) => alertOf(list, rules)));
  }
}
