import { readFileSync } from 'node:fs';
import { analyseFile, scoreRun } from './src/detect/pipeline.ts';
import { loadScorer } from './src/detect/scorer.ts';
import { loadTruth } from './src/detect/truth.ts';

const dir = process.argv[2];
const truth = loadTruth(dir + '/truth.ndjson');
const cohorts = new Map<string, string>();
for (const l of readFileSync(dir + '/cohorts.ndjson', 'utf8').split('\n'))
  if (l) {
    const c = JSON.parse(l);
    cohorts.set(c.kind + ':' + c.id, (cohorts.get(c.kind + ':' + c.id) ?? '') + c.cohort + ' ');
  }
const run = await analyseFile(dir + '/events.ndjson');
const res = scoreRun(run, loadScorer(process.argv[3]));
for (const r of res) {
  if (r.kind !== process.argv[4] || r.score < 0.5 || truth[r.kind].has(r.id)) continue;
  console.log(
    'FP',
    r.id,
    r.score,
    cohorts.get(r.kind + ':' + r.id),
    r.reasons.slice(0, 4).join(' | ').slice(0, 400),
  );
}
