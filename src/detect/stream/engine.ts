// The streaming engine: applies each event to the shared state, then to every rule that listens to its
// type. Windows run on event time, and signal ids are derived from their evidence, so a replay of the
// same log after a restart rebuilds the same state and re-finds the same signals without doubling any.
import { type EventType, type MarketEvent, parseTime } from '../../events/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { Rule, RuleKind, RuleOf, RuleSet } from '../rules/schema.ts';
import { type Explanation, type Signal, type SubjectKind, signalId } from '../signals.ts';
import { MoneyTrail, type SideLink } from './money.ts';
import { DETECTORS } from './rules/index.ts';
import { type MarketMemory, MarketState } from './state.ts';

export interface Finding {
  kind: SubjectKind;
  subject: string;
  score: number;
  /** Distinguishes findings of one rule on one subject (e.g. the window); same key, same signal. */
  key: string;
  evidence: string[];
  explanation: Explanation;
  facts?: Record<string, number>;
}

export interface DetectorEnv {
  state: MarketState;
  money: MoneyTrail;
  /** Time of the current event, epoch ms. */
  now(): number;
  emit(f: Finding): void;
}

/**
 * A rule kind's detector. `create` returns a handler; the rule is read through `ref` so a reload keeps the
 * windows. What a detector remembers between events lives in its `memory` (plain data: maps, sets, arrays,
 * objects, so a snapshot can hold it), never in the handler's closure; `revive` mends what a snapshot's
 * encoding cannot carry (class prototypes).
 */
export interface Detector<K extends RuleKind = RuleKind, M = unknown> {
  kind: K;
  version: string;
  listens: readonly EventType[];
  memory?(): M;
  revive?(m: M): M;
  create(ref: { rule: RuleOf<K> }, env: DetectorEnv, memory: M): (e: MarketEvent) => void;
}

interface Running {
  ref: { rule: Rule };
  detector: Detector;
  memory: unknown;
  handle: (e: MarketEvent) => void;
}

/** Everything the engine remembers, as plain data with shared objects shared: what a snapshot keeps. */
export interface EngineMemory {
  state: MarketMemory;
  money: Map<string, SideLink[]>;
  rules: Array<{ id: string; kind: RuleKind; version: string; memory: unknown }>;
  emitted: Set<string>;
  hits: Map<string, { hits: number; lastHitAt?: string }>;
  nowMs: number;
  lastSeq: number;
}

export interface RuleHits {
  rule: string;
  kind: RuleKind;
  mode: 'live' | 'shadow';
  hits: number;
  lastHitAt?: string;
}

export class StreamEngine {
  readonly state: MarketState;
  readonly money: MoneyTrail;
  private running = new Map<string, Running>();
  private byType = new Map<EventType, Running[]>();
  private emitted: Set<string>;
  private hits: Map<string, { hits: number; lastHitAt?: string }>;
  private nowMs: number;
  /** Sequence number of the last event processed, for checkpoints. */
  lastSeq: number;
  /** Rule memories of a restored snapshot, taken by the rules of the same id, kind and version. */
  private saved: Map<string, EngineMemory['rules'][number]> | undefined;

  /** `memory`: an earlier engine's `memory()` to go on from (a snapshot), instead of an empty market. */
  constructor(
    rules: RuleSet,
    private readonly registry: ReadonlyMap<RuleKind, Detector>,
    private readonly sink: (s: Signal) => void,
    memory?: EngineMemory,
  ) {
    this.state = new MarketState(memory?.state);
    this.money = new MoneyTrail(this.state, 2, memory?.money);
    this.emitted = memory?.emitted ?? new Set();
    this.hits = memory?.hits ?? new Map();
    this.nowMs = memory?.nowMs ?? 0;
    this.lastSeq = memory?.lastSeq ?? 0;
    this.saved = memory && new Map(memory.rules.map((r) => [r.id, r]));
    this.setRules(rules);
    this.saved = undefined;
  }

  /** The engine's memory, sharing (not copying) its structures: encode it before the next event. */
  memory(): EngineMemory {
    return {
      state: this.state.memory(),
      money: this.money.memory(),
      rules: [...this.running].map(([id, r]) => ({
        id,
        kind: r.detector.kind,
        version: r.detector.version,
        memory: r.memory,
      })),
      emitted: this.emitted,
      hits: this.hits,
      nowMs: this.nowMs,
      lastSeq: this.lastSeq,
    };
  }

  /** Swaps in a validated rule set; rules that stay keep their window state. */
  setRules(rules: RuleSet): void {
    const next = new Map<string, Running>();
    for (const rule of rules.rules) {
      const had = this.running.get(rule.id);
      if (had && had.detector.kind === rule.kind) {
        had.ref.rule = rule;
        next.set(rule.id, had);
        continue;
      }
      const detector = this.registry.get(rule.kind);
      if (!detector)
        throw new AppError('internal', {
          en: `Rule "${rule.id}" is of kind ${rule.kind}, for which no detector is registered.`,
          zh: `规则“${rule.id}”的类型 ${rule.kind} 没有已注册的检测器。`,
        });
      const ref = { rule };
      const saved = this.saved?.get(rule.id);
      const memory =
        saved && saved.kind === rule.kind && saved.version === detector.version
          ? (detector.revive?.(saved.memory) ?? saved.memory)
          : detector.memory?.();
      const running: Running = { ref, detector, memory, handle: () => {} };
      running.handle = detector.create(ref as never, this.env(running), memory);
      next.set(rule.id, running);
    }
    this.running = next;
    this.byType.clear();
    for (const r of next.values()) {
      for (const t of r.detector.listens) {
        const list = this.byType.get(t) ?? [];
        list.push(r);
        this.byType.set(t, list);
      }
    }
    const hops = rules.rules.find((r) => r.kind === 'payback');
    if (hops && hops.kind === 'payback') this.money.maxHops = hops.params.max_hops;
  }

  private env(running: Running): DetectorEnv {
    return {
      state: this.state,
      money: this.money,
      now: () => this.nowMs,
      emit: (f) => this.emit(running, f),
    };
  }

  private emit(r: Running, f: Finding) {
    const rule = r.ref.rule;
    const id = signalId(rule.id, f.kind, f.subject, f.key);
    if (this.emitted.has(id)) return;
    this.emitted.add(id);
    const h = this.hits.get(rule.id) ?? { hits: 0 };
    h.hits++;
    h.lastHitAt = new Date(this.nowMs).toISOString();
    this.hits.set(rule.id, h);
    this.sink({
      id,
      kind: f.kind,
      subject: f.subject,
      score: f.score,
      detector: `rule:${rule.kind}`,
      detectorVersion: r.detector.version,
      ruleId: rule.id,
      mode: rule.mode,
      evidence: f.evidence.slice(0, 50),
      explanation: f.explanation,
      at: h.lastHitAt,
      facts: f.facts,
    });
  }

  /** Processes one event; `at` may be given when the caller already parsed the time. */
  process(e: MarketEvent, at = parseTime(e.time) ?? 0, seq?: number): void {
    this.nowMs = at;
    this.state.apply(e, at);
    if (e.type === 'transfer.made') {
      const a = this.state.accounts.get(e.data.from_id);
      const t = a?.transfersOut[a.transfersOut.length - 1];
      if (t) this.money.onTransfer(t);
    }
    const list = this.byType.get(e.type);
    if (list) {
      for (const r of list) r.handle(e);
    }
    if (seq !== undefined) this.lastSeq = seq;
  }

  ruleHits(): RuleHits[] {
    return [...this.running.values()].map((r) => ({
      rule: r.ref.rule.id,
      kind: r.ref.rule.kind,
      mode: r.ref.rule.mode,
      hits: this.hits.get(r.ref.rule.id)?.hits ?? 0,
      lastHitAt: this.hits.get(r.ref.rule.id)?.lastHitAt,
    }));
  }

  rules(): Rule[] {
    return [...this.running.values()].map((r) => r.ref.rule);
  }
}

/** A stream engine with every registered detector; `memory`: go on from a snapshot's. */
export function createStreamEngine(
  rules: RuleSet,
  sink: (s: Signal) => void,
  memory?: EngineMemory,
): StreamEngine {
  return new StreamEngine(rules, DETECTORS, sink, memory);
}
