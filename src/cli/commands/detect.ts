// `tianping detect`: batch detection on an events file, every subject's score written as NDJSON.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { loadScorer } from '../../detect/index.ts';
import { scoreRun } from '../../lab/index.ts';
import { analyse } from '../analyse.ts';
import { requireFile } from '../files.ts';
import { examples } from '../help.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--events <file>', 'NDJSON events (the event contract)')
    .requiredOption('--out <file>', 'where to write the scores')
    .option('--model <file>', 'scorer model (default: the bundled one)')
    .option('--rules <file>', 'rule file (default: the bundled one)')
    .option('--min-score <x>', 'write only subjects scoring at least this', '0.01')
    .option('--no-progress', 'no progress output')
    .action(
      async (o: {
        events: string;
        out: string;
        model?: string;
        rules?: string;
        minScore: string;
        progress: boolean;
      }) => {
        const scorer = loadScorer(o.model ? requireFile(o.model, 'model') : undefined);
        const run = await analyse(o);
        const results = scoreRun(run, scorer, Number(o.minScore));
        if (dirname(o.out)) mkdirSync(dirname(o.out), { recursive: true });
        const out = createWriteStream(o.out);
        for (const r of results) out.write(`${JSON.stringify(r)}\n`);
        await new Promise<void>((res) => out.end(res));
        const flagged = results.filter((r) => r.score >= 0.5).length;
        process.stderr.write(
          `${run.events} events (${run.rejected} rejected), ${run.signals.length} signals, ${run.rings.rings.length} rings; ${results.length} subjects written, ${flagged} at or above the operating score 0.5\n`,
        );
      },
    );
  examples(cmd, [
    'tianping detect --events out/s7/events.ndjson --out out/s7/scores.ndjson',
    'tianping detect --events events.ndjson --out scores.ndjson --rules my-rules.yaml --min-score 0.5',
  ]);
}
