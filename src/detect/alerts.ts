// Alerts: the live signals of one subject grouped into one score, a noisy-OR of each detector's strongest
// signal weighted by its rule (or by the policy for the batch job's detectors). Written once, here.
import { nextTurn } from '../platform/turns.ts';
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

/** What an alert reads of one subject's live signals: each detector's strongest, and their count and times. */
export interface LiveSummary {
  /** The strongest live signal per rule (or per detector, for those without a rule). */
  best: Signal[];
  count: number;
  firstAt: string;
  lastAt: string;
}

/** The alert of one subject from its live signals (all of the same kind and subject). */
export function alertOf(list: Signal[], rules: RuleSet): AlertScore {
  const best = new Map<string, Signal>();
  for (const s of list) {
    const key = s.ruleId ?? s.detector;
    const had = best.get(key);
    if (!had || s.score > had.score) best.set(key, s);
  }
  const times = list.map((s) => s.at).sort();
  return alertFrom(
    { best: [...best.values()], count: list.length, firstAt: times[0], lastAt: times[times.length - 1] },
    rules,
  );
}

/** The alert from a summary of the subject's live signals. */
export function alertFrom(sum: LiveSummary, rules: RuleSet): AlertScore {
  const weights = new Map(rules.rules.map((r) => [r.id, r.weight]));
  const { ring_weight, model_weight, max_weighted_score } = rules.policy.alerts;
  const weighted: number[] = [];
  let top: Signal | undefined;
  let topW = -1;
  for (const s of sum.best) {
    const w =
      weights.get(s.ruleId ?? s.detector) ?? (s.detector.startsWith('graph:') ? ring_weight : model_weight);
    weighted.push(Math.min(max_weighted_score, w * s.score));
    if (w * s.score > topW) {
      topW = w * s.score;
      top = s;
    }
  }
  return {
    kind: sum.best[0].kind,
    subject: sum.best[0].subject,
    score: Math.round(noisyOr(weighted) * 10000) / 10000,
    signals: sum.count,
    topExplanation: top!.explanation,
    firstAt: sum.firstAt,
    lastAt: sum.lastAt,
  };
}

/** Signals stored (and their alerts refreshed) per statement. */
const CHUNK = 50;

/** Stores new signals and brings the alerts of the subjects they touch up to date. */
export class AlertBook {
  constructor(
    private readonly repo: DetectionRepository,
    private readonly rules: () => RuleSet,
    /** Hears the signals that were new to the store. */
    private readonly onStored?: (fresh: Signal[]) => void,
  ) {}

  /** Returns how many of them were new. A chunk at a time, so a large batch holds up no other work long. */
  async add(found: Signal[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < found.length; i += CHUNK) {
      if (i > 0) await nextTurn();
      added += await this.addChunk(found.slice(i, i + CHUNK));
    }
    return added;
  }

  private async addChunk(found: Signal[]): Promise<number> {
    const fresh = await this.repo.insertSignals(found);
    this.onStored?.(found.filter((s) => fresh.has(s.id)));
    await nextTurn();
    const touched = new Map<string, { kind: SubjectKind; subject: string }>();
    for (const s of found)
      if (s.mode === 'live') touched.set(`${s.kind}:${s.subject}`, { kind: s.kind, subject: s.subject });
    await this.refresh([...touched.values()]);
    return fresh.size;
  }

  private async refresh(subjects: Array<{ kind: SubjectKind; subject: string }>): Promise<void> {
    const rules = this.rules();
    const sums = await this.repo.liveSummaries(subjects);
    await nextTurn();
    await this.repo.upsertAlerts(sums.map((sum) => alertFrom(sum, rules)));
  }
}
