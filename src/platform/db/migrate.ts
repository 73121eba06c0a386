// Versioned migrations: each capability keeps its SQL in `src/<capability>/migrations/NNNN-name.sql`; the
// numbers are one sequence across the project. Plain SQL, so PGlite and PostgreSQL run the same files.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import type { Db } from './db.ts';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Migration {
  version: number;
  name: string;
  owner: string;
  sql: string;
  checksum: string;
}

export function listMigrations(srcDir = SRC): Migration[] {
  const out: Migration[] = [];
  for (const owner of readdirSync(srcDir)) {
    const dir = join(srcDir, owner, 'migrations');
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      const m = /^(\d{4})-([a-z0-9-]+)\.sql$/.exec(f);
      if (!m) continue;
      const sql = readFileSync(join(dir, f), 'utf8');
      out.push({
        version: Number(m[1]),
        name: m[2],
        owner,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      });
    }
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i].version === out[i - 1].version) {
      throw new AppError(
        'internal',
        `Two migrations share version ${out[i].version}: ${out[i - 1].owner}/${out[i - 1].name} and ${out[i].owner}/${out[i].name}.`,
      );
    }
  }
  return out;
}

/** Applies pending migrations in order, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  await db.exec(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied = new Map(
    (
      await db.query<{ version: number; checksum: string }>('select version, checksum from schema_migrations')
    ).map((r) => [r.version, r.checksum]),
  );
  const done: number[] = [];
  for (const m of listMigrations()) {
    const had = applied.get(m.version);
    if (had !== undefined) {
      if (had !== m.checksum) {
        throw new AppError(
          'internal',
          `Migration ${m.version} (${m.owner}/${m.name}) was changed after it was applied; add a new migration instead.`,
        );
      }
      continue;
    }
    await db.transaction(async (tx) => {
      // Two servers starting together on one PostgreSQL must not apply the same migration twice.
      if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock(724201)');
      const again = await tx.query('select 1 from schema_migrations where version = $1', [m.version]);
      if (again.length > 0) return;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        `${m.owner}/${m.name}`,
        m.checksum,
      ]);
      done.push(m.version);
    });
  }
  return done;
}
