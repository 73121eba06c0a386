// When snapshots are taken and how a start uses them. On start: the newest stored snapshot that fits the
// running rules and code goes to the worker, and the follower replays only the log after its seq; one that
// does not fit or does not check out is passed over with the reason logged, and with none the whole log is
// replayed. While running: the worker encodes one after enough new events or time, only after the findings
// of every event it covers are stored (so a crash right after never loses a signal: the tail replay finds
// again whatever was not stored, and stored ones are not doubled, their ids coming from their evidence);
// and one more at an orderly stop. Encoding runs in the worker, writing on libuv's threads or the database.
import { movable, refusal, type SnapshotHeader } from './snapshots.ts';
import type { SnapshotStore } from './snapshots-store.ts';
import type { DetectWorker } from './worker/client.ts';
import type { Ops, StreamProgress } from './worker/protocol.ts';

export interface SnapshotSchedule {
  /** Take one once this many events were processed since the last; 0: never by count. */
  everyEvents: number;
  /** Take one this long after the last, when events came since; 0: never by time. */
  everyMs: number;
}

export interface SnapshotLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Whole snapshots kept: the newest, and one before it should the newest turn out broken. */
const KEEP = 2;

/** What the last snapshot taken cost, for logs and the bench. */
export interface SnapshotTaken {
  header: SnapshotHeader;
  encodeSeconds: number;
  writeSeconds: number;
}

export class SnapshotKeeper {
  /** Seq of the newest snapshot stored or restored (0: none). */
  lastSeq = 0;
  /** The snapshot this start went on from, if any. */
  restoredFrom: SnapshotHeader | undefined;
  last: SnapshotTaken | undefined;
  private lastAt: number;
  private lastCostMs = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly store: SnapshotStore,
    private readonly worker: DetectWorker,
    /** The digest a snapshot must carry to fit the running rules and detectors. */
    private readonly digest: () => string,
    private readonly schedule: SnapshotSchedule,
    private readonly log: SnapshotLog,
    private readonly model: () => string | null,
    private readonly now: () => number = Date.now,
    /** The worker was told to preload the newest fitting snapshot of this (folder) store. */
    private preloaded = false,
  ) {
    this.lastAt = now();
  }

  /** Restores the newest snapshot that fits into the worker: where it stands then (undefined: at nothing). */
  async restore(): Promise<StreamProgress | undefined> {
    const where = this.store.where;
    let list: Awaited<ReturnType<SnapshotStore['list']>>;
    try {
      list = await this.store.list();
    } catch (e) {
      this.log.warn(
        { where, err: (e as Error).message },
        'snapshots cannot be listed; replaying the whole log',
      );
      return undefined;
    }
    const digest = this.digest();
    for (const s of list) {
      const passed = (reason: string) =>
        this.log.warn({ where, snapshot: s.id, seq: s.header.seq, reason }, 'snapshot not used');
      if (s.unreadable) {
        passed(s.unreadable);
        continue;
      }
      const why = refusal(s.header, digest);
      if (why) {
        passed(why.en);
        continue;
      }
      const t0 = performance.now();
      let r: Ops['restore']['out'];
      let readSeconds = 0;
      const size = s.header.bytes;
      if (this.preloaded) {
        // The worker reads this one (the newest that fits) from the folder itself.
        this.preloaded = false;
        r = await this.worker.request('restore', { preloaded: s.id });
      } else {
        let bytes: Uint8Array;
        try {
          bytes = await this.store.read(s.id);
        } catch (e) {
          passed(`it cannot be read: ${(e as Error).message}`);
          continue;
        }
        readSeconds = (performance.now() - t0) / 1000;
        const m = movable(bytes);
        r = await this.worker.request('restore', { bytes: m.bytes }, m.transfer);
      }
      if ('refused' in r) {
        passed(r.refused.en);
        continue;
      }
      this.restoredFrom = r.restored;
      this.lastSeq = r.restored.seq;
      this.lastAt = this.now();
      this.log.info(
        {
          where,
          snapshot: s.id,
          seq: r.restored.seq,
          events: r.restored.events,
          bytes: size,
          readSeconds,
          decodeSeconds: r.seconds,
        },
        'detection restored from a snapshot; replaying the log after it',
      );
      return r;
    }
    this.log.info(
      { where, passedOver: list.length },
      list.length ? 'no snapshot fits; replaying the whole log' : 'no snapshot yet; replaying the whole log',
    );
    return undefined;
  }

  /**
   * Called once the findings of every event up to `seq` are stored: takes a snapshot when one is due.
   * `behind`: more of the log is waiting (a replay), when snapshots are taken only far apart.
   */
  onStored(seq: number, behind: boolean): void {
    if (this.inFlight || !this.due(seq, behind)) return;
    this.inFlight = this.take().finally(() => {
      this.inFlight = undefined;
    });
  }

  private due(seq: number, behind: boolean): boolean {
    const since = seq - this.lastSeq;
    if (since <= 0) return false;
    const elapsed = this.now() - this.lastAt;
    // Snapshots take at most a tenth of the worker's time, however small the intervals are set.
    if (elapsed < 10 * this.lastCostMs) return false;
    const { everyEvents: n, everyMs: ms } = this.schedule;
    if (behind) return n > 0 && since >= 4 * n;
    return (n > 0 && since >= n) || (ms > 0 && elapsed >= ms);
  }

  /** Takes one now: the request reaches the worker before any later page does. Failures are logged. */
  private take(): Promise<void> {
    const asked = this.worker.request('snapshot', { model: this.model() });
    return (async () => {
      const t0 = performance.now();
      try {
        const { header, bytes, seconds } = await asked;
        const w0 = performance.now();
        await this.store.save(header, bytes);
        const writeSeconds = (performance.now() - w0) / 1000;
        this.lastSeq = header.seq;
        this.last = { header, encodeSeconds: seconds, writeSeconds };
        this.log.info(
          {
            where: this.store.where,
            seq: header.seq,
            events: header.events,
            bytes: bytes.byteLength,
            encodeSeconds: seconds,
            writeSeconds,
          },
          'snapshot stored',
        );
        await this.store.prune(KEEP);
      } catch (e) {
        this.log.warn({ where: this.store.where, err: (e as Error).message }, 'snapshot not stored');
      } finally {
        this.lastAt = this.now();
        this.lastCostMs = performance.now() - t0;
      }
    })();
  }

  /** At an orderly stop: waits for one in progress, then takes one more if events came since. */
  async final(seq: number): Promise<void> {
    await this.inFlight;
    if (seq > this.lastSeq) await this.take();
  }

  /** Waits for a snapshot in progress, if any. */
  async idle(): Promise<void> {
    await this.inFlight;
  }
}
