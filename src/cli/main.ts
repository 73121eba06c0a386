// The `tianping` command. Each command lives in its own file under ./commands, loaded only when it runs.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { formatError } from './errors.ts';
import { examples } from './help.ts';
import { COMMANDS, loadCommand } from './manifest.ts';

// package.json is two folders up from src/cli and from dist/cli alike; read here so help loads no server code.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const args = process.argv.slice(2);
const debug = args.includes('--debug');

const program = new Command();
program
  .name('tianping')
  .description('Tianping (天平): keeps an e-commerce marketplace honest')
  .version(version)
  .option('--debug', 'on an error, print its stack trace too')
  // Errors come back here as exceptions, so every failure exits the same way (code 2).
  .exitOverride()
  .addHelpText('after', '\nRun `tianping COMMAND --help` for the options of a command.');
examples(program, [
  'tianping serve --demo',
  'tianping simulate --seed 7 --out out/s7',
  'tianping ingest out/s7/events.ndjson',
]);

// The command that runs (or whose help is asked for) is the first word; only its file is loaded.
const words = args.filter((a) => !a.startsWith('-'));
const wanted = words[0] === 'help' ? words[1] : words[0];

try {
  for (const c of COMMANDS) {
    const cmd = program.command(c.name).description(c.description);
    if (c.name === wanted) (await loadCommand(c.name)).define(cmd);
  }
  if (args.every((a) => a === '--debug')) program.outputHelp();
  else await program.parseAsync(process.argv);
} catch (e) {
  // Commander has already printed its own message (or the help or version asked for).
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
  process.stderr.write(formatError(e, { debug }));
  process.exit(2);
}
