// Detection as a running service, composed of small parts, each with one job: the detection worker (the
// stream engine, the batch job's compute and real-time decisions, on their own thread so HTTP answers while
// they work), the log follower that feeds it, the alert book (one noisy-OR), batch runs and their schedule,
// and rule administration. This thread keeps all storage I/O. Routes and the composition root use only
// the `Detection` interface.
import type { Behind, EventLog, EventOf } from '../events/index.ts';
import type { Db } from '../platform/db/db.ts';
import { AppError, type LocalText } from '../platform/errors.ts';
import type { Metrics } from '../platform/metrics.ts';
import { AlertBook } from './alerts.ts';
import type { Decision } from './decisions.ts';
import { StreamFollower } from './follower.ts';
import { detectionMeter } from './metrics.ts';
import {
  type Alert,
  type AlertFilter,
  type BatchRun,
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
import { BatchRunner, type BatchSchedule } from './runs.ts';
import { DEFAULT_MODEL_FILE } from './scorer.ts';
import type { Signal } from './signals.ts';
import { snapshotDigest } from './snapshots.ts';
import { SnapshotKeeper, type SnapshotSchedule } from './snapshots-keeper.ts';
import type { SnapshotStore } from './snapshots-store.ts';
import { DETECTORS } from './stream/rules/index.ts';
import { DetectWorker } from './worker/client.ts';

/** Where log lines go (pino's shape); by default nowhere. */
export interface DetectionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

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
  /** When batch runs start by themselves; default: only on request. */
  schedule?: BatchSchedule;
  /** Ready while at most this far behind the log; default 10,000 events and 30 s. */
  readyLag?: { events: number; seconds: number };
  /** How often an idle follower reads the log again, for events other processes commit; default 500 ms. */
  pollMs?: number;
  /** Where snapshots of the stream's memory are kept; none: every start replays the whole log. */
  snapshots?: SnapshotStore;
  /**
   * The folder of `snapshots` when it is a FolderSnapshotStore and detection will start (a server): the
   * worker reads the newest that fits itself rather than through this thread.
   */
  preloadSnapshots?: string;
  /** When snapshots are taken (besides one at an orderly stop); default DEFAULT_SNAPSHOT_SCHEDULE. */
  snapshotSchedule?: SnapshotSchedule;
  logger?: DetectionLog;
}

/** The detection worker, started before the store opens so that reading the model overlaps it. */
export interface DetectionThread {
  readonly worker: DetectWorker;
  readonly source: RuleSource;
  readonly initial: RuleSet;
  /** Resolves once the worker has read the model; rejects with the reason a model cannot be used. */
  loaded(): Promise<void>;
  /** Hears of the worker's failure (createDetection takes this over). */
  onFailure: (e: Error) => void;
}

/**
 * Reads the rules (a bad file stops here) and starts the worker, which reads the learned scorer's model:
 * the model is parsed there only, never on the thread that answers HTTP.
 */
export function startDetectionThread(
  deps: Pick<DetectionDeps, 'rulesFile' | 'dataDir' | 'ruleLimits' | 'modelFile' | 'preloadSnapshots'>,
): DetectionThread {
  const source = ruleSource(deps);
  const initial = loadRulesFile(source.path, deps.ruleLimits ?? RULE_LIMITS);
  const thread: DetectionThread = {
    source,
    initial,
    worker: new DetectWorker(
      { rules: initial, modelFile: deps.modelFile ?? DEFAULT_MODEL_FILE, preload: deps.preloadSnapshots },
      (e) => thread.onFailure(e),
    ),
    loaded: async () => {
      await thread.worker.loaded();
    },
    onFailure: () => {},
  };
  thread.worker.loaded();
  return thread;
}

export interface Readiness {
  ready: boolean;
  /** Why not, when not ready. */
  reason?: LocalText;
  /** How far detection is behind the log (events counted up to just past the allowed lag). */
  lag: Behind;
}

/** As GET /v1/detection/status answers it (snake_case, as everywhere on the wire). */
export interface DetectionStatus {
  last_seq: number;
  events: number;
  rules: number;
  model: string | null;
  /** The detection worker: running, not started yet, or failed (with `error`). */
  worker: 'running' | 'not started' | 'failed';
  error?: string;
  ready: boolean;
  reason?: string;
  lag: Behind;
  batch_running: boolean;
  last_run: BatchRun | null;
}

export interface Detection {
  /** Starts following the log (replaying what is stored first) and the batch schedule. */
  start(): void;
  /** Waits until every stored event has been through the rules. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<DetectionStatus>;
  /** Ready: the worker runs and the rules are within the allowed lag of the log. */
  readiness(): Promise<Readiness>;
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
  /**
   * Runs the ring job and the learned scorer now, after the rules have caught up with the log, and records
   * the run. While a run is in progress, a new request joins it and gets that run.
   */
  runBatch(requestedBy?: string): Promise<BatchRun>;
  /** Recorded batch runs, newest first. */
  runs(limit: number): Promise<BatchRun[]>;
  decide(e: EventOf<'order.created'>): Promise<Decision>;
}

const NO_LOG: DetectionLog = { info() {}, warn() {}, error() {} };
export const DEFAULT_SNAPSHOT_SCHEDULE: SnapshotSchedule = { everyEvents: 100_000, everyMs: 300_000 };
export const DEFAULT_READY_LAG = { events: 10_000, seconds: 30 };
const DEFAULT_POLL_MS = 500;

/** `thread`: one started earlier with the same settings (startDetectionThread); else one is started now. */
export function createDetection(deps: DetectionDeps, thread = startDetectionThread(deps)): Detection {
  const repo = new DetectionRepository(deps.db);
  const log = deps.logger ?? NO_LOG;
  const { source, initial, worker } = thread;
  // The model's version, once the worker has read it.
  let model: string | null = null;
  worker.loaded().then(
    (v) => {
      model = v;
    },
    () => {},
  );
  const readyLag = deps.readyLag ?? DEFAULT_READY_LAG;
  let failure: Error | undefined;
  let stopping = false;
  const fatal = (e: Error) => {
    if (failure || stopping) return;
    failure = e;
    log.error({ err: e.message, stack: e.stack }, 'detection stopped');
    void stream.stop();
  };
  thread.onFailure = fatal;
  if (worker.failure) fatal(worker.failure);
  const meter = deps.metrics && detectionMeter(deps.metrics, deps.log, () => stream.storedSeq);
  const alerts: AlertBook = new AlertBook(repo, (): RuleSet => admin.rules, meter?.stored);
  const keeper =
    deps.snapshots &&
    new SnapshotKeeper(
      deps.snapshots,
      worker,
      () => snapshotDigest(admin.rules, DETECTORS.values()),
      deps.snapshotSchedule ?? DEFAULT_SNAPSHOT_SCHEDULE,
      log,
      () => model,
      undefined,
      deps.preloadSnapshots !== undefined,
    );
  const stream: StreamFollower = new StreamFollower(deps.log, repo, alerts, worker, {
    pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
    restore: keeper && (() => keeper.restore()),
    onStored: keeper && ((seq, behind) => keeper.onStored(seq, behind)),
    onProgress: (fresh) => batch.onProgress(fresh),
    onFatal: fatal,
    onStoreError: (e) => log.warn({ err: e.message }, 'detection findings not stored; retrying'),
  });
  // Rule administration swaps rules in the worker's engine and reads the hit counts it last reported.
  const engine = {
    setRules(rules: RuleSet) {
      worker.request('rules', { rules }).then((p) => stream.setHits(p.hits), fatal);
    },
    ruleHits: () => stream.hits,
  };
  const admin: RuleAdmin = new RuleAdmin({
    source,
    initial,
    engine,
    repo,
    dataDir: deps.dataDir,
    limits: deps.ruleLimits,
  });
  const batch = new BatchRunner(
    repo,
    alerts,
    worker,
    () => stream.caughtUp(),
    deps.schedule ?? { everyMs: 0, everyEvents: 0 },
    log,
    meter?.ran,
  );

  const readiness = async (): Promise<Readiness> => {
    const lag = await deps.log.behind(stream.storedSeq, readyLag.events + 1);
    const not = (reason: LocalText): Readiness => ({ ready: false, reason, lag });
    if (failure)
      return not({
        en: `Detection stopped (${failure.message}); restart the server once the cause in its log is dealt with.`,
        zh: `检测已停止（${failure.message}）；请按日志中的原因处理后重启服务。`,
      });
    if (stream.restoring)
      return not({
        en: 'Detection is restoring its latest snapshot; the log after it is replayed next.',
        zh: '检测正在从最近的快照恢复，随后重放其后的事件日志。',
      });
    if (!stream.started) return not({ en: 'Detection has not started yet.', zh: '检测尚未启动。' });
    if (lag.events > readyLag.events || lag.seconds > readyLag.seconds) {
      const n = lag.events > readyLag.events ? `more than ${readyLag.events}` : String(lag.events);
      const s = Math.round(lag.seconds);
      return not({
        en: `Detection is ${n} events and ${s} s behind the event log; it is ready within ${readyLag.events} events and ${readyLag.seconds} s.`,
        zh: `检测落后事件日志 ${lag.events > readyLag.events ? `超过 ${readyLag.events}` : lag.events} 个事件、${s} 秒；落后不超过 ${readyLag.events} 个事件且 ${readyLag.seconds} 秒时即为就绪。`,
      });
    }
    return { ready: true, lag };
  };

  return {
    start() {
      if (stream.started || stream.restoring) return;
      stream.start().catch((e: Error) => fatal(e));
      void batch.init().then(
        () => batch.startSchedule(() => stream.workerSeq > 0),
        (e: Error) => log.error({ err: e.message }, 'batch schedule not started'),
      );
    },
    caughtUp: () => stream.caughtUp(),
    async stop() {
      // The worker first, so a batch run in progress ends now (recorded as failed) rather than holding
      // up the shutdown; the follower then stops after the page in hand. With no run in progress, the
      // follower stops first and the worker's memory is snapshotted, so the next start replays nothing.
      stopping = true;
      batch.halt();
      if (keeper && !batch.running && !failure && worker.running) {
        await stream.stop();
        await keeper.final(stream.storedSeq);
      }
      // During a batch run the worker is not waited for: a snapshot it has not answered is dropped.
      if (!batch.running) await keeper?.idle();
      await worker.close();
      await stream.stop();
      await batch.stop();
    },
    async status() {
      const r = await readiness();
      const [lastRun] = await repo.listRuns(1);
      return {
        last_seq: stream.storedSeq,
        events: stream.events,
        rules: admin.rules.rules.length,
        model,
        worker: failure ? 'failed' : worker.running ? 'running' : 'not started',
        ...(failure ? { error: failure.message } : {}),
        ready: r.ready,
        ...(r.reason ? { reason: r.reason.en } : {}),
        lag: r.lag,
        batch_running: batch.running,
        last_run: lastRun ?? null,
      };
    },
    readiness,
    signals: (f) => repo.listSignals(f),
    alerts: (f) => repo.listAlerts(f),
    alert: (kind, subject) => repo.getAlert(kind, subject),
    rings: (limit, min) => repo.listRings(limit, min),
    rules: () => admin.status(),
    ruleSource: () => admin.origin,
    reloadRules: (actor, opts) => admin.reload(actor, opts),
    ruleHistory: (limit, before) => admin.history(limit, before),
    ruleChange: (id) => admin.change(id),
    runBatch: (requestedBy) => batch.run('request', requestedBy),
    runs: (limit) => repo.listRuns(limit),
    async decide(e) {
      // The detectors' state stopped where the stream failed: no decision rather than one on stale state.
      const stopped = (f: Error) =>
        new AppError('not_ready', {
          en: `Decisions are unavailable: detection stopped (${f.message}).`,
          zh: `暂时无法作出决定：检测已停止（${f.message}）。`,
        });
      if (failure) throw stopped(failure);
      try {
        return await worker.request('decide', { event: e });
      } catch (err) {
        throw failure ? stopped(failure) : err;
      }
    },
  };
}
