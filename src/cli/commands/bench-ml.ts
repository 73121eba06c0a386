// `tianping bench-ml`: the learned scorer's learner on a public fraud benchmark (../shared/data), with the
// dataset's own train/validation/test split; the last line is the JSON the benchmark tables read.
import type { Command } from 'commander';
import { benchMl } from '../../lab/index.ts';
import { AppError } from '../../platform/errors.ts';
import { examples } from '../help.ts';

export function define(cmd: Command) {
  cmd
    .requiredOption('--data <dir>', 'dataset folder, e.g. ../shared/data/amazon_upu')
    .option(
      '--split <name>',
      'split name (files split_<name>_*.u32), or random:<seed> for a fresh stratified 40/20/40 split',
      'strat_40_20_40_seed2',
    )
    .option('--seed <n>', 'seed of the learner', '1')
    .option('--baselines', 'also report the XGBoost-style recipe re-run with this learner (on stderr)')
    .option('--threads <n>', 'worker threads for training (default: one per core; results do not change)')
    .action(
      async (o: { data: string; split: string; seed: string; baselines?: boolean; threads?: string }) => {
        const threads = o.threads === undefined ? undefined : Number(o.threads);
        if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
          throw new AppError('invalid_input', {
            en: `--threads must be a positive integer, got "${o.threads}".`,
            zh: `--threads 必须是正整数，收到的是 "${o.threads}"。`,
          });
        const r = await benchMl({
          threads,
          dataDir: o.data,
          split: o.split,
          seed: Number(o.seed),
          baselines: o.baselines,
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        const round = (x: number) => Math.round(x * 10000) / 10000;
        process.stdout.write(
          `${JSON.stringify({ auroc: round(r.auroc), ap: round(r.ap), f1_macro: round(r.f1_macro), train_s: Math.round(r.train_s * 10) / 10 })}\n`,
        );
      },
    );
  examples(cmd, [
    'tianping bench-ml --data ../shared/data/amazon_upu',
    'tianping bench-ml --data ../shared/data/amazon_upu --split random:7 --baselines',
  ]);
}
