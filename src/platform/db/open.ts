import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenOptions {
  /** A PostgreSQL URL; when set, the data folder is not used for the database. */
  databaseUrl?: string;
  /** With a URL: use (and create) this schema, e.g. one per test file. */
  schema?: string;
  /** Folder for the embedded database; undefined with no URL means in memory (tests). */
  dataDir?: string;
  migrate?: boolean;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  const db = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.schema)
    : await openPglite(opts.dataDir);
  if (opts.migrate !== false) {
    try {
      await migrate(db);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}
