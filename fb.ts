import { readFileSync } from 'node:fs';
import { buildAllFeatures } from './src/detect/features.ts';
import { findRings } from './src/detect/graph/rings.ts';
import { loadRulesFile } from './src/detect/rules/load.ts';
import type { Signal } from './src/detect/signals.ts';
import { StreamEngine } from './src/detect/stream/engine.ts';
import { DETECTORS } from './src/detect/stream/rules/index.ts';
import { checkEvent, parseTime } from './src/events/validate.ts';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const evs = lines.map((l) => {
  const c = checkEvent(JSON.parse(l));
  if (!c.ok) throw 1;
  return c.event;
});
const rules = loadRulesFile();
const signals: Signal[] = [];
const eng = new StreamEngine(rules, DETECTORS, (s) => signals.push(s));
for (const e of evs) eng.process(e, parseTime(e.time)!);
const rings = findRings(eng.state);
const t = performance.now();
const f = buildAllFeatures({ state: eng.state, money: eng.money, signals, rules, rings });
console.log(
  'features s',
  (performance.now() - t) / 1000,
  Object.values(f).map((x) => x.ids.length),
);

import { buildFeatures } from './src/detect/features.ts';

for (const k of ['account', 'merchant', 'listing', 'order', 'review'] as const) {
  const t1 = performance.now();
  buildFeatures(k, { state: eng.state, money: eng.money, signals, rules, rings });
  console.log(k, ((performance.now() - t1) / 1000).toFixed(2));
}
