// Batch runs (rings and the learned scorer): one at a time, on demand, on a schedule by time and by new
// events, each recorded with what started it and what it changed. The compute runs in the detection
// worker; this side reads the rules' stored signals for it and stores the rings and signals it returns.
import type { LoggedEvent } from '../events/index.ts';
import type { AlertBook } from './alerts.ts';
import type { BatchRun, DetectionRepository, RunTrigger } from './repository.ts';
import type { DetectWorker } from './worker/client.ts';

export interface BatchSchedule {
  /** Run this long after the last run ended, when events came since; 0: never by time. */
  everyMs: number;
  /** Run once this many new events have been through the rules since the last run; 0: never by count. */
  everyEvents: number;
}

export interface RunLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class BatchRunner {
  private current: Promise<BatchRun> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The seq the last finished run covered, as stored when this process started; replayed events up to it are not new. */
  private baselineSeq = 0;
  /** Events processed after the baseline; how many of them the last run that finished well saw, and the last run at all. */
  private processed = 0;
  private seenByLast = 0;
  private seenByTried = 0;
  private ready: Promise<void> | undefined;
  /** Set once the schedule started and the rules first caught up: the start-up replay starts no run. */
  private live = false;

  constructor(
    private readonly repo: DetectionRepository,
    private readonly alerts: AlertBook,
    private readonly worker: DetectWorker,
    /** Resolves once the rules have caught up with the log. */
    private readonly caughtUp: () => Promise<void>,
    private readonly schedule: BatchSchedule,
    private readonly log: RunLog,
    /** Told of each finished run (the metrics). */
    private readonly onFinished: (run: BatchRun) => void = () => {},
  ) {}

  get scheduled(): boolean {
    return this.schedule.everyMs > 0 || this.schedule.everyEvents > 0;
  }

  /** Reads where the last run stopped and closes runs a stopped server left open. Called once, on start. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.repo.interruptRuns();
      const [last] = await this.repo.listRuns(1, 'done');
      this.baselineSeq = last?.throughSeq ?? 0;
    })();
    return this.ready;
  }

  /** Starts the schedule: one run once the rules have caught up (the worker's scores start empty), then by time and count. */
  startSchedule(hasEvents: () => boolean): void {
    if (!this.scheduled) return;
    this.caughtUp()
      .then(() => {
        this.live = true;
        if (!this.stopped && hasEvents()) void this.run('start').catch(() => {});
        else this.arm();
      })
      .catch(() => {});
  }

  /** The follower's report after each page: counts new events and starts a run by count when due. */
  onProgress(fresh: LoggedEvent[]): void {
    for (const e of fresh) if (e.seq > this.baselineSeq) this.processed++;
    this.byCount();
  }

  private byCount(): void {
    const every = this.schedule.everyEvents;
    if (
      every > 0 &&
      this.live &&
      !this.current &&
      !this.stopped &&
      this.processed - this.seenByTried >= every
    )
      void this.run('events').catch(() => {});
  }

  /** Runs now, or joins the run in progress (whoever started it). */
  run(trigger: RunTrigger, requestedBy?: string): Promise<BatchRun> {
    if (this.current) return this.current;
    const run = this.runNow(trigger, requestedBy).finally(() => {
      this.current = undefined;
      this.arm();
      // Events that came during the run may already make the next one due.
      this.byCount();
    });
    this.current = run;
    return run;
  }

  /** The run in progress, if any. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** No more runs start by themselves. */
  halt(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Halts, and waits for the run in progress to be recorded. */
  async stop(): Promise<void> {
    this.halt();
    await this.current?.catch(() => {});
  }

  private arm(): void {
    if (this.stopped || !this.live || this.schedule.everyMs <= 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.current || this.processed === this.seenByTried) this.arm();
      else void this.run('schedule').catch(() => {});
    }, this.schedule.everyMs).unref();
  }

  private async runNow(trigger: RunTrigger, requestedBy?: string): Promise<BatchRun> {
    await this.init();
    const started = await this.repo.startRun(trigger, requestedBy);
    const t0 = performance.now();
    // A run that fails is not retried at once: the next is due after as many events, or as long, again.
    let seen = this.processed;
    try {
      // The scorer reads the rules' signals, so the rules go first.
      await this.caughtUp();
      // What an earlier run that failed part-way fed is dropped first; then the pages as they are read.
      await this.worker.request('feed', { signals: [], first: true });
      for await (const signals of this.repo.ruleSignalPages())
        await this.worker.request('feed', { signals, first: false });
      const out = await this.worker.request('batch', {});
      // Every page the worker processed before this run has been counted by now (replies come in order).
      seen = this.processed;
      await this.repo.replaceRings(out.rings);
      const added = await this.alerts.add(out.signals);
      const done = await this.repo.finishRun(started.id, {
        seconds: (performance.now() - t0) / 1000,
        throughSeq: out.throughSeq,
        newEvents: seen - this.seenByLast,
        rings: out.summary.rings,
        suspiciousRings: out.summary.suspiciousRings,
        signals: out.summary.signals,
        signalsAdded: added,
        scored: out.summary.scored,
      });
      this.seenByLast = seen;
      this.log.info({ run: done }, 'batch run done');
      this.onFinished(done);
      return done;
    } catch (e) {
      const message = (e as Error).message;
      this.log.error({ run: started.id, trigger, err: message }, 'batch run failed');
      const failed = await this.repo.failRun(started.id, (performance.now() - t0) / 1000, message);
      this.onFinished(failed);
      return failed;
    } finally {
      this.seenByTried = seen;
    }
  }
}
