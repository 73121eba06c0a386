// Detection's figures for /metrics: how far the rules are behind the log, the signals stored by detector,
// and the batch job's runs. The lag gauges are worked out when scraped.
import type { EventLog } from '../events/index.ts';
import { type Metrics, SECONDS_BUCKETS } from '../platform/metrics.ts';
import type { BatchRun } from './repository.ts';
import type { Signal } from './signals.ts';

export interface DetectionMeter {
  /** Newly stored signals (a replay re-finding stored ones counts nothing). */
  stored(signals: Signal[]): void;
  /** A finished batch run (done or failed), with how long it took. */
  ran(run: BatchRun): void;
}

export function detectionMeter(m: Metrics, log: EventLog, processedSeq: () => number): DetectionMeter {
  m.gauge({
    name: 'tianping_detection_lag_events',
    help: 'Events stored but not yet through the streaming rules',
    async collect() {
      // head − seq overstates it where seq has gaps (ids a failed COPY took on PostgreSQL), so up to
      // 100,000 behind the events are counted; beyond that the estimate is good enough and costs nothing.
      const seq = processedSeq();
      const span = Math.max(0, (await log.head()) - seq);
      this.set(span <= 100_000 ? (await log.behind(seq, 100_000)).events : span);
    },
  });
  m.gauge({
    name: 'tianping_detection_lag_seconds',
    help: 'How long ago the oldest event not yet through the streaming rules was received (what /ready compares with TIANPING_READY_LAG_SECONDS); 0 when caught up',
    async collect() {
      const b = await log.behind(processedSeq(), 1);
      this.set(b.events > 0 ? b.seconds : 0);
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
    ran(run) {
      runs.inc({ outcome: run.status === 'done' ? 'ok' : 'failed' });
      if (run.seconds !== undefined) duration.observe(run.seconds);
    },
  };
}
