// `tianping eval`: detection's measured quality on an events file against its ground truth.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadScorer } from '../../detect/index.ts';
import { evaluate, formatReport, labelledCohorts, loadTruth, lookAlikes, scoreRun } from '../../lab/index.ts';
import { analyse } from '../analyse.ts';
import { requireFile } from '../files.ts';
import { examples } from '../help.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--events <file>', 'NDJSON events')
    .requiredOption(
      '--truth <file>',
      'truth NDJSON: {"kind","id","scheme","mode"?} per abusive subject (mode other than classic is also reported as scheme:mode)',
    )
    .option('--model <file>', 'scorer model (default: the bundled one)')
    .option('--rules <file>', 'rule file (default: the bundled one)')
    .option('--scores <file>', 'evaluate this detect output instead of detecting again')
    .option('--threshold <x>', 'operating score', '0.5')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress output')
    .action(
      async (o: {
        events: string;
        truth: string;
        model?: string;
        rules?: string;
        scores?: string;
        threshold: string;
        json?: boolean;
        progress: boolean;
      }) => {
        const truth = loadTruth(requireFile(o.truth, 'truth'));
        const run = await analyse(o);
        const scores = new Map<string, number>();
        if (o.scores) {
          for (const line of readFileSync(requireFile(o.scores, 'scores'), 'utf8').split('\n')) {
            if (!line.trim()) continue;
            const r = JSON.parse(line) as { kind: string; id: string; score: number };
            scores.set(`${r.kind}:${r.id}`, r.score);
          }
        } else {
          const scorer = loadScorer(o.model ? requireFile(o.model, 'model') : undefined);
          for (const r of scoreRun(run, scorer)) scores.set(`${r.kind}:${r.id}`, r.score);
        }
        const universe = Object.fromEntries(
          Object.entries(run.features).map(([k, f]) => [k, f.ids]),
        ) as Parameters<typeof evaluate>[0];
        const cohorts = new Map([...lookAlikes(run.engine.state), ...labelledCohorts(o.truth)]);
        const report = evaluate(universe, scores, truth, cohorts, Number(o.threshold));
        process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      },
    );
  examples(cmd, [
    'tianping eval --events out/s7/events.ndjson --truth out/s7/truth.ndjson',
    'tianping eval --events out/s7/events.ndjson --truth out/s7/truth.ndjson --scores out/s7/scores.ndjson --json',
  ]);
}
