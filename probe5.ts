import { analyseFile } from './src/detect/pipeline.ts';
import { loadTruth } from './src/detect/truth.ts';

const dir = process.argv[2];
const truth = loadTruth(dir + '/truth.ndjson');
const run = await analyseFile(dir + '/events.ndjson');
const c = new Map<string, number>();
for (const s of run.signals) {
  if (s.detector !== 'rule:cashback' || s.kind !== 'merchant' || !s.facts?.offer_message) continue;
  const k = (truth.merchant.has(s.subject) ? 'ABUSE ' : 'HONEST ') + s.explanation.en;
  c.set(k, (c.get(k) ?? 0) + 1);
}
console.log(
  [...c]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => v + ' ' + k)
    .join('\n'),
);
