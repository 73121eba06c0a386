// `npm run bench`: prints the figures that prove Tianping's speed. `--only intake` runs one section.
import { benchIntake } from './intake.ts';
import { figure, heading, rssMiB, simulatedMarket } from './support.ts';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const want = (s: string) => !only || only === s;

heading(`Tianping benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const market = await simulatedMarket({ merchants: 2000, buyers: 100_000, days: 30, seed: 1 });
if (want('intake')) await benchIntake(market);
heading('Process');
figure('peak memory (RSS)', rssMiB(), 'MiB');
