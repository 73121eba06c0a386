// `tianping lomo`: leave one mode out — train the scorer without one (scheme, mode) and measure how well it
// still finds that mode's subjects on a market it never saw.
import type { Command } from 'commander';
import { formatLomo, leaveOneModeOut, type Market, simulatedMarkets } from '../../lab/index.ts';
import { examples } from '../help.ts';

export function define(cmd: Command) {
  cmd
    .option('--markets <n>', 'simulated marketplaces in mixed mode; the last one is the test market', '4')
    .option('--merchants <n>', 'size of each marketplace', '300')
    .option('--buyers <n>', 'size of each marketplace', '15000')
    .option('--days <n>', 'days of each marketplace', '21')
    .option('--seed <n>', 'seed of the first marketplace and of training', '900')
    .option('--folds <n>', 'cross-validation folds of each training', '2')
    .option('--keep <dir>', 'keep the simulated marketplaces in this folder, and reuse those already there')
    .option('--json', 'print the rows as JSON')
    .option('--no-progress', 'no progress output')
    .action(
      async (o: {
        markets: string;
        merchants: string;
        buyers: string;
        days: string;
        seed: string;
        folds: string;
        keep?: string;
        json?: boolean;
        progress: boolean;
      }) => {
        const say = o.progress ? (m: string) => process.stderr.write(`${m}\n`) : () => {};
        const markets: Market[] = [];
        for await (const m of simulatedMarkets({
          count: Math.max(2, Number(o.markets)),
          size: { merchants: Number(o.merchants), buyers: Number(o.buyers), days: Number(o.days) },
          seed: Number(o.seed),
          adaptiveRate: () => 0.5,
          keepDir: o.keep,
          say,
        }))
          markets.push(m);
        const test = markets.pop()!;
        const rows = await leaveOneModeOut(markets, test, {
          seed: Number(o.seed),
          folds: Number(o.folds),
          onProgress: say,
        });
        process.stdout.write(o.json ? `${JSON.stringify(rows)}\n` : `${formatLomo(rows)}\n`);
      },
    );
  examples(cmd, [
    'tianping lomo',
    'tianping lomo --markets 5 --merchants 400 --buyers 20000 --keep out/lomo',
  ]);
}
