// Batch detection over an events file: stream every event through the rules, run the ring job, build
// features and score every subject. What `tianping detect`, `eval` and `train` share.
import { statSync } from 'node:fs';
import {
  buildFeatures,
  createStreamEngine,
  type FeatureSet,
  loadRulesFile,
  type RingResult,
  type RuleSet,
  type Scored,
  type Scorer,
  type Signal,
  type StreamEngine,
  SUBJECT_KINDS,
  type SubjectKind,
  scoreKinds,
} from '../detect/index.ts';
import { type CheckedEvent, checkEvent, parseTime, readNdjsonFile } from '../events/index.ts';

export interface DetectionRun {
  engine: StreamEngine;
  rules: RuleSet;
  signals: Signal[];
  rings: RingResult;
  features: Record<SubjectKind, FeatureSet>;
  events: number;
  rejected: number;
  seconds: { stream: number; rings: number; features: number };
}

export interface RunOptions {
  rules?: RuleSet;
  onProgress?: (msg: string, fraction?: number) => void;
}

/** Streams a file through the rules (events sorted by time first, as the platform would deliver them). */
export async function analyseFile(path: string, opts: RunOptions = {}): Promise<DetectionRun> {
  const rules = opts.rules ?? loadRulesFile();
  const signals: Signal[] = [];
  const engine = createStreamEngine(rules, (s) => signals.push(s));
  const size = statSync(path).size;
  const t0 = performance.now();
  const events: Array<{ at: number; e: CheckedEvent & { ok: true } }> = [];
  let rejected = 0;
  for await (const b of readNdjsonFile(path, 20000)) {
    for (const r of b.records) {
      const c = r.error ? undefined : checkEvent(r.value, { plain: r.plain });
      if (!c?.ok) {
        rejected++;
        continue;
      }
      events.push({ at: parseTime(c.event.time) ?? 0, e: c });
    }
    opts.onProgress?.('reading', (0.3 * b.bytesRead) / size);
  }
  // Stable sort: events with the same time keep file order.
  events.sort((a, b) => a.at - b.at);
  for (let i = 0; i < events.length; i++) {
    engine.process(events[i].e.event, events[i].at);
    if (i % 100000 === 0) opts.onProgress?.('streaming', 0.3 + (0.4 * i) / events.length);
  }
  const tStream = (performance.now() - t0) / 1000;
  opts.onProgress?.('rings and features', 0.8);
  // The same analysis the running service's batch job does.
  const f = buildFeatures({ state: engine.state, money: engine.money, signals, rules });
  opts.onProgress?.('features', 1);
  return {
    engine,
    rules,
    signals,
    rings: f.rings,
    features: f.features,
    events: events.length,
    rejected,
    seconds: { stream: tStream, ...f.seconds },
  };
}

export interface SubjectResult {
  kind: SubjectKind;
  id: string;
  score: number;
  reasons: string[];
}

const FEATURE_WORDS: Record<string, string> = {
  'sig.payback': 'money came back from the merchant side after the order',
  'sig.cashback': 'cash-back tied to a good review',
  'sig.extortion': 'demands for money with low ratings across shops',
  'sig.review_attack': 'part of a burst of low ratings from fresh or linked accounts',
  'sig.implausible_weight': 'parcel far too light for the goods',
  'sig.quick_templated_review': 'templated five-star review right after delivery',
  'sig.banned_claims': 'banned absolute claims in the listing',
  'sig.listing_switch': 'the listing became another product and kept its reviews',
};

/** Scores every subject and words its reasons: the rules' own explanations first, then the model's top features. */
export function scoreRun(run: DetectionRun, scorer: Scorer, minScore = 0): SubjectResult[] {
  const bySubject = new Map<string, Signal[]>();
  for (const s of run.signals) {
    if (s.mode !== 'live') continue;
    const k = `${s.kind}:${s.subject}`;
    const l = bySubject.get(k);
    if (l) l.push(s);
    else bySubject.set(k, [s]);
  }
  const out: SubjectResult[] = [];
  const byKind = scoreKinds(scorer, run.features);
  for (const kind of SUBJECT_KINDS) {
    for (const sc of byKind[kind]) {
      if (sc.score < minScore) continue;
      out.push({
        kind,
        id: sc.id,
        score: round(sc.score),
        reasons: reasonsFor(sc, bySubject.get(`${kind}:${sc.id}`)),
      });
    }
  }
  return out;
}

function reasonsFor(sc: Scored, signals: Signal[] | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of [...(signals ?? [])].sort((a, b) => b.score - a.score)) {
    if (seen.has(s.detector) || out.length >= 3) continue;
    seen.add(s.detector);
    out.push(`${s.ruleId}: ${s.explanation.en}`);
  }
  for (const t of sc.top.slice(0, 3)) {
    const bare = t.feature.replace(/^(o\.|b\.|m\.)/, '');
    const words = FEATURE_WORDS[bare] ?? bare.replace(/[._]/g, ' ');
    out.push(`model: ${words} (${t.feature}=${Number.isFinite(t.value) ? round(t.value) : 'n/a'})`);
  }
  return out;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
