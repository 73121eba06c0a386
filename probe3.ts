import { analyseFile } from './src/detect/pipeline.ts';
import { loadTruth } from './src/detect/truth.ts';

const dir = process.argv[2];
const truth = loadTruth(dir + '/truth.ndjson');
const run = await analyseFile(dir + '/events.ndjson');
const s = run.engine.state;
let n = 0;
for (const sig of run.signals) {
  if (sig.detector !== 'rule:cashback' || sig.kind !== 'review' || truth.review.has(sig.subject)) continue;
  if (n++ > 6) break;
  const r = s.reviews.get(sig.subject)!;
  const o = s.orders.get(r.order)!;
  const b = s.accounts.get(r.buyer)!;
  console.log(
    '--- FP review',
    r.id,
    'rating',
    r.rating,
    'at',
    new Date(r.at).toISOString(),
    'merchant',
    r.merchant,
    sig.explanation.en,
  );
  console.log(
    '  order',
    o.id,
    'truth',
    truth.order.get(o.id),
    'delivered',
    o.deliveredAt && new Date(o.deliveredAt).toISOString(),
    'refund',
    o.refundAmount,
  );
  for (const m of b.messagesOut) console.log('  msg out', new Date(m.at).toISOString(), m.to, m.text);
  for (const t of b.transfersIn)
    console.log(
      '  transfer in',
      new Date(t.at).toISOString(),
      t.from,
      t.amount,
      t.memo,
      'op of',
      s.operatorOf(t.from),
    );
  const ops = s.merchants.get(r.merchant)!.operators;
  for (const op of ops)
    for (const m of s.accounts.get(op)!.messagesOut)
      if (m.to === b.id) console.log('  shop msg', new Date(m.at).toISOString(), m.text);
}
