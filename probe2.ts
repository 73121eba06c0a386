import { analyseFile, scoreRun } from './src/detect/pipeline.ts';
import { loadScorer } from './src/detect/scorer.ts';
import { loadTruth } from './src/detect/truth.ts';

const dir = process.argv[2];
const truth = loadTruth(dir + '/truth.ndjson');
const run = await analyseFile(dir + '/events.ndjson');
const res = scoreRun(run, loadScorer('/tmp/tp/scorer.json'));
const sc = new Map(res.map((r) => [r.kind + ':' + r.id, r]));
const s = run.engine.state;
// missed reviews
let shown = 0;
for (const [id, schemes] of truth.review) {
  const r = sc.get('review:' + id);
  if ((r?.score ?? 0) >= 0.5) continue;
  const rv = s.reviews.get(id)!;
  const o = s.orders.get(rv.order)!;
  const os = sc.get('order:' + o.id)?.score ?? 0;
  if (shown++ < 12)
    console.log(
      'MISSED review',
      schemes,
      'score',
      r?.score,
      'order score',
      os,
      'order truth',
      truth.order.get(o.id),
      'rating',
      rv.rating,
      'text',
      rv.text.slice(0, 30),
      'reasons',
      r?.reasons.slice(0, 2),
    );
}
console.log('missed reviews', shown);
for (const [id, schemes] of truth.merchant) {
  const r = sc.get('merchant:' + id);
  if ((r?.score ?? 0) < 0.5) console.log('MISSED merchant', id, schemes, r?.score, r?.reasons);
}
const inst = run.signals.filter((x) => x.detector === 'rule:review_attack' && x.kind === 'merchant');
console.log(
  'instigator signals',
  inst.map((x) => [x.subject, truth.merchant.get(x.subject), x.explanation.en.slice(0, 60)]),
);
