// `tianping migrate`: bring the schema up to date (serve does this too on start).
import type { Command } from 'commander';
import { ALL_MIGRATIONS } from '../../app/migrations.ts';
import { loadConfig } from '../../platform/config.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { openDb } from '../../platform/db/open.ts';
import { t } from '../../platform/i18n.ts';
import { examples } from '../help.ts';
import { fromConfig } from '../settings-help.ts';

export function define(cmd: Command) {
  cmd
    .option('--data-dir <dir>', `data folder of the embedded database ${fromConfig('dataDir')}`)
    .action(async (o: { dataDir?: string }) => {
      const config = loadConfig({ dataDir: o.dataDir });
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
      try {
        const done = await migrate(db, ALL_MIGRATIONS);
        process.stdout.write(
          `${done.length ? t('migrate.done', { list: done.join(', ') }) : t('migrate.none')}\n`,
        );
      } finally {
        await db.close();
      }
    });
  examples(cmd, [
    'tianping migrate',
    'DATABASE_URL=postgres://user:pass@db-host:5432/tianping tianping migrate',
  ]);
}
