// For the simulator's tests only: a run kept in memory, and its events of one type.
import type { MarketEvent } from '../events/index.ts';
import type { SimOptions } from './options.ts';
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
