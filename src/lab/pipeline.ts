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
import {
  checkEvent,
  lineStarts,
  type MarketEvent,
  parseTime,
  readNdjsonFile,
  readNdjsonLines,
} from '../events/index.ts';

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

/** Streams a file through the rules, in time order as the platform would deliver its events. */
export async function analyseFile(path: string, opts: RunOptions = {}): Promise<DetectionRun> {
  const rules = opts.rules ?? loadRulesFile();
  const t0 = performance.now();
  const streamed = (await inFileOrder(path, rules, opts)) ?? (await inTimeOrder(path, rules, opts));
  const tStream = (performance.now() - t0) / 1000;
  opts.onProgress?.('rings and features', 0.8);
  // The same analysis the running service's batch job does.
  const { engine, signals } = streamed;
  const f = buildFeatures({ state: engine.state, money: engine.money, signals, rules });
  opts.onProgress?.('features', 1);
  return {
    engine,
    rules,
    signals,
    rings: f.rings,
    features: f.features,
    events: streamed.events,
    rejected: streamed.rejected,
    seconds: { stream: tStream, ...f.seconds },
  };
}

interface Streamed {
  engine: StreamEngine;
  signals: Signal[];
  events: number;
  rejected: number;
}

function streamer(rules: RuleSet): Streamed {
  const signals: Signal[] = [];
  return { engine: createStreamEngine(rules, (s) => signals.push(s)), signals, events: 0, rejected: 0 };
}

/**
 * The file's valid events a batch of lines at a time, each with its time and line, and how much of the file
 * is read; the others are counted as rejected on `run`.
 */
async function* validEvents(path: string, run: Streamed) {
  const size = statSync(path).size;
  for await (const b of readNdjsonFile(path, 20000)) {
    const valid: Array<{ event: MarketEvent; at: number; line: number }> = [];
    for (const r of b.records) {
      const c = r.error ? undefined : checkEvent(r.value, { plain: r.plain });
      if (c?.ok) valid.push({ event: c.event, at: parseTime(c.event.time) ?? 0, line: r.pos });
      else run.rejected++;
    }
    yield { valid, read: b.bytesRead / size };
  }
}

/**
 * A file already in time order (as exports and the simulator write them) is streamed through the rules as it
 * is read, never held whole. Undefined at the first event earlier than the one before it.
 */
async function inFileOrder(path: string, rules: RuleSet, opts: RunOptions): Promise<Streamed | undefined> {
  const run = streamer(rules);
  let last = Number.NEGATIVE_INFINITY;
  for await (const { valid, read } of validEvents(path, run)) {
    for (const { event, at } of valid) {
      if (at < last) return undefined;
      last = at;
      run.engine.process(event, at);
      run.events++;
    }
    opts.onProgress?.('streaming', 0.7 * read);
  }
  return run;
}

/**
 * A file out of order: read once for each valid event's time and line, then its lines again one at a time
 * in time order (events with the same time in file order), so memory holds two numbers per event.
 */
async function inTimeOrder(path: string, rules: RuleSet, opts: RunOptions): Promise<Streamed> {
  const run = streamer(rules);
  let times = new Float64Array(1 << 16);
  let lines = new Int32Array(1 << 16);
  let n = 0;
  for await (const { valid, read } of validEvents(path, run)) {
    for (const { at, line } of valid) {
      if (n === times.length) {
        times = grow(times, new Float64Array(2 * n));
        lines = grow(lines, new Int32Array(2 * n));
      }
      times[n] = at;
      lines[n++] = line;
    }
    opts.onProgress?.('reading (the file is not in time order)', 0.3 * read);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const byTime = order.map((i) => lines[i]);
  const starts = await lineStarts(path);
  let i = 0;
  for (const r of readNdjsonLines(path, starts, byTime)) {
    // Lines read again are the ones that passed above; the check gives back their parsed event.
    const c = checkEvent(r.value, { plain: r.plain });
    if (c.ok) run.engine.process(c.event, times[order[i]]);
    if (++i % 100000 === 0) opts.onProgress?.('streaming in time order', 0.3 + (0.4 * i) / n);
  }
  run.events = n;
  return run;
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
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
