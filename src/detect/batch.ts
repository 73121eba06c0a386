// The batch job's compute: rings and the learned scorer over the stream's current state (in the detection
// worker, beside the engine). Its scores and rings stay in memory for real-time decisions until the next
// run; its rings and signals go back to the main thread to be stored.
import { batchFindings, buildFeatures, type RingVerdict } from './analysis.ts';
import type { RuleSet } from './rules/schema.ts';
import type { Scorer } from './scorer.ts';
import type { Signal, SignalFacts } from './signals.ts';
import type { StreamEngine } from './stream/engine.ts';

export interface BatchSummary {
  rings: number;
  suspiciousRings: number;
  signals: number;
  scored: number;
  seconds: number;
}

/** One run's findings: what to store, and what it covered. */
export interface BatchOutcome {
  summary: BatchSummary;
  rings: RingVerdict[];
  signals: Signal[];
  /** The last event (seq) the stream state held when the run read it. */
  throughSeq: number;
}

/** What decisions read from the last run. */
export interface BatchView {
  modelScore(kind: 'account' | 'merchant', id: string): number;
  ringOf(account: string): { suspicion: number; id: string } | undefined;
}

export class BatchJob implements BatchView {
  private modelScores = new Map<string, number>();
  private rings = new Map<string, { suspicion: number; id: string }>();

  constructor(readonly scorer: Scorer | undefined) {}

  /** `signals`: the rules' stored signals (the scorer was trained on those, not on its own output). */
  run(engine: StreamEngine, rules: RuleSet, signals: readonly SignalFacts[]): BatchOutcome {
    const t0 = performance.now();
    const f = buildFeatures({ state: engine.state, money: engine.money, signals, rules });
    const at = new Date(engine.state.now || Date.now()).toISOString();
    const found = batchFindings(f, this.scorer, rules.policy, at);
    this.modelScores = found.modelScores;
    this.rings = found.ringOf;
    return {
      summary: {
        rings: found.rings.length,
        suspiciousRings: found.rings.filter((r) => r.suspicion >= rules.policy.rings.min_suspicion).length,
        signals: found.signals.length,
        scored: found.scored,
        seconds: (performance.now() - t0) / 1000,
      },
      rings: found.rings,
      signals: found.signals,
      throughSeq: engine.lastSeq,
    };
  }

  modelScore(kind: 'account' | 'merchant', id: string): number {
    return this.modelScores.get(`${kind}:${id}`) ?? 0;
  }

  ringOf(account: string) {
    return this.rings.get(account);
  }
}
