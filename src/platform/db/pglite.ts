import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { AppError } from '../errors.ts';
import type { Db, Queryable, Row } from './db.ts';

const LOCK_FILE = 'tianping.lock';

/**
 * PGlite takes no lock on its folder, and two processes writing one folder corrupt it
 * (electric-sql/pglite#1106), so Tianping holds its own pid lock beside the database.
 */
function takeLock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new AppError('data_dir_locked', {
        en: `The data folder ${dataDir} is in use by process ${pid}. Stop that process, choose another folder with --data-dir, or send the events to the running server over HTTP.`,
        zh: `数据目录 ${dataDir} 正被进程 ${pid} 使用。请停止该进程、用 --data-dir 另选目录，或通过 HTTP 把事件发给正在运行的服务。`,
      });
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
  }
  writeFileSync(path, String(process.pid));
  return () => {
    try {
      if (readFileSync(path, 'utf8') === String(process.pid)) rmSync(path);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function wrap(q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable {
  return {
    async query<T extends Row>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params);
      return r.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

/** Opens (or creates) the embedded database in `dataDir/pg`; `dataDir` undefined means in memory. */
export async function openPglite(dataDir?: string): Promise<Db> {
  let release = () => {};
  let pg: PGlite;
  if (dataDir) {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    release = takeLock(dir);
    try {
      pg = await PGlite.create({ dataDir: join(dir, 'pg') });
      // A new 16 MB WAL segment is zero-filled by default: about 90 ms of synchronous writes on this (the
      // main) thread, once a second during heavy intake. Without it only the segment's last byte is written.
      await pg.exec('set wal_init_zero = off');
    } catch (e) {
      release();
      const why = (e as Error).message;
      throw new AppError('storage_unavailable', {
        en: `Could not open the embedded database in ${dir}: ${why}. If another program used this folder, restore it from a backup or move it aside.`,
        zh: `无法打开 ${dir} 中的内置数据库：${why}。如果该目录曾被其他程序使用，请从备份恢复或将其移走。`,
      });
    }
  } else {
    pg = await PGlite.create();
  }
  const base = wrap(pg);
  return {
    kind: 'pglite',
    location: dataDir ? resolve(dataDir) : 'memory',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      await pg.close();
      release();
    },
  };
}
