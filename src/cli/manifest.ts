// Every `tianping` command with what `tianping --help` says of it. A command's file (./commands/<name>.ts) is
// loaded only when that command runs, so help and a mistyped command start without the server or the store.
import type { Command } from 'commander';

export const COMMANDS = [
  { name: 'serve', description: 'start the HTTP server (default port 8080)' },
  { name: 'ingest', description: 'load an NDJSON file of events (the event contract) into the store' },
  { name: 'keys', description: 'manage API keys (stored hashed; a key is shown once)' },
  { name: 'migrate', description: 'apply pending database migrations' },
  {
    name: 'openapi',
    description:
      'write the OpenAPI document of the HTTP API (what /openapi.json serves), for client generators',
  },
  {
    name: 'simulate',
    description:
      'write events.ndjson, truth.ndjson and cohorts.ndjson for a simulated marketplace (schemes and knobs: see README)',
  },
  {
    name: 'detect',
    description:
      'score every subject of an events file; writes NDJSON {kind,id,score,reasons} (unlisted subjects score 0)',
  },
  {
    name: 'eval',
    description:
      'detect on an events file and print precision, recall, F1, AUROC and AP per kind and per scheme against the truth',
  },
  {
    name: 'train',
    description: 'train the learned scorer from labelled data (events + truth) and write a versioned model',
  },
  {
    name: 'lomo',
    description:
      'leave one mode out: train the scorer without one (scheme, mode) and print its AP on that mode in an unseen market',
  },
  {
    name: 'bench-ml',
    description:
      'train and test the learner on a benchmark dataset; last line: {"auroc","ap","f1_macro","train_s"} on the test part',
  },
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

/** What each file in ./commands exports: it completes the command `main.ts` created with the name and description. */
export interface CommandModule {
  define(cmd: Command): void;
}

export async function loadCommand(name: CommandName): Promise<CommandModule> {
  // The one place a command's implementation is imported.
  return (await import(`./commands/${name}.ts`)) as CommandModule;
}
