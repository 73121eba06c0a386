// Test support: one store per test file — in-memory PGlite, or a fresh schema on DATABASE_URL (CI runs
// the storage tests both ways).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../platform/config.ts';
import { type AppContext, createContext } from './context.ts';
import { buildServer } from './server.ts';

export type { AppContext };

/** `overrides`: settings a test needs (no scheduled batch runs unless it asks for them). */
export async function testContext(overrides: Partial<Config> = {}): Promise<AppContext> {
  const config = {
    ...loadConfig({ port: 0 }),
    logLevel: 'silent',
    batchEverySeconds: 0,
    batchEveryEvents: 0,
    ...overrides,
  };
  if (!config.databaseUrl) return createContext(config, { inMemory: true });
  const schema = `t_${randomBytes(5).toString('hex')}`;
  // A folder of its own for local state (a reloaded rule file), never the working directory's ./data.
  const dataDir = mkdtempSync(join(tmpdir(), 'tianping-test-'));
  const ctx = await createContext({ ...config, dataDir }, { schema });
  return {
    ...ctx,
    async close() {
      await ctx.db.exec(`drop schema ${schema} cascade`);
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Where a test is running, for names: "pglite" or "postgres". */
export const storageKind = () => (process.env.DATABASE_URL ? 'postgres' : 'pglite');

/**
 * The HTTP server on an existing test store with some settings changed (no listening socket: use
 * `app.inject`). Each server has its own counters and limits; the store is shared.
 */
export function serverOn(
  ctx: AppContext,
  settings: Partial<Config> = {},
  logger: NonNullable<Parameters<typeof buildServer>[1]>['logger'] = false,
) {
  return buildServer({ ...ctx, config: { ...ctx.config, ...settings } }, { logger });
}

/** A fresh test store with the whole HTTP server on it. */
export async function testServer(settings: Partial<Config> = {}) {
  const ctx = await testContext(settings);
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
