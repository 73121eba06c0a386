// What the main thread and the detection worker say to each other. The worker never touches the database:
// the main thread reads the log and the stored signals, posts them, and stores what comes back.
import type { EventOf, MarketEvent } from '../../events/index.ts';
import type { BatchOutcome } from '../batch.ts';
import type { Decision } from '../decisions.ts';
import type { RuleSet } from '../rules/schema.ts';
import type { Signal, SignalFacts } from '../signals.ts';
import type { SnapshotHeader } from '../snapshots.ts';
import type { RuleHits } from '../stream/engine.ts';

/** Given to the worker when it starts (workerData). */
export interface WorkerStart {
  rules: RuleSet;
  /** The learned scorer's file (read by the worker only). */
  modelFile: string;
  /**
   * A folder of snapshots the worker reads itself (no copy through the main thread) when a `restore`
   * names one. Not at once: decoding while the store opens held up /health on two busy cores.
   */
  preload?: string;
}

/** The thread's first message, once it has read the model: its version, or why it cannot be used. */
export type Loaded =
  | { id: -1; ok: true; value: { model: string } }
  | { id: -1; ok: false; error: { message: string; code?: string; zh?: string; stack?: string } };

/** Where the stream stands after a message. */
export interface StreamProgress {
  /** Seq of the last event the engine has processed. */
  lastSeq: number;
  /** Events processed since the worker started. */
  events: number;
  hits: RuleHits[];
}

export interface PageResult extends StreamProgress {
  /** Signals the rules found in the page. */
  found: Signal[];
}

/** Each operation: what it takes and what it answers. */
export interface Ops {
  /** Events in seq order; those at or below the engine's last seq are skipped (a page handed over again). */
  page: { in: { events: Array<{ seq: number; event: MarketEvent }> }; out: PageResult };
  rules: { in: { rules: RuleSet }; out: StreamProgress };
  /**
   * A page of the rules' stored signals for the next batch run, handed over as the main thread reads them
   * (no single large message to copy); `first` drops what an earlier, unfinished feed left.
   */
  feed: { in: { signals: SignalFacts[]; first: boolean }; out: { held: number } };
  /** Runs the batch job on the signals fed since the last `feed` with `first`, and lets them go. */
  batch: { in: Record<string, never>; out: BatchOutcome };
  decide: { in: { event: EventOf<'order.created'> }; out: Decision };
  /** The engine's memory now, encoded (snapshots.ts); the bytes are moved, not copied, to the caller. */
  snapshot: {
    in: { model: string | null };
    out: { header: SnapshotHeader; bytes: Uint8Array; seconds: number };
  };
  /**
   * Goes on from a snapshot instead of an empty market (only before the first page). A snapshot that does
   * not fit the rules and code, or is broken, is refused with the reason and the engine stays empty.
   */
  restore: {
    /** The snapshot's bytes, or the id of the one the worker preloaded. */
    in: { bytes: Uint8Array } | { preloaded: string };
    out: StreamProgress &
      ({ restored: SnapshotHeader; seconds: number } | { refused: { en: string; zh: string } });
  };
}

export type Op = keyof Ops;

export type Request = { [K in Op]: { id: number; op: K } & Ops[K]['in'] }[Op];

export type Reply =
  | { id: number; ok: true; value: Ops[Op]['out'] }
  | { id: number; ok: false; error: { message: string; stack?: string } };
