// Test support: one store per test file — in-memory PGlite, or a fresh schema on DATABASE_URL (CI runs
// the storage tests both ways).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../platform/config.ts';
import { type AppContext, createContext } from './context.ts';

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
