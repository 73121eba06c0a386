// `npm run bench`: prints the figures that prove Tianping's speed. `--only intake` runs one section.
import { benchStreaming } from './detect.ts';
import { benchDetectCurve } from './detect-curve.ts';
import { benchDecisionRate, benchHealthDuringIntake } from './http.ts';
import { benchIntake } from './intake.ts';
import { benchServe } from './serve.ts';
import { figure, heading, rssMiB, simulatedMarket } from './support.ts';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const want = (s: string) => !only || only === s;

heading(`Tianping benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const market = await simulatedMarket({ merchants: 2000, buyers: 100_000, days: 30, seed: 1 });
if (want('intake')) await benchIntake(market);
if (want('detect')) await benchStreaming(market);
// The whole batch pass at three sizes of the big marketplace.
if (want('detect-curve')) await benchDetectCurve(market);
if (want('decisions')) {
  // Decisions need the marketplace loaded into a running server; a mid-sized one keeps that quick.
  await benchDecisionRate(await simulatedMarket({ merchants: 400, buyers: 20_000, days: 30, seed: 1 }));
}
// A million events over HTTP into a fresh server while /health is asked.
if (want('http-intake')) await benchHealthDuringIntake(market);
if (want('serve')) {
  // A restart of the built server on a stored marketplace (the big one with --serve-big).
  const big = process.argv.includes('--serve-big');
  const m = big ? market : await simulatedMarket({ merchants: 400, buyers: 20_000, days: 30, seed: 1 });
  heading('Serving: restart, readiness, /health during batch runs');
  await benchServe(m);
}
heading('Process');
figure('peak memory (RSS)', rssMiB(), 'MiB');
