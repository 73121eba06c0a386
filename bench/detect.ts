// Detection figures: streaming throughput, the ring job on a million edges and training time.
import { join } from 'node:path';
import {
  buildFeatures,
  createStreamEngine,
  loadRulesFile,
  type Signal,
  type StreamEngine,
  trainScorer,
} from '../src/detect/index.ts';
import { checkEvent, type MarketEvent, parseTime, readNdjsonFile } from '../src/events/index.ts';
import { benchRings, loadTruth, positives } from '../src/lab/index.ts';
import { figure, heading, note, rssMiB } from './support.ts';

async function loadEvents(file: string): Promise<{ events: MarketEvent[]; at: number[] }> {
  const events: MarketEvent[] = [];
  for await (const b of readNdjsonFile(file, 20000)) {
    for (const r of b.records) {
      const c = checkEvent(r.value, { plain: r.plain });
      if (c.ok) events.push(c.event);
    }
  }
  const at = events.map((e) => parseTime(e.time) ?? 0);
  return { events, at };
}

export async function benchStreaming(market: string) {
  heading('Detection');
  const { events, at } = await loadEvents(join(market, 'events.ndjson'));
  const rules = loadRulesFile();
  // One pass to let the JIT settle, then a timed pass with fresh state.
  note('warm-up pass');
  let warm: StreamEngine | undefined = createStreamEngine(rules, () => {});
  for (let i = 0; i < Math.min(events.length, 300_000); i++) warm.process(events[i], at[i]);
  warm = undefined;
  // The warm-up's state is garbage now; collect it before timing so it does not tax the timed pass.
  (globalThis as { gc?: () => void }).gc?.();
  const signals: Signal[] = [];
  const engine = createStreamEngine(rules, (s) => signals.push(s));
  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) engine.process(events[i], at[i]);
  const ts = (performance.now() - t0) / 1000;
  figure(
    'streaming detection (all rules), one core',
    events.length / ts,
    'events/s',
    `${events.length} events, ${signals.length} signals`,
  );

  const { rings, features, seconds } = buildFeatures({
    state: engine.state,
    money: engine.money,
    signals,
    rules,
  });
  figure(
    'ring job on the simulated marketplace',
    seconds.rings,
    's',
    `${rings.edges} edges, ${rings.rings.length} rings`,
  );
  note('synthetic 1,000,000-edge graph');
  const big = benchRings({ edges: 1_000_000, seed: 1 });
  figure(
    'ring job, 1,000,000-edge graph (build + FRAUDAR)',
    big.seconds,
    's',
    `precision ${big.precision.toFixed(3)}, recall ${big.recall.toFixed(3)} of injected rings`,
  );

  figure('feature building, every subject', seconds.features, 's');
  const truth = positives(loadTruth(join(market, 'truth.ndjson')));
  note('training the scorer on this marketplace');
  const t3 = performance.now();
  await trainScorer([{ name: 'bench', features, positives: truth }], { seed: 1 });
  figure(
    'training the learned scorer (5 kinds)',
    (performance.now() - t3) / 1000,
    's',
    `${features.order.ids.length} orders, ${features.account.ids.length} accounts`,
  );
  figure('peak memory (RSS) so far', rssMiB(), 'MiB');
}
