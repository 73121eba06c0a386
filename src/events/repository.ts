// The only code that touches the `events` table.
import { copyTextField, type Db } from '../platform/db/db.ts';
import type { MarketEvent } from './contract.ts';
import { merchantOf } from './contract.ts';

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  time: string;
  receivedAt: string;
  data: Record<string, unknown>;
}

const UNIQUE_VIOLATION = '23505';

function copyRows(events: MarketEvent[]): string {
  let out = '';
  for (const e of events) {
    out += `${copyTextField(e.id)}\t${copyTextField(e.type)}\t${copyTextField(e.time)}\t${copyTextField(
      merchantOf(e) ?? null,
    )}\t${copyTextField(JSON.stringify(e.data))}\n`;
  }
  return out;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export class EventRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends events in order and returns the ids that were new. One transaction per batch, so a batch is
   * stored whole or not at all, and a re-run after a crash only finds duplicates. Writers take turns (an advisory
   * lock held until commit, across processes too), so every committed event has a lower seq than any still
   * being written, and a reader following the log by seq never passes one.
   */
  async append(events: MarketEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const inserted = await this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(7242001)');
      // Where the driver streams COPY (PostgreSQL), a batch of new ids goes in by COPY, as fast as the
      // server takes rows. COPY cannot skip a duplicate, so one (a retried batch) undoes it and the batch
      // goes the plain way below, which can. Rows keep their order either way, so seq is arrival order.
      if (tx.copyFrom) {
        await tx.query('savepoint fresh_ids');
        try {
          await tx.copyFrom(
            'copy events (id, type, occurred_at, merchant_id, data) from stdin',
            copyRows(events),
          );
          await tx.query('release savepoint fresh_ids');
          return events.map((e) => ({ id: e.id }));
        } catch (e) {
          if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
          await tx.query('rollback to savepoint fresh_ids');
        }
      }
      return tx.query<{ id: string }>(
        `insert into events (id, type, occurred_at, merchant_id, data)
         select x->>'id', x->>'type', (x->>'time')::timestamptz, x->>'m', x->'data'
         from jsonb_array_elements($1::jsonb) with ordinality as t(x, n)
         order by n
         on conflict (id) do nothing
         returning id`,
        [
          JSON.stringify(
            events.map((e) => ({
              id: e.id,
              type: e.type,
              time: e.time,
              m: merchantOf(e) ?? null,
              data: e.data,
            })),
          ),
        ],
      );
    });
    return new Set(inserted.map((r) => r.id));
  }

  async get(id: string): Promise<StoredEvent | undefined> {
    const rows = await this.db.query(
      'select seq, id, type, occurred_at, received_at, data from events where id = $1',
      [id],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async count(): Promise<number> {
    const r = await this.db.query<{ n: number }>('select count(*)::int as n from events');
    return r[0].n;
  }

  /** Seq of the newest stored event (0 when none). */
  async lastSeq(): Promise<number> {
    const r = await this.db.query<{ s: string | number | null }>('select max(seq) as s from events');
    return Number(r[0].s ?? 0);
  }

  /** Events after `afterSeq` in arrival order: how detectors replay the log. */
  async after(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db.query(
      'select seq, id, type, occurred_at, received_at, data from events where seq > $1 order by seq limit $2',
      [afterSeq, limit],
    );
    return rows.map(toStored);
  }

  /** Events after `afterSeq` (counted up to `atMost`) and the age in seconds of the first of them. */
  async behind(afterSeq: number, atMost: number): Promise<{ events: number; seconds: number }> {
    const rows = await this.db.query<{ events: number; seconds: number | null }>(
      `select (select count(*)::int from (select 1 from events where seq > $1 order by seq limit $2) as t) as events,
              (select extract(epoch from now() - received_at)::float8 from events where seq > $1 order by seq limit 1) as seconds`,
      [afterSeq, atMost],
    );
    return { events: rows[0].events, seconds: Math.max(0, rows[0].seconds ?? 0) };
  }
}

function toStored(r: Record<string, unknown>): StoredEvent {
  return {
    seq: Number(r.seq),
    id: String(r.id),
    type: String(r.type),
    time: iso(r.occurred_at),
    receivedAt: iso(r.received_at),
    data: r.data as Record<string, unknown>,
  };
}
