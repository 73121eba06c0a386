// The log follower, on the main thread: reads the event log in arrival order, posts each page to the
// detection worker (whose stream engine holds the rules' windows), stores what the rules found and keeps
// alerts current. The next page is read only once the last one is processed and stored. On start the worker
// goes on from the newest snapshot that fits (snapshots-keeper.ts), else from nothing, and the log after it
// is replayed; signal ids come from their evidence, so the replay re-finds what was already stored without
// doubling it, and stores whatever a crash kept from being stored.
import type { EventLog, LogFollower, LoggedEvent } from '../events/index.ts';
import type { AlertBook } from './alerts.ts';
import type { DetectionRepository } from './repository.ts';
import type { Signal } from './signals.ts';
import type { RuleHits } from './stream/engine.ts';
import { ComputeError, type DetectWorker } from './worker/client.ts';
import type { PageResult, StreamProgress } from './worker/protocol.ts';

const CHECKPOINT = 'stream';

export interface FollowerOptions {
  /** Read the log again after this many ms when idle, for events other processes commit. */
  pollMs: number;
  /** Events per page read from the log; default 5,000. */
  pageSize?: number;
  /** Before following: puts the worker where a snapshot left off (undefined: nothing restored). */
  restore?(): Promise<StreamProgress | undefined>;
  /** After each page whose findings are stored; `behind`: the page was full, so more is waiting. */
  onStored?(seq: number, behind: boolean): void;
  /** Events the worker took in for the first time, after each page. */
  onProgress(fresh: LoggedEvent[]): void;
  /** The worker failed on a page: the stream cannot go on. */
  onFatal(e: Error): void;
  /** Storing the findings failed; the page is handed over again on the next wake or poll. */
  onStoreError(e: Error): void;
}

export class StreamFollower {
  /** Seq of the last event processed and whose findings are stored. */
  storedSeq = 0;
  /** Seq of the last event the worker has processed. */
  workerSeq = 0;
  /** Events the worker has processed since it started. */
  events = 0;
  /** The worker's latest per-rule hit counts. */
  hits: RuleHits[] = [];
  private unsaved: Signal[] = [];
  private follower: LogFollower | undefined;
  private starting: Promise<void> | undefined;
  /** Set while a snapshot is being restored, before the follower starts. */
  restoring = false;

  constructor(
    private readonly log: EventLog,
    private readonly repo: DetectionRepository,
    private readonly alerts: AlertBook,
    private readonly worker: DetectWorker,
    private readonly opts: FollowerOptions,
  ) {}

  get started(): boolean {
    return this.follower !== undefined;
  }

  /** Restores a snapshot if there is one, then follows the log after it; later calls do nothing. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.restoring = true;
      let from = 0;
      try {
        const p = await this.opts.restore?.();
        if (p) {
          from = p.lastSeq;
          this.events = p.events;
          this.hits = p.hits;
        }
      } finally {
        this.restoring = false;
      }
      this.storedSeq = this.workerSeq = from;
      if (this.stopped) return;
      this.follower = this.log.follow(from, (page) => this.handle(page), {
        pollMs: this.opts.pollMs,
        pageSize: this.pageSize,
      });
    })();
    return this.starting;
  }

  private get pageSize(): number {
    // 5,000 a page held the embedded store's thread 40–70 ms a read; 1,000 costs a cold replay ~13% more.
    return this.opts.pageSize ?? 1000;
  }

  /** Waits until every event committed so far has been through the rules. */
  async caughtUp(): Promise<void> {
    await this.start();
    await this.follower?.caughtUp();
    // A later wake of the stopped follower reads nothing and so clears its failure: this one stays.
    if (this.failed) throw this.failed;
  }

  /** The worker failed on a page: the stream stopped there for good. */
  private failed: Error | undefined;

  private stopped = false;

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => {});
    await this.follower?.stop();
  }

  private async handle(page: LoggedEvent[]): Promise<void> {
    // A page handed over again after a failed store: the worker has its first events already.
    const fresh = page.filter((p) => p.seq > this.workerSeq);
    if (fresh.length > 0) {
      let r: PageResult;
      try {
        r = await this.worker.request('page', { events: fresh.map(({ seq, event }) => ({ seq, event })) });
      } catch (e) {
        const err = e as Error;
        this.failed = err;
        const at = `${fresh[0].seq}–${fresh[fresh.length - 1].seq}`;
        this.opts.onFatal(
          e instanceof ComputeError
            ? Object.assign(new Error(`the rules failed on the events at seq ${at}: ${err.message}`), {
                stack: e.workerStack,
              })
            : err,
        );
        throw e;
      }
      this.workerSeq = r.lastSeq;
      this.events = r.events;
      this.hits = r.hits;
      this.unsaved.push(...r.found);
      this.opts.onProgress(fresh);
    }
    // Kept until stored, so a storage failure retried on the next wake loses no finding.
    try {
      await this.alerts.add(this.unsaved);
      this.unsaved = [];
      await this.repo.saveRuleHits(this.hits);
      await this.repo.checkpoint(CHECKPOINT, this.workerSeq);
    } catch (e) {
      this.opts.onStoreError(e as Error);
      throw e;
    }
    this.storedSeq = this.workerSeq;
    this.opts.onStored?.(this.storedSeq, page.length >= this.pageSize);
  }

  /** Called when the worker reports rule hits outside a page (after a rule reload). */
  setHits(hits: RuleHits[]): void {
    this.hits = hits;
  }
}
