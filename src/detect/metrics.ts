// Detection's figures for /metrics: how far the rules are behind the log, the signals stored by detector,
// and the batch job's runs. The lag gauges are worked out when scraped.
import type { EventLog } from '../events/index.ts';
import { type Metrics, SECONDS_BUCKETS } from '../platform/metrics.ts';
import type { BatchSummary } from './batch.ts';
import type { Signal } from './signals.ts';

export interface DetectionMeter {
  /** Newly stored signals (a replay re-finding stored ones counts nothing). */
  stored(signals: Signal[]): void;
  /** Times a batch run and counts it as ok or failed. */
  batch(run: () => Promise<BatchSummary>): Promise<BatchSummary>;
}

export function detectionMeter(m: Metrics, log: EventLog, processedSeq: () => number): DetectionMeter {
  const since = Date.now();
  m.gauge({
    name: 'tianping_detection_lag_events',
    help: 'Events stored but not yet through the streaming rules',
    async collect() {
      this.set(Math.max(0, (await log.head()) - processedSeq()));
    },
  });
  m.gauge({
    name: 'tianping_detection_lag_seconds',
    help: 'How long the oldest event not yet through the streaming rules has waited (since it was received, or since detection started if later); 0 when caught up',
    async collect() {
      const [next] = await log.page(processedSeq(), 1);
      this.set(next ? Math.max(0, (Date.now() - Math.max(Date.parse(next.receivedAt), since)) / 1000) : 0);
    },
  });
  const signals = m.counter({
    name: 'tianping_signals_total',
    help: 'Signals stored since start, by detector and mode (live, or shadow: counted, no alerts)',
    labelNames: ['detector', 'mode'],
  });
  const runs = m.counter({
    name: 'tianping_batch_runs_total',
    help: 'Runs of the batch job (rings and the learned scorer), by outcome',
    labelNames: ['outcome'],
  });
  for (const outcome of ['ok', 'failed']) runs.inc({ outcome }, 0);
  const duration = m.histogram({
    name: 'tianping_batch_duration_seconds',
    help: 'Duration of each batch run, waiting for the rules to catch up included',
    buckets: [...SECONDS_BUCKETS, 120, 300, 600],
  });
  return {
    stored(list) {
      for (const s of list) signals.inc({ detector: s.detector, mode: s.mode });
    },
    async batch(run) {
      const end = duration.startTimer();
      try {
        const r = await run();
        runs.inc({ outcome: 'ok' });
        return r;
      } catch (e) {
        runs.inc({ outcome: 'failed' });
        throw e;
      } finally {
        end();
      }
    },
  };
}
