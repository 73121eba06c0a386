// Test support: one store per test file — in-memory PGlite, or a fresh schema on DATABASE_URL (CI runs
// the storage tests both ways).
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../platform/config.ts';
import { type AppContext, createContext } from './context.ts';
import { buildServer } from './server.ts';

export type { AppContext };

export async function testContext(): Promise<AppContext> {
  const config = { ...loadConfig({ port: 0 }), logLevel: 'silent' };
  if (!config.databaseUrl) return createContext(config, { inMemory: true });
  const schema = `t_${randomBytes(5).toString('hex')}`;
  const ctx = await createContext(config, { schema });
  return {
    ...ctx,
    async close() {
      await ctx.db.exec(`drop schema ${schema} cascade`);
      await ctx.close();
    },
  };
}

/** Where a test is running, for names: "pglite" or "postgres". */
export const storageKind = () => (process.env.DATABASE_URL ? 'postgres' : 'pglite');

/** A test store with the whole HTTP server on it (no listening socket: use `app.inject`). */
export async function testServer(opts: { bodyLimit?: number } = {}) {
  const ctx = await testContext();
  if (opts.bodyLimit !== undefined) ctx.config.bodyLimit = opts.bodyLimit;
  const app = await buildServer(ctx, { logger: false });
  return {
    ctx,
    app,
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
