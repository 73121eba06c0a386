// The batch job: rings and the learned scorer over the stream's current state. Its signals join the
// alerts; its scores and rings stay in memory for real-time decisions until the next run.
import type { AlertBook } from './alerts.ts';
import { batchFindings, buildFeatures } from './analysis.ts';
import type { DetectionRepository } from './repository.ts';
import type { RuleSet } from './rules/schema.ts';
import type { Scorer } from './scorer.ts';
import type { StreamEngine } from './stream/engine.ts';

export interface BatchSummary {
  rings: number;
  suspiciousRings: number;
  signals: number;
  scored: number;
  seconds: number;
}

/** What decisions read from the last run. */
export interface BatchView {
  modelScore(kind: 'account' | 'merchant', id: string): number;
  ringOf(account: string): { suspicion: number; id: string } | undefined;
}

export class BatchJob implements BatchView {
  private modelScores = new Map<string, number>();
  private rings = new Map<string, { suspicion: number; id: string }>();
  last: BatchSummary | undefined;

  constructor(
    private readonly repo: DetectionRepository,
    private readonly alerts: AlertBook,
    readonly scorer: Scorer | undefined,
  ) {}

  async run(engine: StreamEngine, rules: RuleSet): Promise<BatchSummary> {
    const t0 = performance.now();
    // The scorer was trained on the rules' signals, so it reads those, not its own earlier output.
    const signals = await this.repo.ruleSignals();
    const f = buildFeatures({ state: engine.state, money: engine.money, signals, rules });
    const at = new Date(engine.state.now || Date.now()).toISOString();
    const found = batchFindings(f, this.scorer, rules.policy, at);
    await this.repo.replaceRings(found.rings);
    await this.alerts.add(found.signals);
    this.modelScores = found.modelScores;
    this.rings = found.ringOf;
    this.last = {
      rings: found.rings.length,
      suspiciousRings: found.rings.filter((r) => r.suspicion >= rules.policy.rings.min_suspicion).length,
      signals: found.signals.length,
      scored: found.scored,
      seconds: (performance.now() - t0) / 1000,
    };
    return this.last;
  }

  modelScore(kind: 'account' | 'merchant', id: string): number {
    return this.modelScores.get(`${kind}:${id}`) ?? 0;
  }

  ringOf(account: string) {
    return this.rings.get(account);
  }
}
