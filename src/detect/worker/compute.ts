// Detection's compute, as the worker thread holds it: the stream engine, the batch job's last results and
// real-time decisions over both. Plain and synchronous, so it can be tested without a thread.
import { BatchJob } from '../batch.ts';
import { decideOrder } from '../decisions.ts';
import type { RuleSet } from '../rules/schema.ts';
import type { Scorer } from '../scorer.ts';
import type { Signal } from '../signals.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotRefused, snapshotDigest } from '../snapshots.ts';
import { StreamEngine } from '../stream/engine.ts';
import { DETECTORS } from '../stream/rules/index.ts';
import type { Ops, Reply, Request, StreamProgress } from './protocol.ts';

export class DetectCompute {
  private engine: StreamEngine;
  private readonly batch: BatchJob;
  private found: Signal[] = [];

  constructor(
    private rules: RuleSet,
    scorer: Scorer | undefined,
  ) {
    this.engine = new StreamEngine(rules, DETECTORS, (s) => this.found.push(s));
    this.batch = new BatchJob(scorer);
  }

  page({ events }: Ops['page']['in']): Ops['page']['out'] {
    for (const { seq, event } of events) {
      if (seq <= this.engine.lastSeq) continue;
      this.engine.process(event, Date.parse(event.time), seq);
    }
    const found = this.found;
    this.found = [];
    return { ...this.progress(), found };
  }

  setRules({ rules }: Ops['rules']['in']): Ops['rules']['out'] {
    this.engine.setRules(rules);
    this.rules = rules;
    return this.progress();
  }

  runBatch({ signals }: Ops['batch']['in']): Ops['batch']['out'] {
    return this.batch.run(this.engine, this.rules, signals);
  }

  decide({ event }: Ops['decide']['in']): Ops['decide']['out'] {
    return decideOrder(event, this.engine.state, this.batch, this.rules, this.batch.scorer?.version ?? null);
  }

  snapshot({ model }: Ops['snapshot']['in']): Ops['snapshot']['out'] {
    const t0 = performance.now();
    const { header, bytes } = encodeSnapshot(this.engine.memory(), {
      digest: snapshotDigest(this.rules, DETECTORS.values()),
      model,
    });
    return { header, bytes, seconds: (performance.now() - t0) / 1000 };
  }

  restore({ bytes }: Ops['restore']['in']): Ops['restore']['out'] {
    if (this.engine.lastSeq > 0) throw new Error('A snapshot can only be restored before the first event.');
    const t0 = performance.now();
    try {
      const { header, memory } = decodeSnapshot(bytes, snapshotDigest(this.rules, DETECTORS.values()));
      this.engine = new StreamEngine(this.rules, DETECTORS, (s) => this.found.push(s), memory);
      return { ...this.progress(), restored: header, seconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      if (!(e instanceof SnapshotRefused)) throw e;
      return { ...this.progress(), refused: { en: e.en, zh: e.zh } };
    }
  }

  /** Answers one request; a failure is answered too, never thrown. */
  serve(req: Request): Reply {
    try {
      return { id: req.id, ok: true, value: this.answer(req) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return { id: req.id, ok: false, error: { message: err.message, stack: err.stack } };
    }
  }

  private answer(req: Request) {
    switch (req.op) {
      case 'page':
        return this.page(req);
      case 'rules':
        return this.setRules(req);
      case 'batch':
        return this.runBatch(req);
      case 'decide':
        return this.decide(req);
      case 'snapshot':
        return this.snapshot(req);
      case 'restore':
        return this.restore(req);
    }
  }

  private progress(): StreamProgress {
    return { lastSeq: this.engine.lastSeq, events: this.engine.state.events, hits: this.engine.ruleHits() };
  }
}
