// The operator's figures: one Prometheus registry per running context. Capabilities register their own
// metrics through it (names start with `tianping_`); the HTTP layer exposes it at /metrics.
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';

/** Seconds, from a millisecond up to a minute: latencies of requests, batches and detection runs. */
export const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Metrics {
  readonly registry = new Registry();
  private processMetrics = false;

  /** Registering a name twice returns the metric already there, so a service built twice counts once. */
  counter<L extends string = string>(c: CounterConfiguration<L>): Counter<L> {
    return this.existing<Counter<L>>(c.name) ?? new Counter({ ...c, registers: [this.registry] });
  }

  histogram<L extends string = string>(c: HistogramConfiguration<L>): Histogram<L> {
    return this.existing<Histogram<L>>(c.name) ?? new Histogram({ ...c, registers: [this.registry] });
  }

  /** A gauge; give it `collect` to work its value out when scraped. */
  gauge<L extends string = string>(c: GaugeConfiguration<L>): Gauge<L> {
    return this.existing<Gauge<L>>(c.name) ?? new Gauge({ ...c, registers: [this.registry] });
  }

  /** prom-client's process and Node.js figures (CPU, memory, event loop lag, handles); once per registry. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
