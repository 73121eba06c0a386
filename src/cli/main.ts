// The `tianping` command. Each command lives in its own file under ./commands.
import { Command } from 'commander';
import { VERSION } from '../app/server.ts';
import { isAppError } from '../platform/errors.ts';
import { t } from '../platform/i18n.ts';
import * as benchMl from './commands/bench-ml.ts';
import * as detect from './commands/detect.ts';
import * as ingest from './commands/ingest.ts';
import * as keys from './commands/keys.ts';
import * as migrate from './commands/migrate.ts';
import * as serve from './commands/serve.ts';
import * as simulate from './commands/simulate.ts';

const program = new Command();
program
  .name('tianping')
  .description('Tianping (天平): keeps an e-commerce marketplace honest')
  .version(VERSION);

for (const c of [serve, ingest, keys, migrate, simulate, detect, benchMl]) c.register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const msg = isAppError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`${t('error.prefix')}: ${msg}\n`);
  process.exit(2);
}
