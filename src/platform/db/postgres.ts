import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { AppError } from '../errors.ts';
import type { Db, Queryable, Row } from './db.ts';

// int8 (counts, sequence numbers) as numbers, as PGlite returns them; our values stay below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

/** `schema`, when given, is created and used for everything (tests get one each, isolated). */
export async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new AppError('invalid_input', {
      en: `The schema name "${schema}" must be lower-case letters, digits and underscores, not starting with a digit.`,
      zh: `模式名 "${schema}" 只能由小写字母、数字和下划线组成，且不能以数字开头。`,
    });
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Fail at start-up with a clear message rather than on the first request.
  try {
    const c = await pool.connect();
    c.release();
    if (schema) await pool.query(`create schema if not exists ${schema}`);
  } catch (e) {
    await pool.end().catch(() => {});
    const why = (e as Error).message.split('\n')[0];
    throw new AppError('storage_unavailable', {
      en: `Could not connect to PostgreSQL at ${redact(url)}: ${why}. Check DATABASE_URL and that the server is running.`,
      zh: `无法连接 PostgreSQL（${redact(url)}）：${why}。请检查 DATABASE_URL 以及数据库服务是否在运行。`,
    });
  }
  const on = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params);
      return r.rows;
    },
    async exec(sql: string) {
      await q.query(sql);
    },
    // COPY needs one connection for the whole stream: a transaction's client, not the pool.
    ...(q instanceof pg.Pool
      ? {}
      : {
          async copyFrom(sql: string, rows: string) {
            await pipeline(Readable.from([rows]), (q as pg.PoolClient).query(copyFromStdin(sql)));
          },
        }),
  });
  const base = on(pool);
  return {
    kind: 'postgres',
    location: redact(url),
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await fn(on(client));
        await client.query('COMMIT');
        return r;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
