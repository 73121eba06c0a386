// Detection's compute, as the worker thread holds it: the stream engine, the batch job's last results and
// real-time decisions over both. Plain and synchronous, so it can be tested without a thread.
import { BatchJob } from '../batch.ts';
import { decideOrder } from '../decisions.ts';
import type { RuleSet } from '../rules/schema.ts';
import type { Scorer } from '../scorer.ts';
import type { Signal, SignalFacts } from '../signals.ts';
import {
  decodeSnapshot,
  encodeSnapshot,
  refusal,
  type SnapshotHeader,
  SnapshotRefused,
  snapshotDigest,
} from '../snapshots.ts';
import { FolderSnapshotStore } from '../snapshots-store.ts';
import { type EngineMemory, StreamEngine } from '../stream/engine.ts';
import { DETECTORS } from '../stream/rules/index.ts';
import type { Ops, Reply, Request, StreamProgress } from './protocol.ts';

export class DetectCompute {
  private engine: StreamEngine;
  private readonly batch: BatchJob;
  private found: Signal[] = [];
  /** The rules' stored signals fed for the next batch run. */
  private fed: SignalFacts[] = [];

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

  feed({ signals, first }: Ops['feed']['in']): Ops['feed']['out'] {
    if (first) this.fed = [];
    for (const s of signals) this.fed.push(s);
    return { held: this.fed.length };
  }

  runBatch(): Ops['batch']['out'] {
    const signals = this.fed;
    this.fed = [];
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

  restore(input: { bytes: Uint8Array }): Ops['restore']['out'] {
    const t0 = performance.now();
    return this.adopt(() => decodeSnapshot(input.bytes, this.digest()), t0);
  }

  private digest(): string {
    return snapshotDigest(this.rules, DETECTORS.values());
  }

  private adopt(
    decode: () => { header: SnapshotHeader; memory: EngineMemory },
    t0: number,
  ): Ops['restore']['out'] {
    if (this.engine.lastSeq > 0) throw new Error('A snapshot can only be restored before the first event.');
    try {
      const { header, memory } = decode();
      this.engine = new StreamEngine(this.rules, DETECTORS, (s) => this.found.push(s), memory);
      return { ...this.progress(), restored: header, seconds: (performance.now() - t0) / 1000 };
    } catch (e) {
      if (!(e instanceof SnapshotRefused)) throw e;
      return { ...this.progress(), refused: { en: e.en, zh: e.zh } };
    }
  }

  private preloaded:
    | Promise<{
        id: string;
        decoded?: { header: SnapshotHeader; memory: EngineMemory };
        why?: SnapshotRefused;
        seconds: number;
      }>
    | undefined;

  /** The folder snapshots are kept in, when the worker may read them itself. */
  snapshotDir: string | undefined;

  /** Reads and decodes the newest snapshot in `dir` that fits; `restore({ preloaded })` takes it up. */
  preload(dir: string): void {
    const digest = this.digest();
    this.preloaded = (async () => {
      const [chosen] = (await new FolderSnapshotStore(dir).list()).filter(
        (s) => !s.unreadable && !refusal(s.header, digest),
      );
      if (!chosen) return { id: '', seconds: 0 };
      const bytes = await new FolderSnapshotStore(dir).read(chosen.id);
      const t0 = performance.now();
      try {
        return {
          id: chosen.id,
          decoded: decodeSnapshot(bytes, digest),
          seconds: (performance.now() - t0) / 1000,
        };
      } catch (e) {
        if (!(e instanceof SnapshotRefused)) throw e;
        return { id: chosen.id, why: e, seconds: 0 };
      }
    })();
    this.preloaded.catch(() => {});
  }

  private async restorePreloaded(id: string): Promise<Ops['restore']['out']> {
    if (!this.preloaded && this.snapshotDir) this.preload(this.snapshotDir);
    const p = await this.preloaded?.catch((e: Error) => ({
      id: '',
      why: undefined,
      decoded: undefined,
      seconds: 0,
      err: e,
    }));
    const t0 = performance.now() - (p?.seconds ?? 0) * 1000;
    this.preloaded = undefined;
    if (!p || p.id !== id)
      return {
        ...this.progress(),
        refused: { en: 'it was not the one the worker preloaded', zh: '它不是工作线程预先读取的快照' },
      };
    return this.adopt(() => {
      if (p.why) throw p.why;
      return p.decoded!;
    }, t0);
  }

  /** `serve`, and restores of a preloaded snapshot, which wait for it. */
  async serveAsync(req: Request): Promise<Reply> {
    if (req.op !== 'restore' || !('preloaded' in req)) return this.serve(req);
    try {
      return { id: req.id, ok: true, value: await this.restorePreloaded(req.preloaded) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return { id: req.id, ok: false, error: { message: err.message, stack: err.stack } };
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
      case 'feed':
        return this.feed(req);
      case 'batch':
        return this.runBatch();
      case 'decide':
        return this.decide(req);
      case 'snapshot':
        return this.snapshot(req);
      case 'restore':
        if ('preloaded' in req) throw new Error('A preloaded snapshot is restored through serveAsync.');
        return this.restore(req);
    }
  }

  private progress(): StreamProgress {
    return { lastSeq: this.engine.lastSeq, events: this.engine.state.events, hits: this.engine.ruleHits() };
  }
}
