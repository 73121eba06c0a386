// Intake's figures for /metrics: events by outcome, and how long a batch takes to check and store.
import { type Metrics, SECONDS_BUCKETS } from '../platform/metrics.ts';

const OUTCOMES = ['accepted', 'duplicate', 'rejected'] as const;

export interface IntakeMeter {
  counted(r: { accepted: number; duplicates: number; rejected: unknown[] }): void;
  took(seconds: number): void;
}

export function intakeMeter(m: Metrics): IntakeMeter {
  const events = m.counter({
    name: 'tianping_events_ingested_total',
    help: 'Events received at intake, by outcome: accepted (stored), duplicate (id already stored), rejected',
    labelNames: ['outcome'],
  });
  // Every outcome is shown from the start, at 0, so a rate over it never starts from a missing series.
  for (const outcome of OUTCOMES) events.inc({ outcome }, 0);
  const latency = m.histogram({
    name: 'tianping_intake_batch_seconds',
    help: 'Time to check and store one batch of events (one POST /v1/events), queueing behind other batches included',
    buckets: SECONDS_BUCKETS,
  });
  return {
    counted(r) {
      events.inc({ outcome: 'accepted' }, r.accepted);
      events.inc({ outcome: 'duplicate' }, r.duplicates);
      events.inc({ outcome: 'rejected' }, r.rejected.length);
    },
    took: (seconds) => latency.observe(seconds),
  };
}
