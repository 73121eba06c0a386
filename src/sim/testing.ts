// For tests only: a run kept in memory, its events of one type, and a market with every scheme on.
import type { MarketEvent } from '../events/index.ts';
import { defaultSimOptions, type SimOptions, type SimOptionsInput } from './options.ts';
import { type CohortRecord, type SimSummary, simulate, type TruthRecord } from './simulate.ts';

export interface Run {
  events: MarketEvent[];
  truth: TruthRecord[];
  cohorts: CohortRecord[];
  summary: SimSummary;
}

export function run(opts: SimOptions): Run {
  const events: MarketEvent[] = [];
  const truth: TruthRecord[] = [];
  const cohorts: CohortRecord[] = [];
  const summary = simulate(opts, {
    event: (e) => events.push(e),
    truth: (t) => truth.push(t),
    cohort: (c) => cohorts.push(c),
  });
  return { events, truth, cohorts, summary };
}

export function byType<T extends MarketEvent['type']>(events: MarketEvent[], type: T) {
  return events.filter((e): e is Extract<MarketEvent, { type: T }> => e.type === type);
}

/** The events of a market of this size with every scheme on, so that every detector has something to find. */
export function everySchemeEvents(size: SimOptionsInput): MarketEvent[] {
  const opts = defaultSimOptions(size);
  for (const k of Object.keys(opts.schemes) as Array<keyof typeof opts.schemes>)
    (opts.schemes[k] as { enabled?: boolean }).enabled = true;
  const events: MarketEvent[] = [];
  simulate(opts, { event: (e) => events.push(e), truth: () => {} });
  return events;
}
