// `tianping keys create|list|revoke`: API keys, straight on the store (for the operator of the machine).
import type { Command } from 'commander';
import { createContext } from '../../app/context.ts';
import { ROLE_DESCRIPTIONS, ROLES } from '../../platform/auth/keys.ts';
import { loadConfig } from '../../platform/config.ts';
import { t } from '../../platform/i18n.ts';
import { examples } from '../help.ts';
import { fromConfig } from '../settings-help.ts';

async function withKeys<T>(
  dataDir: string | undefined,
  fn: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>,
) {
  const ctx = await createContext(loadConfig({ dataDir }));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export function define(keys: Command) {
  const dataDir = `data folder of the embedded database ${fromConfig('dataDir')}`;
  keys.addHelpText(
    'after',
    `\nEach works on the store in --data-dir ${fromConfig('dataDir')}, or on DATABASE_URL.`,
  );
  examples(keys, ['tianping keys create --role ingest --name shop-sync', 'tianping keys list']);
  const create = keys
    .command('create')
    .description(`create a key; roles: ${ROLES.map((r) => `${r} (${ROLE_DESCRIPTIONS[r].en})`).join('; ')}`)
    .requiredOption('--role <role...>', `one or more of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a label, e.g. the integration it is for')
    .option('--data-dir <dir>', dataDir)
    .action(async (o: { role: string[]; name?: string; dataDir?: string }) => {
      await withKeys(o.dataDir, async (ctx) => {
        const r = await ctx.keys.create({ roles: o.role, name: o.name, createdBy: 'cli' });
        process.stderr.write(`${t('keys.created', { id: r.apiKey.id, roles: r.apiKey.roles.join(', ') })}\n`);
        process.stdout.write(`${r.key}\n`);
      });
    });
  examples(create, [
    'tianping keys create --role ingest --name shop-sync',
    'tianping keys create --role analyst admin --name alice',
  ]);
  const list = keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--data-dir <dir>', dataDir)
    .action(async (o: { dataDir?: string }) => {
      await withKeys(o.dataDir, async (ctx) => {
        for (const k of await ctx.keys.list()) {
          const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
          process.stdout.write(`${k.id}\t${k.roles.join(',')}\t${state}\t${k.name}\n`);
        }
      });
    });
  examples(list, ['tianping keys list', 'tianping keys list --data-dir /var/lib/tianping']);
  const revoke = keys
    .command('revoke')
    .description('revoke a key by id')
    .argument('<id>', 'the key id (the part after tp_)')
    .option('--data-dir <dir>', dataDir)
    .action(async (id: string, o: { dataDir?: string }) => {
      await withKeys(o.dataDir, async (ctx) => {
        await ctx.keys.revoke(id);
        process.stdout.write(`${t('keys.revoked', { id })}\n`);
      });
    });
  examples(revoke, ['tianping keys revoke 3f9c2a1b0d4e']);
}
