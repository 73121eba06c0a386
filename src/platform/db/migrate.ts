// Versioned migrations. Each capability registers its own folder of `NNNN-name.sql` files as a
// MigrationSource; the composition root passes them all. The numbers are one sequence across the project.
// Plain SQL, so PGlite and PostgreSQL run the same files.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import type { Db } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  owner: string;
  sql: string;
  checksum: string;
}

/** One owner's migrations. Files are read when migrating, not when the source is declared. */
export interface MigrationSource {
  readonly owner: string;
  /** The folder, for messages. */
  readonly dir: string;
  load(): Migration[];
}

const FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** The `NNNN-name.sql` files in `dir`, owned by `owner` (recorded as `owner/name`). */
export function migrationsIn(owner: string, dir: string | URL): MigrationSource {
  if (!/^[a-z][a-z0-9-]*$/.test(owner)) {
    throw new AppError('internal', {
      en: `The migration owner "${owner}" must be a lower-case capability name.`,
      zh: `迁移的所属模块名 "${owner}" 必须是小写的模块名。`,
    });
  }
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  return {
    owner,
    dir: path,
    load() {
      let files: string[];
      try {
        files = readdirSync(path);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw new AppError('internal', {
          en: `The migrations folder of ${owner}, ${path}, cannot be read (${why}).`,
          zh: `无法读取 ${owner} 的迁移目录 ${path}（${why}）。`,
        });
      }
      const out: Migration[] = [];
      for (const f of files.sort()) {
        if (!f.endsWith('.sql')) continue;
        const m = FILE.exec(f);
        if (!m) {
          // A misnamed file would otherwise be skipped silently and its tables never created.
          throw new AppError('internal', {
            en: `The migration file ${join(path, f)} is not named NNNN-name.sql (four digits, then lower-case words joined by hyphens).`,
            zh: `迁移文件 ${join(path, f)} 的名称不符合 NNNN-name.sql（四位数字，再接以连字符相连的小写单词）。`,
          });
        }
        const sql = readFileSync(join(path, f), 'utf8');
        out.push({
          version: Number(m[1]),
          name: m[2],
          owner,
          sql,
          checksum: createHash('sha256').update(sql).digest('hex'),
        });
      }
      return out;
    },
  };
}

/** The union of the sources in version order; a version claimed twice is refused, naming both. */
export function listMigrations(sources: readonly MigrationSource[]): Migration[] {
  const out = sources.flatMap((s) => s.load()).sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    const [a, b] = [out[i - 1], out[i]];
    if (a.version === b.version) {
      throw new AppError('internal', {
        en: `Two migrations share version ${b.version}: ${a.owner}/${a.name} and ${b.owner}/${b.name}. Renumber the newer one to the next free version.`,
        zh: `两个迁移使用了同一版本号 ${b.version}：${a.owner}/${a.name} 与 ${b.owner}/${b.name}。请把较新的一个改为下一个未用的版本号。`,
      });
    }
  }
  return out;
}

/** Applies pending migrations in version order, each in its own transaction; returns the versions applied. */
export async function migrate(db: Db, sources: readonly MigrationSource[]): Promise<number[]> {
  const all = listMigrations(sources);
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
  for (const m of all) {
    const had = applied.get(m.version);
    if (had !== undefined) {
      if (had !== m.checksum) {
        throw new AppError('internal', {
          en: `Migration ${m.version} (${m.owner}/${m.name}) was changed after it was applied; restore the file and add a new migration instead.`,
          zh: `迁移 ${m.version}（${m.owner}/${m.name}）在应用之后被修改过；请恢复原文件，改为新增一个迁移。`,
        });
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
