// Detection as a running service, composed of small parts, each with one job: the log follower (stream
// rules), the alert book (one noisy-OR), the batch job (rings and the learned scorer), real-time decisions
// and rule administration. Routes and the composition root use only the `Detection` interface.
import type { EventLog, EventOf } from '../events/index.ts';
import type { Db } from '../platform/db/db.ts';
import type { Metrics } from '../platform/metrics.ts';
import { AlertBook } from './alerts.ts';
import { BatchJob, type BatchSummary } from './batch.ts';
import { type Decision, decideOrder } from './decisions.ts';
import { StreamFollower } from './follower.ts';
import { detectionMeter } from './metrics.ts';
import {
  type Alert,
  type AlertFilter,
  DetectionRepository,
  type RuleChange,
  type SignalFilter,
  type StoredRing,
} from './repository.ts';
import {
  type ReloadResult,
  type RuleActor,
  RuleAdmin,
  type RuleSource,
  type RuleStatus,
  ruleSource,
} from './rule-admin.ts';
import { RULE_LIMITS, type RuleLimits } from './rules/limits.ts';
import { loadRulesFile } from './rules/load.ts';
import type { RuleSet } from './rules/schema.ts';
import { DEFAULT_MODEL_FILE, loadScorer } from './scorer.ts';
import type { Signal } from './signals.ts';

export interface DetectionDeps {
  db: Db;
  /** The event log to follow (the events capability's reader). */
  log: EventLog;
  /** Rule file (TIANPING_RULES); default: the one a reload stored in `dataDir`, else the bundled one. */
  rulesFile?: string;
  /** Where a reload's new rule file is stored; none: only in memory (tests). Never the install. */
  dataDir?: string;
  /** How big a rule file may be; default RULE_LIMITS. */
  ruleLimits?: RuleLimits;
  /** Learned scorer model; default: the bundled one. A file that cannot be read or parsed stops start-up. */
  modelFile?: string;
  /** Where detection's figures are registered (lag, signals, batch runs); none when absent. */
  metrics?: Metrics;
}

export interface DetectionStatus {
  lastSeq: number;
  events: number;
  rules: number;
  model: string | null;
  lastBatch: BatchSummary | null;
}

export interface Detection {
  /** Starts following the log (replaying what is stored first). */
  start(): void;
  /** Waits until every stored event has been through the rules. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
  status(): DetectionStatus;
  signals(filter: SignalFilter): Promise<Signal[]>;
  alerts(filter: AlertFilter): Promise<Alert[]>;
  alert(kind: string, subject: string): Promise<Alert | undefined>;
  rings(limit: number, minSuspicion: number): Promise<StoredRing[]>;
  rules(): RuleStatus[];
  /** Where the rules in force were read from. */
  ruleSource(): RuleSource;
  /** Reloads the rule file in force, or puts `text` in force (stored in the data folder); recorded. */
  reloadRules(actor: RuleActor, opts?: { text?: string; reason?: string }): Promise<ReloadResult>;
  /** Changes to the rules, newest first. */
  ruleHistory(limit: number, before?: number): Promise<RuleChange[]>;
  ruleChange(id: number): Promise<(RuleChange & { text: string }) | undefined>;
  /** Runs the ring job and the learned scorer now, after the rules have caught up with the log. */
  runBatch(): Promise<BatchSummary>;
  decide(e: EventOf<'order.created'>): Decision;
}

export function createDetection(deps: DetectionDeps): Detection {
  const repo = new DetectionRepository(deps.db);
  const source = ruleSource(deps);
  const initial = loadRulesFile(source.path, deps.ruleLimits ?? RULE_LIMITS);
  const meter = deps.metrics && detectionMeter(deps.metrics, deps.log, () => stream.engine.lastSeq);
  const alerts: AlertBook = new AlertBook(repo, (): RuleSet => admin.rules, meter?.stored);
  const stream: StreamFollower = new StreamFollower(initial, deps.log, repo, alerts);
  const admin: RuleAdmin = new RuleAdmin({
    source,
    initial,
    engine: stream.engine,
    repo,
    dataDir: deps.dataDir,
    limits: deps.ruleLimits,
  });
  const batch = new BatchJob(repo, alerts, loadScorer(deps.modelFile ?? DEFAULT_MODEL_FILE));
  const model = batch.scorer?.version ?? null;
  return {
    start: () => stream.start(),
    caughtUp: () => stream.caughtUp(),
    stop: () => stream.stop(),
    status: () => ({
      lastSeq: stream.engine.lastSeq,
      events: stream.engine.state.events,
      rules: admin.rules.rules.length,
      model,
      lastBatch: batch.last ?? null,
    }),
    signals: (f) => repo.listSignals(f),
    alerts: (f) => repo.listAlerts(f),
    alert: (kind, subject) => repo.getAlert(kind, subject),
    rings: (limit, min) => repo.listRings(limit, min),
    rules: () => admin.status(),
    ruleSource: () => admin.origin,
    reloadRules: (actor, opts) => admin.reload(actor, opts),
    ruleHistory: (limit, before) => admin.history(limit, before),
    ruleChange: (id) => admin.change(id),
    async runBatch() {
      const run = async () => {
        await stream.caughtUp();
        return batch.run(stream.engine, admin.rules);
      };
      return meter ? meter.batch(run) : run();
    },
    decide: (e) => decideOrder(e, stream.engine.state, batch, admin.rules, model),
  };
}
