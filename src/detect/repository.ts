// The only code that touches detection's tables: signals, alerts, rule hit counts and changes, checkpoints,
// rings.
import type { Db } from '../platform/db/db.ts';
import { nextTurn } from '../platform/turns.ts';
import type { LiveSummary } from './alerts.ts';
import type { Ring } from './graph/rings.ts';
import type { Explanation, Signal, SignalFacts, SubjectKind } from './signals.ts';
import type { RuleHits } from './stream/engine.ts';

export interface SignalFilter {
  kind?: SubjectKind;
  subject?: string;
  rule?: string;
  detector?: string;
  mode?: 'live' | 'shadow';
  minScore?: number;
  since?: string;
  limit: number;
  /** Keyset cursor: signals strictly older than this (at, id). */
  before?: { at: string; id: string };
}

export interface Alert {
  kind: SubjectKind;
  subject: string;
  score: number;
  signals: number;
  topExplanation: Explanation;
  firstAt: string;
  lastAt: string;
  status: string;
}

export type StoredRing = Ring & { suspicion: number; found_at: string };

export type RunTrigger = 'start' | 'schedule' | 'events' | 'request';

/** One batch run as recorded. Counts are set when it is done. */
export interface BatchRun {
  id: number;
  trigger: RunTrigger;
  /** The API key's name, for runs asked for over HTTP. */
  requestedBy?: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  /** The last event (seq) the run's stream state held. */
  throughSeq?: number;
  /** Events processed since the run before. */
  newEvents?: number;
  rings?: number;
  suspiciousRings?: number;
  /** Signals the run found (scorer and ring membership), and how many of them were not stored before. */
  signals?: number;
  signalsAdded?: number;
  scored?: number;
  error?: string;
}

export type RunCounts = Required<
  Pick<
    BatchRun,
    | 'seconds'
    | 'throughSeq'
    | 'newEvents'
    | 'rings'
    | 'suspiciousRings'
    | 'signals'
    | 'signalsAdded'
    | 'scored'
  >
>;

export interface AlertFilter {
  kind?: SubjectKind;
  minScore?: number;
  status?: string;
  limit: number;
  offset: number;
}

/** One change to the rules in force, as recorded. */
export interface RuleChange {
  id: number;
  at: string;
  /** How it came: over the API (with a key), or a signal to the process (SIGHUP). */
  via: 'api' | 'signal';
  key?: { id: string; name: string };
  reason?: string;
  /** Where the text came from: the request body, or the file that was read again. */
  source: string;
  /** Where the new file was stored (the data folder), when it was. */
  storedPath?: string;
  sha256: string;
  rules: number;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
const num = (v: unknown) => (v == null ? undefined : Number(v));

function toRun(r: Record<string, unknown>): BatchRun {
  return {
    id: Number(r.id),
    trigger: r.trigger as RunTrigger,
    requestedBy: r.requested_by == null ? undefined : String(r.requested_by),
    status: r.status as BatchRun['status'],
    startedAt: iso(r.started_at),
    finishedAt: r.finished_at == null ? undefined : iso(r.finished_at),
    seconds: num(r.seconds),
    throughSeq: num(r.through_seq),
    newEvents: num(r.new_events),
    rings: num(r.rings),
    suspiciousRings: num(r.suspicious_rings),
    signals: num(r.signals),
    signalsAdded: num(r.signals_added),
    scored: num(r.scored),
    error: r.error == null ? undefined : String(r.error),
  };
}

/** A stored signal: what the features read (toSignalFacts), and the evidence and explanation for people. */
function toSignal(r: Record<string, unknown>): Signal {
  return {
    ...toSignalFacts(r),
    detectorVersion: String(r.detector_version),
    evidence: r.evidence as string[],
    explanation: r.explanation as Explanation,
  };
}

function toSignalFacts(r: Record<string, unknown>): SignalFacts {
  return {
    id: String(r.id),
    kind: r.kind as SubjectKind,
    subject: String(r.subject),
    score: Number(r.score),
    detector: String(r.detector),
    ruleId: r.rule_id == null ? undefined : String(r.rule_id),
    mode: r.mode as Signal['mode'],
    facts: (r.facts as Record<string, number> | null) ?? undefined,
    at: iso(r.at),
  };
}

function toRuleChange(r: Record<string, unknown>): RuleChange {
  return {
    id: Number(r.id),
    at: iso(r.at),
    via: r.via as RuleChange['via'],
    key: r.key_id == null ? undefined : { id: String(r.key_id), name: String(r.key_name ?? '') },
    reason: r.reason == null ? undefined : String(r.reason),
    source: String(r.source),
    storedPath: r.stored_path == null ? undefined : String(r.stored_path),
    sha256: String(r.sha256),
    rules: Number(r.rules),
  };
}

function toAlert(r: Record<string, unknown>): Alert {
  return {
    kind: r.kind as SubjectKind,
    subject: String(r.subject),
    score: Number(r.score),
    signals: Number(r.signals),
    topExplanation: r.top_explanation as Explanation,
    firstAt: iso(r.first_at),
    lastAt: iso(r.last_at),
    status: String(r.status),
  };
}

export class DetectionRepository {
  constructor(private readonly db: Db) {}

  /** Stores signals; those already stored (same id) are left alone. Returns the ids that were new. */
  async insertSignals(signals: Signal[]): Promise<Set<string>> {
    if (signals.length === 0) return new Set();
    const rows = await this.db.query<{ id: string }>(
      `insert into signals (id, kind, subject, score, detector, detector_version, rule_id, mode, evidence, explanation, facts, at)
       select x->>'id', x->>'kind', x->>'subject', (x->>'score')::float8, x->>'detector', x->>'detectorVersion',
              x->>'ruleId', x->>'mode', array(select jsonb_array_elements_text(x->'evidence')), x->'explanation',
              x->'facts', (x->>'at')::timestamptz
       from jsonb_array_elements($1::jsonb) as t(x)
       on conflict (id) do nothing
       returning id`,
      [JSON.stringify(signals)],
    );
    return new Set(rows.map((r) => r.id));
  }

  async listSignals(f: SignalFilter): Promise<Signal[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.kind) add('kind = ?', f.kind);
    if (f.subject) add('subject = ?', f.subject);
    if (f.rule) add('rule_id = ?', f.rule);
    if (f.detector) add('detector = ?', f.detector);
    if (f.mode) add('mode = ?', f.mode);
    if (f.minScore !== undefined) add('score >= ?', f.minScore);
    if (f.since) add('at >= ?', f.since);
    if (f.before) {
      params.push(f.before.at, f.before.id);
      where.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(f.limit);
    const rows = await this.db.query(
      `select * from signals ${where.length ? `where ${where.join(' and ')}` : ''} order by at desc, id desc limit $${params.length}`,
      params,
    );
    return rows.map(toSignal);
  }

  /**
   * Every signal a rule raised (live and shadow), oldest first, a page at a time: what the learned
   * scorer's features read. Only the columns those read (no evidence, no explanation), and other work
   * let in between pages, so no single query or parse holds up the thread for long.
   */
  async *ruleSignalPages(pageSize = 250): AsyncGenerator<SignalFacts[]> {
    let last: SignalFacts | undefined;
    for (;;) {
      const rows = await this.db.query(
        `select id, kind, subject, score, detector, rule_id, mode, at, facts from signals
         where rule_id is not null ${last ? 'and (at, id) > ($2::timestamptz, $3)' : ''}
         order by at, id limit $1`,
        last ? [pageSize, last.at, last.id] : [pageSize],
      );
      const page = rows.map(toSignalFacts);
      if (page.length > 0) yield page;
      if (rows.length < pageSize) return;
      last = page[page.length - 1];
      await nextTurn();
    }
  }

  /**
   * Per subject, what its alert reads: the strongest live signal of each rule or detector (ties: the
   * smallest id), and the count and times of all its live signals. A subject with thousands of signals
   * costs a handful of rows, not thousands.
   */
  async liveSummaries(subjects: Array<{ kind: string; subject: string }>): Promise<LiveSummary[]> {
    if (subjects.length === 0) return [];
    const rows = await this.db.query(
      `with u as (select * from unnest($1::text[], $2::text[]) as u(kind, subject)),
       live as (select s.* from signals s join u on s.kind = u.kind and s.subject = u.subject where s.mode = 'live'),
       best as (select distinct on (kind, subject, coalesce(rule_id, detector)) * from live
                order by kind, subject, coalesce(rule_id, detector), score desc, id),
       stats as (select kind, subject, count(*)::int as n, min(at) as first_at, max(at) as last_at
                 from live group by kind, subject)
       select best.*, stats.n as live_count, stats.first_at as live_first_at, stats.last_at as live_last_at
       from best join stats on stats.kind = best.kind and stats.subject = best.subject`,
      [subjects.map((x) => x.kind), subjects.map((x) => x.subject)],
    );
    const by = new Map<string, LiveSummary>();
    for (const r of rows) {
      const k = `${r.kind}\u0000${r.subject}`;
      let sum = by.get(k);
      if (!sum) {
        sum = {
          best: [],
          count: Number(r.live_count),
          firstAt: iso(r.live_first_at),
          lastAt: iso(r.live_last_at),
        };
        by.set(k, sum);
      }
      sum.best.push(toSignal(r));
    }
    return [...by.values()];
  }

  /** Writes alert scores; an alert's status (open, closed…) is kept when its score changes. */
  async upsertAlerts(alerts: Omit<Alert, 'status'>[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.db.query(
      `insert into alerts (kind, subject, score, signals, top_explanation, first_at, last_at)
       select x->>'kind', x->>'subject', (x->>'score')::float8, (x->>'signals')::int, x->'topExplanation',
              (x->>'firstAt')::timestamptz, (x->>'lastAt')::timestamptz
       from jsonb_array_elements($1::jsonb) as t(x)
       on conflict (kind, subject) do update set
         score = excluded.score, signals = excluded.signals, top_explanation = excluded.top_explanation,
         first_at = least(alerts.first_at, excluded.first_at), last_at = greatest(alerts.last_at, excluded.last_at),
         updated_at = now()`,
      [JSON.stringify(alerts)],
    );
  }

  async listAlerts(f: AlertFilter): Promise<Alert[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.kind) {
      params.push(f.kind);
      where.push(`kind = $${params.length}`);
    }
    if (f.minScore !== undefined) {
      params.push(f.minScore);
      where.push(`score >= $${params.length}`);
    }
    if (f.status) {
      params.push(f.status);
      where.push(`status = $${params.length}`);
    }
    params.push(f.limit, f.offset);
    const rows = await this.db.query(
      `select * from alerts ${where.length ? `where ${where.join(' and ')}` : ''}
       order by score desc, last_at desc, kind, subject limit $${params.length - 1} offset $${params.length}`,
      params,
    );
    return rows.map(toAlert);
  }

  async getAlert(kind: string, subject: string): Promise<Alert | undefined> {
    const rows = await this.db.query('select * from alerts where kind = $1 and subject = $2', [
      kind,
      subject,
    ]);
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async saveRuleHits(hits: RuleHits[]): Promise<void> {
    if (hits.length === 0) return;
    await this.db.query(
      `insert into rule_hits (rule_id, kind, mode, hits, last_hit_at)
       select x->>'rule', x->>'kind', x->>'mode', (x->>'hits')::bigint, (x->>'lastHitAt')::timestamptz
       from jsonb_array_elements($1::jsonb) as t(x)
       on conflict (rule_id) do update set kind = excluded.kind, mode = excluded.mode,
         hits = greatest(rule_hits.hits, excluded.hits), last_hit_at = coalesce(excluded.last_hit_at, rule_hits.last_hit_at),
         updated_at = now()`,
      [JSON.stringify(hits)],
    );
  }

  async storedRuleHits(): Promise<Map<string, { hits: number; lastHitAt?: string }>> {
    const rows = await this.db.query('select rule_id, hits, last_hit_at from rule_hits');
    return new Map(
      rows.map((r) => [
        String(r.rule_id),
        { hits: Number(r.hits), lastHitAt: r.last_hit_at ? iso(r.last_hit_at) : undefined },
      ]),
    );
  }

  async recordRuleChange(c: Omit<RuleChange, 'id'> & { text: string }): Promise<RuleChange> {
    const rows = await this.db.query(
      `insert into rule_changes (at, via, key_id, key_name, reason, source, stored_path, sha256, rules, rules_text)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       returning id, at, via, key_id, key_name, reason, source, stored_path, sha256, rules`,
      [
        c.at,
        c.via,
        c.key?.id ?? null,
        c.key?.name ?? null,
        c.reason ?? null,
        c.source,
        c.storedPath ?? null,
        c.sha256,
        c.rules,
        c.text,
      ],
    );
    return toRuleChange(rows[0]);
  }

  /** Changes to the rules, newest first; `before`: only those with a smaller id (the next page). */
  async listRuleChanges(limit: number, before?: number): Promise<RuleChange[]> {
    const rows = await this.db.query(
      `select id, at, via, key_id, key_name, reason, source, stored_path, sha256, rules from rule_changes
       ${before === undefined ? '' : 'where id < $2'} order by id desc limit $1`,
      before === undefined ? [limit] : [limit, before],
    );
    return rows.map(toRuleChange);
  }

  /** One change with the rule file it put in force. */
  async getRuleChange(id: number): Promise<(RuleChange & { text: string }) | undefined> {
    const rows = await this.db.query('select * from rule_changes where id = $1', [id]);
    return rows[0] ? { ...toRuleChange(rows[0]), text: String(rows[0].rules_text) } : undefined;
  }

  async checkpoint(name: string, seq: number): Promise<void> {
    await this.db.query(
      `insert into detector_checkpoints (name, last_seq) values ($1, $2)
       on conflict (name) do update set last_seq = excluded.last_seq, updated_at = now()`,
      [name, seq],
    );
  }

  /**
   * Replaces the stored rings with this run's, in one transaction (readers see the old set or the new),
   * inserted some at a time with other work let in between: a large run's rings in one statement held up
   * the thread for 50–150 ms.
   */
  async replaceRings(rings: Array<Ring & { suspicion: number }>, bytesPerStatement = 32_768): Promise<void> {
    // Rings differ in size by hundreds of times (a ring's members, its evidence), so they are cut by size.
    const chunks: string[][] = [];
    let size = bytesPerStatement;
    for (const r of rings) {
      const json = JSON.stringify(r);
      if (size + json.length > bytesPerStatement) {
        chunks.push([]);
        size = 0;
      }
      chunks[chunks.length - 1].push(json);
      size += json.length;
    }
    await this.db.transaction(async (tx) => {
      await tx.query('delete from rings');
      for (const chunk of chunks) {
        await nextTurn();
        await tx.query(
          `insert into rings (id, method, members, merchants, identifiers, score, density, suspicion, evidence)
           select x->>'id', x->>'method',
             array(select jsonb_array_elements_text(x->'members')), array(select jsonb_array_elements_text(x->'merchants')),
             array(select jsonb_array_elements_text(x->'identifiers')), (x->>'score')::float8, (x->>'density')::float8,
             (x->>'suspicion')::float8, array(select jsonb_array_elements_text(x->'evidence'))
           from jsonb_array_elements($1::jsonb) as t(x)`,
          [`[${chunk.join(',')}]`],
        );
      }
    });
  }

  async listRings(limit: number, minSuspicion = 0): Promise<StoredRing[]> {
    const rows = await this.db.query(
      'select * from rings where suspicion >= $1 order by suspicion desc, score desc limit $2',
      [minSuspicion, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      method: r.method as Ring['method'],
      members: r.members as string[],
      merchants: r.merchants as string[],
      identifiers: r.identifiers as string[],
      score: Number(r.score),
      density: Number(r.density),
      suspicion: Number(r.suspicion),
      evidence: r.evidence as string[],
      found_at: iso(r.found_at),
    }));
  }

  async startRun(trigger: RunTrigger, requestedBy?: string): Promise<BatchRun> {
    const rows = await this.db.query(
      'insert into detection_runs (trigger, requested_by) values ($1, $2) returning *',
      [trigger, requestedBy ?? null],
    );
    return toRun(rows[0]);
  }

  async finishRun(id: number, c: RunCounts): Promise<BatchRun> {
    const rows = await this.db.query(
      `update detection_runs set status = 'done', finished_at = now(), seconds = $2, through_seq = $3,
         new_events = $4, rings = $5, suspicious_rings = $6, signals = $7, signals_added = $8, scored = $9
       where id = $1 returning *`,
      [
        id,
        c.seconds,
        c.throughSeq,
        c.newEvents,
        c.rings,
        c.suspiciousRings,
        c.signals,
        c.signalsAdded,
        c.scored,
      ],
    );
    return toRun(rows[0]);
  }

  async failRun(id: number, seconds: number, error: string): Promise<BatchRun> {
    const rows = await this.db.query(
      `update detection_runs set status = 'failed', finished_at = now(), seconds = $2, error = $3
       where id = $1 returning *`,
      [id, seconds, error],
    );
    return toRun(rows[0]);
  }

  /** Runs left 'running' by a server that stopped before they finished. */
  async interruptRuns(): Promise<void> {
    await this.db.query(
      `update detection_runs set status = 'failed', finished_at = now(),
         error = 'interrupted: the server stopped before the run finished'
       where status = 'running'`,
    );
  }

  /** Newest first; `status` keeps only runs in that state. */
  async listRuns(limit: number, status?: BatchRun['status']): Promise<BatchRun[]> {
    const rows = await this.db.query(
      `select * from detection_runs ${status ? 'where status = $2' : ''} order by id desc limit $1`,
      status ? [limit, status] : [limit],
    );
    return rows.map(toRun);
  }
}
