// `tianping detect`, `tianping eval` and `tianping train`: batch detection on an events file, its measured
// quality against ground truth, and training the learned scorer.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { progress } from '../progress.ts';

const collect = (v: string, acc: string[]) => [...acc, v];

function bar(label: string, enabled: boolean) {
  const b = progress(label, 100, enabled);
  return {
    step: (msg: string, fraction?: number) => b.update(Math.round(100 * (fraction ?? 0)), { step: msg }),
    stop: () => b.stop(),
  };
}

/** Streams an events file through the rules (the bundled ones, or `rules`) with a progress bar. */
async function analyse(o: { events: string; rules?: string; progress: boolean }) {
  const { analyseFile } = await import('../../lab/index.ts');
  const { loadRulesFile } = await import('../../detect/index.ts');
  const p = bar('detecting', o.progress);
  const run = await analyseFile(o.events, {
    rules: o.rules ? loadRulesFile(o.rules) : undefined,
    onProgress: p.step,
  });
  p.stop();
  return run;
}

export function register(program: Command) {
  program
    .command('detect')
    .description(
      'score every subject of an events file; writes NDJSON {kind,id,score,reasons} (unlisted subjects score 0)',
    )
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
        const { scoreRun } = await import('../../lab/index.ts');
        const { loadScorer } = await import('../../detect/index.ts');
        const scorer = loadScorer(o.model);
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

  program
    .command('eval')
    .description(
      'detect on an events file and print precision, recall, F1, AUROC and AP per kind and per scheme against the truth',
    )
    .requiredOption('--events <file>', 'NDJSON events')
    .requiredOption('--truth <file>', 'truth NDJSON: {"kind","id","scheme"} per abusive subject')
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
        const { scoreRun } = await import('../../lab/index.ts');
        const { loadScorer } = await import('../../detect/index.ts');
        const { loadTruth } = await import('../../lab/index.ts');
        const { evaluate, formatReport, labelledCohorts, lookAlikes } = await import('../../lab/index.ts');
        const { readFileSync } = await import('node:fs');
        const truth = loadTruth(o.truth);
        const run = await analyse(o);
        const scores = new Map<string, number>();
        if (o.scores) {
          for (const line of readFileSync(o.scores, 'utf8').split('\n')) {
            if (!line.trim()) continue;
            const r = JSON.parse(line) as { kind: string; id: string; score: number };
            scores.set(`${r.kind}:${r.id}`, r.score);
          }
        } else {
          for (const r of scoreRun(run, loadScorer(o.model))) scores.set(`${r.kind}:${r.id}`, r.score);
        }
        const universe = Object.fromEntries(
          Object.entries(run.features).map(([k, f]) => [k, f.ids]),
        ) as Parameters<typeof evaluate>[0];
        const cohorts = new Map([...lookAlikes(run.engine.state), ...labelledCohorts(o.truth)]);
        const report = evaluate(universe, scores, truth, cohorts, Number(o.threshold));
        process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
      },
    );

  program
    .command('train')
    .description('train the learned scorer from labelled data (events + truth) and write a versioned model')
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
        const { trainFromFolders } = await import('../../lab/index.ts');
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
        const { saveScorer } = await import('../../detect/index.ts');
        if (dirname(o.out)) mkdirSync(dirname(o.out), { recursive: true });
        saveScorer(scorer, o.out);
        say(`wrote ${o.out} (${scorer.version}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        for (const [k, m] of Object.entries(scorer.kinds)) {
          say(
            `  ${k.padEnd(9)} validation AP ${m.validation.ap.toFixed(4)}  P ${m.validation.precision.toFixed(4)}  R ${m.validation.recall.toFixed(4)}  threshold ${m.threshold.toFixed(4)}`,
          );
        }
        if (!existsSync(o.out)) process.exitCode = 1;
      },
    );
}
