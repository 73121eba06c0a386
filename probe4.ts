import { analyseFile, scoreRun } from './src/detect/pipeline.ts';
import { loadScorer } from './src/detect/scorer.ts';
import { loadTruth } from './src/detect/truth.ts';

const dir = process.argv[2];
const truth = loadTruth(dir + '/truth.ndjson');
const run = await analyseFile(dir + '/events.ndjson');
const res = scoreRun(run, loadScorer(process.argv[3]));
const sc = new Map(res.map((r) => [r.kind + ':' + r.id, r]));
const f = run.features.merchant;
const col = (n: string) => f.names.indexOf(n);
const show = [
  'sig.cashback',
  'sig.payback',
  'sig.review_attack',
  'cashback_review_share',
  'cashback_reviews_log',
  'offers_log',
  'payback_share',
  'reviews_log',
];
for (const [id, schemes] of truth.merchant) {
  const r = sc.get('merchant:' + id);
  if ((r?.score ?? 0) >= 0.5) continue;
  const i = f.ids.indexOf(id);
  console.log(
    'MISSED',
    id,
    schemes,
    r?.score,
    show.map((n) => n + '=' + f.rows[i * f.names.length + col(n)].toFixed(3)).join(' '),
  );
}
// honest merchants with high cashback features
let k = 0;
for (let i = 0; i < f.ids.length; i++) {
  if (truth.merchant.has(f.ids[i])) continue;
  const v = f.rows[i * f.names.length + col('sig.cashback')];
  if (v > 0 && k++ < 5)
    console.log(
      'HONEST w/ cashback sig',
      f.ids[i],
      sc.get('merchant:' + f.ids[i])?.score,
      show.map((n) => n + '=' + f.rows[i * f.names.length + col(n)].toFixed(3)).join(' '),
    );
}
