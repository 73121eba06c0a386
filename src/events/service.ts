// Intake: validate each record, store the good ones once, report the bad ones by position and field, and
// tell the rest of the house about what was new.
import type { Bus } from '../platform/bus.ts';
import type { Db } from '../platform/db/db.ts';
import type { Metrics } from '../platform/metrics.ts';
import { nextTurn } from '../platform/turns.ts';
import type { MarketEvent } from './contract.ts';
import { type EventLog, StoredEventLog } from './log.ts';
import { type IntakeMeter, intakeMeter } from './metrics.ts';
import type { RawRecord } from './ndjson.ts';
import { EventRepository, type StoredEvent } from './repository.ts';
import { checkEvent, type Rejection } from './validate.ts';

export type EventTopics = { 'events.appended': MarketEvent[] };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

/** Events per insert statement: about 10 ms of the embedded store's time each, other work let in between. */
const CHUNK = 500;

/** A validated batch, ready to store. */
export interface Checked {
  good: MarketEvent[];
  rejected: Rejection[];
  repeats: number;
  records: RawRecord[];
  posKind: 'line' | 'index';
}

export class EventsService {
  private readonly repo: EventRepository;
  private readonly stored: StoredEventLog;
  private readonly meter?: IntakeMeter;

  constructor(
    db: Db,
    private readonly bus?: Bus<EventTopics>,
    metrics?: Metrics,
  ) {
    this.repo = new EventRepository(db);
    this.stored = new StoredEventLog(this.repo);
    this.meter = metrics && intakeMeter(metrics);
  }

  /** The stored log in arrival order, for those who follow it (detection). */
  get log(): EventLog {
    return this.stored;
  }

  /**
   * Takes parsed records. `posKind` says whether positions are file lines or array indexes, so rejections
   * point where the sender will look.
   */
  async ingest(records: RawRecord[], posKind: 'line' | 'index'): Promise<IngestResult> {
    return this.ingestParts([{ records, posKind }]);
  }

  /**
   * One batch (a request's body) given a part at a time: each part is checked and stored before the next
   * is read, with other work let in between, so a large body is many short pieces of work, not one long
   * one. Lists at most `maxListed` rejections; `rejectedCount` counts them all.
   */
  async ingestParts(
    parts: Iterable<{ records: RawRecord[]; posKind: 'line' | 'index' }>,
    maxListed = Number.POSITIVE_INFINITY,
  ): Promise<IngestResult & { rejectedCount: number }> {
    const t0 = performance.now();
    const r = { accepted: 0, duplicates: 0, rejected: [] as Rejection[], rejectedCount: 0 };
    let first = true;
    for (const part of parts) {
      if (!first) await nextTurn();
      first = false;
      const p = await this.commit(this.check(part.records, part.posKind));
      r.accepted += p.accepted;
      r.duplicates += p.duplicates;
      r.rejectedCount += p.rejected.length;
      for (const x of p.rejected) if (r.rejected.length < maxListed) r.rejected.push(x);
    }
    this.meter?.took((performance.now() - t0) / 1000);
    return r;
  }

  /** The CPU half of intake: validation. Callers may check the next batch while the last one commits. */
  check(records: RawRecord[], posKind: 'line' | 'index'): Checked {
    const good: MarketEvent[] = [];
    const ids = new Set<string>();
    let repeats = 0;
    const rejected: Rejection[] = [];
    const at = (pos: number) => (posKind === 'line' ? { line: pos } : { index: pos });
    for (const r of records) {
      if (r.error) {
        rejected.push({ ...at(r.pos), errors: [r.error] });
        continue;
      }
      const c = checkEvent(r.value, { plain: r.plain });
      if (c.ok) {
        // A repeat inside one batch is a duplicate like any other.
        if (ids.has(c.event.id)) repeats++;
        else {
          ids.add(c.event.id);
          good.push(c.event);
        }
      } else rejected.push({ ...at(r.pos), id: c.id, errors: c.errors });
    }
    return { good, rejected, repeats, records, posKind };
  }

  /**
   * The storage half of intake: appends the checked events in order and publishes the new ones. Commits
   * run one at a time, so arrival order (seq) is also commit order and a reader following the log by seq
   * never passes an event still being written.
   */
  commit(checked: Checked): Promise<IngestResult> {
    const run = this.tail.then(() => this.commitNow(checked));
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private tail: Promise<void> = Promise.resolve();

  private async commitNow(checked: Checked): Promise<IngestResult> {
    const { good, records, posKind, repeats } = checked;
    const rejected = [...checked.rejected];
    let accepted = 0;
    let unstorable = 0;
    for (let i = 0; i < good.length; i += CHUNK) {
      if (i > 0) await nextTurn();
      const chunk = good.slice(i, i + CHUNK);
      const { fresh, failed } = await this.store(chunk, records, posKind);
      rejected.push(...failed);
      unstorable += failed.length;
      accepted += fresh.length;
      if (fresh.length > 0) {
        this.stored.wake();
        if (this.bus) await this.bus.emit('events.appended', fresh);
      }
    }
    const result = { accepted, duplicates: good.length - accepted - unstorable + repeats, rejected };
    this.meter?.counted(result);
    return result;
  }

  /**
   * Stores a chunk; if the database refuses it, stores record by record so one bad value loses nothing else.
   * A last resort only: validation already rejects what the database is known to refuse (NUL, lone
   * surrogates, times out of range, deep nesting), so ordinary hostile input never gets here.
   */
  private async store(
    chunk: MarketEvent[],
    records: RawRecord[],
    posKind: 'line' | 'index',
  ): Promise<{ fresh: MarketEvent[]; failed: Rejection[] }> {
    try {
      const ids = await this.repo.append(chunk);
      return { fresh: chunk.filter((e) => ids.has(e.id)), failed: [] };
    } catch {
      const fresh: MarketEvent[] = [];
      const failed: Rejection[] = [];
      let where: Map<unknown, number> | undefined;
      for (const e of chunk) {
        try {
          const ids = await this.repo.append([e]);
          if (ids.has(e.id)) fresh.push(e);
        } catch (err) {
          // Built once, on the first failure: a search of all records per failed row would be quadratic.
          where ??= new Map(records.map((r) => [r.value, r.pos]));
          const at = where.get(e);
          const pos = at === undefined ? {} : posKind === 'line' ? { line: at } : { index: at };
          failed.push({
            ...pos,
            id: e.id,
            errors: [
              { field: '(storage)', reason: `could not be stored: ${(err as Error).message.split('\n')[0]}` },
            ],
          });
        }
      }
      return { fresh, failed };
    }
  }

  get(id: string): Promise<StoredEvent | undefined> {
    return this.repo.get(id);
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
