// The log reader others follow: pages of stored events after a sequence number, and a follower that reads
// every page as it is committed. Commits run one at a time (service.ts), so seq order is commit order and a
// follower never passes an event still being written.
import { nextTurn } from '../platform/turns.ts';
import type { MarketEvent } from './contract.ts';
import type { EventRepository } from './repository.ts';

export interface LoggedEvent {
  /** Arrival order in Tianping, from 1. */
  seq: number;
  event: MarketEvent;
  receivedAt: string;
}

/** What a follower calls with each page; the next page is read only after it resolves. */
export type PageHandler = (page: LoggedEvent[]) => Promise<void>;

export interface LogFollower {
  /** Sequence number of the last event handed over. */
  readonly seq: number;
  /** Resolves once every event committed before the call has been handed over. */
  caughtUp(): Promise<void>;
  /** Stops after the page in hand; resolves when it is done. */
  stop(): Promise<void>;
}

/** How far a reader at some seq is behind the log. */
export interface Behind {
  /** Events stored after it, counted up to the `atMost` asked for. */
  events: number;
  /** Age of the oldest of them (0 when there is none), by the database's clock. */
  seconds: number;
}

export interface FollowOptions {
  pageSize?: number;
  /**
   * When idle, read again after this many ms even without a wake: events committed by other processes
   * (which this process's intake does not wake for) are then handed over within that bound.
   */
  pollMs?: number;
}

export interface EventLog {
  /** Up to `limit` events after `afterSeq`, in arrival order. */
  page(afterSeq: number, limit: number): Promise<LoggedEvent[]>;
  /** Seq of the newest stored event (0 when none): how far behind a follower is. */
  head(): Promise<number>;
  /** Hands every event after `fromSeq` to `onPage`, now and as new events are committed, until stopped. */
  follow(fromSeq: number, onPage: PageHandler, opts?: FollowOptions): LogFollower;
  /** How far a reader that has handled every event up to `afterSeq` is behind. */
  behind(afterSeq: number, atMost: number): Promise<Behind>;
}

/** Events per page: reading 5,000 at once held the embedded store's thread for 40–70 ms. */
const PAGE = 1000;

/** The log over the events table; `wake()` is called by intake after each commit. */
export class StoredEventLog implements EventLog {
  private readonly followers = new Set<Follower>();

  constructor(private readonly repo: EventRepository) {}

  async page(afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    const rows = await this.repo.after(afterSeq, limit);
    return rows.map((e) => ({
      seq: e.seq,
      event: { id: e.id, type: e.type, time: e.time, data: e.data } as MarketEvent,
      receivedAt: e.receivedAt,
    }));
  }

  head(): Promise<number> {
    return this.repo.lastSeq();
  }

  behind(afterSeq: number, atMost: number): Promise<Behind> {
    return this.repo.behind(afterSeq, atMost);
  }

  follow(fromSeq: number, onPage: PageHandler, opts: FollowOptions = {}): LogFollower {
    const f = new Follower(this, fromSeq, onPage, opts.pageSize ?? PAGE, opts.pollMs, () =>
      this.followers.delete(f),
    );
    this.followers.add(f);
    f.wake();
    return f;
  }

  /** New events were committed: every follower reads on. */
  wake(): void {
    for (const f of this.followers) f.wake();
  }
}

class Follower implements LogFollower {
  // Pumps run one after another on this chain, so no two ever hand over the same page.
  private tail: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private failure: unknown;
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: EventLog,
    public seq: number,
    private readonly onPage: PageHandler,
    private readonly pageSize: number,
    private readonly pollMs: number | undefined,
    private readonly onStop: () => void,
  ) {}

  wake(): void {
    if (this.stopped || this.queued) return;
    clearTimeout(this.poll);
    this.queued = true;
    this.tail = this.tail
      .then(() => {
        this.queued = false;
        return this.pump();
      })
      .then(
        () => {
          this.failure = undefined;
        },
        (e) => {
          // Kept for the next caughtUp(); the next wake (or poll) retries from the last page handed over.
          this.failure = e;
        },
      )
      .then(() => this.schedulePoll());
  }

  private schedulePoll(): void {
    if (this.pollMs === undefined || this.stopped || this.queued) return;
    clearTimeout(this.poll);
    // Unref'd: an idle follower never keeps the process alive.
    this.poll = setTimeout(() => this.wake(), this.pollMs).unref();
  }

  async caughtUp(): Promise<void> {
    this.wake();
    await this.tail;
    if (this.failure !== undefined) {
      const e = this.failure;
      this.failure = undefined;
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.poll);
    this.onStop();
    await this.tail;
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const page = await this.log.page(this.seq, this.pageSize);
      if (page.length === 0) return;
      await this.onPage(page);
      this.seq = page[page.length - 1].seq;
      // Other work (HTTP requests) is let in between pages.
      await nextTurn();
    }
  }
}
