// `tianping train`: trains the learned scorer on labelled data and simulated marketplaces.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { saveScorer } from '../../detect/index.ts';
import { trainFromFolders } from '../../lab/index.ts';
import { examples } from '../help.ts';

const collect = (v: string, acc: string[]) => [...acc, v];

export function define(cmd: Command) {
  cmd
    .option('--data <dir>', 'a folder with events.ndjson and truth.ndjson (repeatable)', collect, [])
    .option('--simulate <n>', 'also train on n fresh simulated marketplaces with varied knobs', '0')
    .option('--merchants <n>', 'size of each simulated marketplace', '400')
    .option('--buyers <n>', 'size of each simulated marketplace', '20000')
    .option('--days <n>', 'days of each simulated marketplace', '30')
    .option('--seed <n>', 'seed of the first simulation and of training', '100')
    .option('--out <file>', 'model file to write', join('models', 'scorer.json'))
    .option('--keep <dir>', 'keep the simulated marketplaces in this folder, and reuse those already there')
    .option('--no-progress', 'no progress output')
    .action(
      async (o: {
        data: string[];
        simulate: string;
        merchants: string;
        buyers: string;
        days: string;
        seed: string;
        out: string;
        keep?: string;
        progress: boolean;
      }) => {
        const say = (m: string) => process.stderr.write(`${m}\n`);
        const t0 = performance.now();
        const scorer = await trainFromFolders({
          folders: o.data,
          simulate: Number(o.simulate),
          size: { merchants: Number(o.merchants), buyers: Number(o.buyers), days: Number(o.days) },
          seed: Number(o.seed),
          keepDir: o.keep,
          onProgress: o.progress ? say : () => {},
        });
        if (dirname(o.out)) mkdirSync(dirname(o.out), { recursive: true });
        saveScorer(scorer, o.out);
        say(`wrote ${o.out} (${scorer.version}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        const stages = [
          ['first stage', scorer.kinds],
          ['second stage (with neighbours)', scorer.context ?? {}],
        ] as const;
        for (const [stage, kinds] of stages)
          for (const [k, m] of Object.entries(kinds)) {
            say(
              `  ${stage}: ${k.padEnd(9)} validation AP ${m.validation.ap.toFixed(4)}  P ${m.validation.precision.toFixed(4)}  R ${m.validation.recall.toFixed(4)}  threshold ${m.threshold.toFixed(4)}`,
            );
          }
        if (!existsSync(o.out)) process.exitCode = 1;
      },
    );
  examples(cmd, [
    'tianping train --simulate 9 --seed 300 --out models/scorer.json',
    'tianping train --data out/s7 --data out/s8 --out models/scorer.json',
  ]);
}
