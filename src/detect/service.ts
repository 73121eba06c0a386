// Detection as a running service: a worker consumes the event log in arrival order (seq), feeds the
// streaming rules, stores their signals and keeps alerts current. On start it rebuilds the detectors' state
// by replaying the log; signal ids come from the evidence, so the replay re-finds what was already stored
// without doubling it, and stores whatever a crash kept from being stored. A batch job adds rings and the
// learned scorer's view; the real-time decision answers from the state in memory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MarketEvent } from '../events/contract.ts';
import { EventRepository } from '../events/repository.ts';
import type { Db } from '../platform/db/db.ts';
import { AppError } from '../platform/errors.ts';
import { buildAllFeatures } from './features.ts';
import { findRings, type Ring } from './graph/rings.ts';
import { type Alert, DetectionRepository } from './repository.ts';
import { DEFAULT_RULES_FILE, parseRules } from './rules/load.ts';
import type { Rule, RuleSet } from './rules/schema.ts';
import { loadScorer, type Scorer, score } from './scorer.ts';
import {
  clamp01,
  type Explanation,
  type Signal,
  SUBJECT_KINDS,
  type SubjectKind,
  signalId,
} from './signals.ts';
import { type RuleHits, StreamEngine } from './stream/engine.ts';
import { DETECTORS } from './stream/rules/index.ts';

const PAGE = 5000;
const RING_WEIGHT = 0.6;
const CHECKPOINT = 'stream';

export interface DetectOptions {
  rulesFile?: string;
  modelFile?: string;
}

export interface BatchSummary {
  rings: number;
  suspiciousRings: number;
  signals: number;
  scored: number;
  seconds: number;
}

export class DetectService {
  readonly repo: DetectionRepository;
  private readonly events: EventRepository;
  private engine: StreamEngine;
  private rules: RuleSet;
  private readonly rulesFile: string;
  private scorer: Scorer | undefined;
  private buffer: Signal[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Latest learned-scorer scores, by `kind:id`, for decisions. */
  private modelScores = new Map<string, number>();
  private ringOf = new Map<string, { suspicion: number; id: string }>();
  private lastBatch: BatchSummary | undefined;

  constructor(db: Db, opts: DetectOptions = {}) {
    this.repo = new DetectionRepository(db);
    this.events = new EventRepository(db);
    this.rulesFile = opts.rulesFile ?? DEFAULT_RULES_FILE;
    this.rules = parseRules(readFileSync(this.rulesFile, 'utf8'), this.rulesFile);
    this.engine = new StreamEngine(this.rules, DETECTORS, (s) => this.buffer.push(s));
    try {
      this.scorer = loadScorer(opts.modelFile);
    } catch {
      // Without a model the rules and rings still work; decisions lean on them alone.
      this.scorer = undefined;
    }
  }

  /** Replays the stored log to rebuild state (and store anything a crash lost), then follows new events. */
  async start(): Promise<void> {
    await this.pump();
  }

  /** Called when intake stored new events; the worker catches up in the background. */
  notify(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pump().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.notify();
      }
    });
  }

  /** Waits until every stored event has been through the detectors (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    await this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  get lastSeq(): number {
    return this.engine.lastSeq;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const page = await this.events.after(this.engine.lastSeq, PAGE);
      if (page.length === 0) return;
      for (const e of page) {
        this.engine.process(
          { id: e.id, type: e.type, time: e.time, data: e.data } as MarketEvent,
          Date.parse(e.time),
          e.seq,
        );
      }
      await this.flush();
      if (this.stopped) return;
    }
  }

  private async flush(): Promise<void> {
    const found = this.buffer;
    this.buffer = [];
    await this.storeSignals(found);
    await this.repo.saveRuleHits(this.engine.ruleHits());
    await this.repo.checkpoint(CHECKPOINT, this.engine.lastSeq);
  }

  private async storeSignals(found: Signal[]): Promise<void> {
    if (found.length === 0) return;
    await this.repo.insertSignals(found);
    const touched = new Map<string, { kind: SubjectKind; subject: string }>();
    for (const s of found)
      if (s.mode === 'live') touched.set(`${s.kind}:${s.subject}`, { kind: s.kind, subject: s.subject });
    await this.refreshAlerts([...touched.values()]);
  }

  /** Noisy-OR of each detector's strongest signal, weighted by the rule file. */
  private async refreshAlerts(subjects: Array<{ kind: SubjectKind; subject: string }>): Promise<void> {
    const weights = new Map(this.rules.rules.map((r) => [r.id, r.weight]));
    const all = await this.repo.liveSignalsOf(subjects);
    const by = new Map<string, Signal[]>();
    for (const s of all) {
      const k = `${s.kind}\u0000${s.subject}`;
      const l = by.get(k);
      if (l) l.push(s);
      else by.set(k, [s]);
    }
    const alerts: Omit<Alert, 'status'>[] = [];
    for (const list of by.values()) {
      const best = new Map<string, Signal>();
      for (const s of list) {
        const key = s.ruleId ?? s.detector;
        const had = best.get(key);
        if (!had || s.score > had.score) best.set(key, s);
      }
      let keep = 1;
      let top: Signal | undefined;
      let topW = -1;
      for (const [key, s] of best) {
        const w = weights.get(key) ?? (s.detector.startsWith('graph:') ? RING_WEIGHT : 1);
        keep *= 1 - Math.min(0.999, w * s.score);
        if (w * s.score > topW) {
          topW = w * s.score;
          top = s;
        }
      }
      const times = list.map((s) => s.at).sort();
      alerts.push({
        kind: list[0].kind,
        subject: list[0].subject,
        score: Math.round((1 - keep) * 10000) / 10000,
        signals: list.length,
        topExplanation: top!.explanation,
        firstAt: times[0],
        lastAt: times[times.length - 1],
      });
    }
    await this.repo.upsertAlerts(alerts);
  }

  // ----- rules ------------------------------------------------------------------------------------------

  /**
   * Reloads rules from the rule file, or from `text` (then also written to the file). An invalid file
   * throws with the rule id and field, and the running rules stay as they were.
   */
  async reloadRules(text?: string): Promise<{ rules: number; source: string }> {
    const src = text ?? readFileSync(this.rulesFile, 'utf8');
    const next = parseRules(src, text ? 'request body' : this.rulesFile);
    this.engine.setRules(next);
    this.rules = { ...next, source: this.rulesFile };
    if (text !== undefined && existsSync(this.rulesFile)) writeFileSync(this.rulesFile, text);
    return { rules: next.rules.length, source: text ? 'request body' : this.rulesFile };
  }

  ruleStatus(): Array<RuleHits & { description: Rule['description']; basis: Rule['basis']; weight: number }> {
    const hits = new Map(this.engine.ruleHits().map((h) => [h.rule, h]));
    return this.rules.rules.map((r) => ({
      ...(hits.get(r.id) ?? { rule: r.id, kind: r.kind, mode: r.mode, hits: 0 }),
      description: r.description,
      basis: r.basis,
      weight: r.weight,
    }));
  }

  // ----- batch: rings and the learned scorer -------------------------------------------------------------

  /** Runs the ring job and the learned scorer over the current state; their findings become signals. */
  async runBatch(): Promise<BatchSummary> {
    await this.drain();
    const t0 = performance.now();
    const state = this.engine.state;
    const signals = await this.repo.listSignals({ limit: 1_000_000 });
    const rings = findRings(state);
    const input = { state, money: this.engine.money, signals, rules: this.rules, rings };
    const features = buildAllFeatures(input);
    const out: Signal[] = [];
    const at = new Date(state.now || Date.now()).toISOString();
    const modelScores = new Map<string, number>();
    let scored = 0;
    if (this.scorer) {
      for (const kind of SUBJECT_KINDS) {
        for (const s of score(this.scorer, features[kind], 0.5)) {
          scored++;
          modelScores.set(`${kind}:${s.id}`, s.score);
          if (s.score < 0.5) continue;
          out.push({
            id: signalId(`model:${this.scorer.version}`, kind, s.id, 'score'),
            kind,
            subject: s.id,
            score: s.score,
            detector: 'model:scorer',
            detectorVersion: this.scorer.version,
            mode: 'live',
            evidence: [],
            explanation: modelExplanation(s.top),
            at,
            facts: Object.fromEntries(s.top.map((t) => [t.feature, t.value])),
          });
        }
      }
    }
    // A ring is as suspicious as the share of its members the scorer (or the rules) flags.
    const ringRows: Array<Ring & { suspicion: number }> = [];
    const ringOf = new Map<string, { suspicion: number; id: string }>();
    for (const r of rings.rings) {
      const flagged = r.members.filter((m) => (modelScores.get(`account:${m}`) ?? 0) >= 0.5).length;
      const suspicion = clamp01(flagged / r.members.length);
      ringRows.push({ ...r, suspicion });
      if (suspicion < 0.3) continue;
      for (const m of r.members) {
        const had = ringOf.get(m);
        if (!had || had.suspicion < suspicion) ringOf.set(m, { suspicion, id: r.id });
        out.push({
          id: signalId(`graph:${r.method}`, 'account', m, [...r.members].sort().join(',')),
          kind: 'account',
          subject: m,
          score: clamp01(0.3 + 0.6 * suspicion),
          detector: `graph:${r.method}`,
          detectorVersion: '1',
          mode: 'live',
          evidence: r.evidence.slice(0, 50),
          explanation: {
            zh: `属于一个 ${r.members.length} 个账号的${r.method === 'dense-block' ? '稠密交易团伙' : '共用标识团伙'}，其中 ${Math.round(suspicion * 100)}% 已被判定可疑；共用商家 ${r.merchants.length} 个、标识 ${r.identifiers.length} 个`,
            en: `member of a ${r.members.length}-account ${r.method === 'dense-block' ? 'dense buying block' : 'shared-identifier cluster'}, ${Math.round(suspicion * 100)}% of whose members are flagged; ${r.merchants.length} shared merchants, ${r.identifiers.length} shared identifiers`,
          },
          at,
          facts: { ring_members: r.members.length, ring_density: r.density, ring_suspicion: suspicion },
        });
      }
    }
    await this.repo.replaceRings(ringRows);
    await this.storeSignals(out);
    this.modelScores = modelScores;
    this.ringOf = ringOf;
    this.lastBatch = {
      rings: rings.rings.length,
      suspiciousRings: ringRows.filter((r) => r.suspicion >= 0.3).length,
      signals: out.length,
      scored,
      seconds: (performance.now() - t0) / 1000,
    };
    return this.lastBatch;
  }

  status() {
    return {
      lastSeq: this.engine.lastSeq,
      events: this.engine.state.events,
      rules: this.rules.rules.length,
      model: this.scorer?.version ?? null,
      lastBatch: this.lastBatch ?? null,
    };
  }

  // ----- real-time decision ------------------------------------------------------------------------------

  /** Allow, review or block an order about to be created, from what the detectors hold now. */
  decide(e: Extract<MarketEvent, { type: 'order.created' }>): Decision {
    const s = this.engine.state;
    const d = e.data;
    const reasons: DecisionReason[] = [];
    const add = (code: string, score: number, zh: string, en: string) =>
      reasons.push({ code, score: clamp01(score), zh, en });
    const buyerScore = this.modelScores.get(`account:${d.buyer_id}`) ?? 0;
    if (buyerScore >= 0.3)
      add(
        'buyer_model',
        buyerScore,
        `买家账号风险评分 ${buyerScore.toFixed(2)}`,
        `buyer account risk score ${buyerScore.toFixed(2)}`,
      );
    const ring = this.ringOf.get(d.buyer_id);
    if (ring)
      add(
        'buyer_ring',
        0.4 + 0.5 * ring.suspicion,
        `买家属于可疑团伙 ${ring.id}`,
        `buyer belongs to suspicious ring ${ring.id}`,
      );
    const merchantScore = this.modelScores.get(`merchant:${d.merchant_id}`) ?? 0;
    const buyer = s.accounts.get(d.buyer_id);
    const now = Date.parse(e.time);
    // Other accounts on this device or address that bought from this merchant lately (not a shared network).
    for (const [kind, value] of [
      ['device', d.device_id],
      ['address', d.address_hash],
    ] as const) {
      if (!value) continue;
      const accounts = s.ids[kind].accounts.get(value);
      const merchants = s.ids[kind].merchants.get(value);
      if (!accounts || accounts.size < 3 || (merchants?.size ?? 0) >= 40) continue;
      let here = 0;
      for (const a of accounts) {
        if (a === d.buyer_id) continue;
        if (
          s.accounts
            .get(a)
            ?.orders.some((o) => o.merchant === d.merchant_id && now - o.createdAt < 14 * 86_400_000)
        )
          here++;
      }
      if (here >= 2) {
        const name = kind === 'device' ? { zh: '设备', en: 'device' } : { zh: '收货地址', en: 'address' };
        add(
          `shared_${kind}`,
          0.3 + 0.1 * here,
          `同一${name.zh}上另有 ${here} 个账号近期在该商家下单`,
          `${here} other accounts on this ${name.en} ordered from this merchant recently`,
        );
      }
    }
    if (merchantScore >= 0.5 && (buyerScore >= 0.2 || reasons.length > 0)) {
      add(
        'merchant_model',
        0.3 + 0.4 * merchantScore,
        `商家风险评分 ${merchantScore.toFixed(2)}（疑似刷单商家）`,
        `merchant risk score ${merchantScore.toFixed(2)} (suspected brushing client)`,
      );
    }
    let listed = 0;
    for (const it of d.items) listed += it.quantity * (s.listings.get(it.listing_id)?.price ?? it.unit_price);
    if (listed >= 500 && Math.abs(d.amount - listed) / listed > 0.5) {
      add(
        'price',
        0.35,
        `订单金额与标价合计偏离 ${Math.round((100 * (d.amount - listed)) / listed)}%`,
        `amount is ${Math.round((100 * (d.amount - listed)) / listed)}% off the listed prices`,
      );
    }
    const age = buyer ? now - (buyer.registeredAt ?? buyer.firstSeenAt) : 0;
    if (buyer && age < 86_400_000 && buyer.orders.length === 0 && reasons.length > 0) {
      add('fresh_account', 0.25, '注册不足一天的新账号首单', 'first order of an account less than a day old');
    }
    let keep = 1;
    for (const r of reasons) keep *= 1 - r.score;
    const total = clamp01(1 - keep);
    reasons.sort((a, b) => b.score - a.score);
    return {
      order_id: d.order_id,
      decision: total >= 0.85 ? 'block' : total >= 0.5 ? 'review' : 'allow',
      score: Math.round(total * 10000) / 10000,
      reasons,
      model: this.scorer?.version ?? null,
    };
  }

  requireKind(kind: string): SubjectKind {
    if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) {
      throw new AppError('invalid_input', `kind must be one of ${SUBJECT_KINDS.join(', ')}, got "${kind}".`);
    }
    return kind as SubjectKind;
  }
}

export interface DecisionReason {
  code: string;
  score: number;
  zh: string;
  en: string;
}

export interface Decision {
  order_id: string;
  decision: 'allow' | 'review' | 'block';
  score: number;
  reasons: DecisionReason[];
  model: string | null;
}

function modelExplanation(top: Array<{ feature: string; value: number }>): Explanation {
  const list = top
    .slice(0, 3)
    .map((t) => `${t.feature}=${Number.isFinite(t.value) ? Math.round(t.value * 1000) / 1000 : 'n/a'}`);
  return {
    zh: `学习模型评分较高，主要依据：${list.join('，')}`,
    en: `the learned scorer rates this high, mostly because of ${list.join(', ')}`,
  };
}
