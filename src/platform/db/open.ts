import { AppError } from '../errors.ts';
import type { Db } from './db.ts';
import { type MigrationSource, migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

interface Where {
  /** A PostgreSQL URL; when set, the data folder is not used for the database. */
  databaseUrl?: string;
  /** With a URL: use (and create) this schema, e.g. one per test file. */
  schema?: string;
  /** Folder for the embedded database; undefined with no URL means in memory (tests). */
  dataDir?: string;
}

/** The migrations to bring the schema up to date with, unless `migrate: false`. */
export type OpenOptions = Where &
  (
    | { migrate?: true; migrations: readonly MigrationSource[] }
    | { migrate: false; migrations?: readonly MigrationSource[] }
  );

/** Opens the configured database and brings its schema up to date. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.migrate !== false && !opts.migrations) {
    throw new AppError('internal', {
      en: 'openDb needs the migrations to apply (or migrate: false); pass the composition root’s list.',
      zh: 'openDb 需要传入要应用的迁移（或 migrate: false）；请传入组装层的迁移列表。',
    });
  }
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.schema)
    : await openPglite(opts.dataDir);
  if (opts.migrate !== false) {
    try {
      await migrate(db, opts.migrations);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}
