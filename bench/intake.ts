// Intake figures for a million simulated events: validation alone, ingest into PGlite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ALL_MIGRATIONS } from '../src/app/migrations.ts';
import { checkEvent, EventsService, readNdjsonFile } from '../src/events/index.ts';
import { copyTextField } from '../src/platform/db/db.ts';
import { openDb } from '../src/platform/db/open.ts';
import { figure, heading, note, postgresUrl, rssMiB } from './support.ts';

async function ingestFile(service: EventsService, file: string): Promise<{ n: number; seconds: number }> {
  const t0 = performance.now();
  let n = 0;
  let next = 200_000;
  // The same pipeline as `tianping ingest`: check the next batch while the previous one commits.
  let pending: Promise<{ accepted: number; duplicates: number }> | undefined;
  const tally = (r: { accepted: number; duplicates: number }) => {
    n += r.accepted + r.duplicates;
    if (n >= next) {
      note(`${n.toLocaleString('en-US')} events stored`);
      next += 200_000;
    }
  };
  for await (const b of readNdjsonFile(file, 5000)) {
    const checked = service.check(b.records, 'line');
    if (pending) tally(await pending);
    pending = service.commit(checked);
    pending.catch(() => {});
  }
  if (pending) tally(await pending);
  return { n, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The server's own limit: the same rows, already in COPY's text format in memory, COPYed into a table
 * shaped like the events log (identity seq, unique id, jsonb data) in 5,000-row statements.
 */
async function plainCopy(url: string, schema: string, file: string): Promise<{ n: number; seconds: number }> {
  const chunks: string[] = [];
  let n = 0;
  for await (const b of readNdjsonFile(file, 5000)) {
    let text = '';
    for (const r of b.records) {
      const e = r.value as { id: string; type: string; time: string; data: Record<string, unknown> };
      const m = e.data.merchant_id;
      text += `${copyTextField(e.id)}\t${copyTextField(e.type)}\t${copyTextField(e.time)}\t${copyTextField(typeof m === 'string' ? m : null)}\t${copyTextField(JSON.stringify(e.data))}\n`;
      n++;
    }
    chunks.push(text);
  }
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(`create table copy_limit (
      seq bigint generated always as identity primary key, id text not null unique, type text not null,
      occurred_at timestamptz not null, merchant_id text, data jsonb not null,
      received_at timestamptz not null default now())`);
    const t0 = performance.now();
    for (const text of chunks) {
      await pipeline(
        Readable.from([text]),
        client.query(copyFrom('copy copy_limit (id, type, occurred_at, merchant_id, data) from stdin')),
      );
    }
    return { n, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await client.query('drop table if exists copy_limit');
    await client.end();
  }
}

export async function benchIntake(market: string) {
  const file = join(market, 'events.ndjson');
  heading('Event intake (one million simulated events)');

  // Validation alone: the file is already in memory as lines, so this is CPU only, on one core. Lines are
  // parsed and checked a chunk at a time, as intake does, so the heap stays the size of a batch.
  const lines: string[] = [];
  for await (const b of readNdjsonFile(file, 20000))
    for (const r of b.records) lines.push(JSON.stringify(r.value));
  let tp = 0;
  let tv = 0;
  let ok = 0;
  for (let i = 0; i < lines.length; i += 5000) {
    let t0 = performance.now();
    const parsed = lines.slice(i, i + 5000).map((l) => JSON.parse(l));
    tp += performance.now() - t0;
    t0 = performance.now();
    for (const v of parsed) if (checkEvent(v).ok) ok++;
    tv += performance.now() - t0;
  }
  figure(
    'validation: contract check, one core',
    (1000 * lines.length) / tv,
    'events/s',
    `${ok} valid of ${lines.length}`,
  );
  const bare = (1000 * lines.length) / tp;
  const checked = (1000 * lines.length) / (tp + tv);
  figure('limit: bare JSON.parse of the same lines', bare, 'events/s');
  figure(
    'validation: JSON.parse + contract check, one core',
    checked,
    'events/s',
    `${(checked / bare).toFixed(2)}× the limit`,
  );
  lines.length = 0;

  const dir = mkdtempSync(join(tmpdir(), 'tianping-bench-pglite-'));
  try {
    const db = await openDb({ dataDir: dir, migrations: ALL_MIGRATIONS });
    const r = await ingestFile(new EventsService(db), file);
    figure(
      'ingest into PGlite (file-backed)',
      r.n / r.seconds,
      'events/s',
      `${r.n} events in ${r.seconds.toFixed(1)} s`,
    );
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const pg = postgresUrl();
  if (!pg.url) {
    figure('ingest into PostgreSQL', 'skipped', '', pg.why ?? 'no server');
  } else {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const db = await openDb({ databaseUrl: pg.url, schema, migrations: ALL_MIGRATIONS });
    try {
      const limit = await plainCopy(pg.url, schema, file);
      figure(
        "limit: plain COPY into a table of the log's shape",
        limit.n / limit.seconds,
        'events/s',
        `${limit.n} rows in ${limit.seconds.toFixed(1)} s`,
      );
      const r = await ingestFile(new EventsService(db), file);
      figure(
        'ingest into PostgreSQL',
        r.n / r.seconds,
        'events/s',
        `${r.n} events in ${r.seconds.toFixed(1)} s, ${(r.n / r.seconds / (limit.n / limit.seconds)).toFixed(2)}× the limit`,
      );
    } finally {
      await db.exec(`drop schema ${schema} cascade`);
      await db.close();
      pg.stop();
    }
  }
  figure('peak memory (RSS) so far', rssMiB(), 'MiB');
}
