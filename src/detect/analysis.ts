// The batch analysis, written once: from the stream's state and the rules' signals to rings, features,
// learned scores and the signals these add. The running service's batch job stores its result; the lab's
// evaluation and training read it for files of events.
import { buildAllFeatures, type FeatureSet } from './features.ts';
import { findRings, type Ring, type RingOptions, type RingResult } from './graph/rings.ts';
import type { Policy, RuleSet } from './rules/schema.ts';
import { type Scored, type Scorer, scoreKinds } from './scorer.ts';
import {
  clamp01,
  type Explanation,
  type Signal,
  type SignalFacts,
  SUBJECT_KINDS,
  type SubjectKind,
  signalId,
} from './signals.ts';
import type { MoneyTrail } from './stream/money.ts';
import type { MarketState } from './stream/state.ts';

export interface AnalysisInput {
  state: MarketState;
  money: MoneyTrail;
  /** The rules' signals (live and shadow): the scorer's features read them. */
  signals: readonly SignalFacts[];
  rules: RuleSet;
}

export interface Features {
  rings: RingResult;
  features: Record<SubjectKind, FeatureSet>;
  seconds: { rings: number; features: number };
}

export const ringOptions = (p: Policy['rings']): RingOptions => ({
  blocks: p.blocks,
  minMembers: p.min_members,
  maxClusterIdentifierAccounts: p.max_cluster_identifier_accounts,
  identifierKinds: p.identifiers,
  maxOrdersPerEdge: p.max_orders_per_edge,
  clusterMerchantShare: p.cluster_merchant_share,
});

/** Rings, then one feature row per subject. */
export function buildFeatures(input: AnalysisInput): Features {
  const t0 = performance.now();
  const rings = findRings(input.state, ringOptions(input.rules.policy.rings));
  const t1 = performance.now();
  const features = buildAllFeatures({ ...input, rings });
  return { rings, features, seconds: { rings: (t1 - t0) / 1000, features: (performance.now() - t1) / 1000 } };
}

/** Every subject's learned score, kind by kind; `explainAt` decides which carry their top features. */
export function scoreAll(scorer: Scorer, features: Record<SubjectKind, FeatureSet>, explainAt: number) {
  const byKind = scoreKinds(scorer, features, explainAt);
  return SUBJECT_KINDS.flatMap((kind) => byKind[kind]);
}

export interface RingVerdict extends Ring {
  /** Share of the ring's members the learned scorer flags. */
  suspicion: number;
}

export interface BatchFindings {
  rings: RingVerdict[];
  /** Learned scores by `kind:id`. */
  modelScores: Map<string, number>;
  /** Each account's most suspicious ring at or above the policy's cut. */
  ringOf: Map<string, { suspicion: number; id: string }>;
  /** Signals of the learned scorer and of ring membership. */
  signals: Signal[];
  scored: number;
}

/** What the batch job adds: the scorer's signals, each ring's suspicion and its members' signals. */
export function batchFindings(
  f: Features,
  scorer: Scorer | undefined,
  policy: Policy,
  at: string,
): BatchFindings {
  const signals: Signal[] = [];
  const modelScores = new Map<string, number>();
  const scored = scorer ? scoreAll(scorer, f.features, policy.model.explain_at) : [];
  for (const s of scored) {
    modelScores.set(`${s.kind}:${s.id}`, s.score);
    if (s.score >= policy.model.signal_at) signals.push(modelSignal(s, scorer!.version, at));
  }
  const rings: RingVerdict[] = [];
  const ringOf = new Map<string, { suspicion: number; id: string }>();
  const p = policy.rings;
  for (const r of f.rings.rings) {
    const flagged = r.members.filter((m) => (modelScores.get(`account:${m}`) ?? 0) >= p.member_flagged_at);
    const suspicion = clamp01(flagged.length / r.members.length);
    rings.push({ ...r, suspicion });
    if (suspicion < p.min_suspicion) continue;
    for (const m of r.members) {
      const had = ringOf.get(m);
      if (!had || had.suspicion < suspicion) ringOf.set(m, { suspicion, id: r.id });
      signals.push(
        ringSignal(r, m, suspicion, clamp01(p.score_base + p.score_per_suspicion * suspicion), at),
      );
    }
  }
  return { rings, modelScores, ringOf, signals, scored: scored.length };
}

function modelSignal(s: Scored, version: string, at: string): Signal {
  return {
    id: signalId(`model:${version}`, s.kind, s.id, 'score'),
    kind: s.kind,
    subject: s.id,
    score: s.score,
    detector: 'model:scorer',
    detectorVersion: version,
    mode: 'live',
    evidence: [],
    explanation: modelExplanation(s.top),
    at,
    facts: Object.fromEntries(s.top.map((t) => [t.feature, t.value])),
  };
}

function ringSignal(r: Ring, member: string, suspicion: number, score: number, at: string): Signal {
  const dense = r.method === 'dense-block';
  const pct = Math.round(suspicion * 100);
  return {
    id: signalId(`graph:${r.method}`, 'account', member, [...r.members].sort().join(',')),
    kind: 'account',
    subject: member,
    score,
    detector: `graph:${r.method}`,
    detectorVersion: '1',
    mode: 'live',
    evidence: r.evidence.slice(0, 50),
    explanation: {
      zh: `属于一个 ${r.members.length} 个账号的${dense ? '稠密交易团伙' : '共用标识团伙'}，其中 ${pct}% 已被判定可疑；共用商家 ${r.merchants.length} 个、标识 ${r.identifiers.length} 个`,
      en: `member of a ${r.members.length}-account ${dense ? 'dense buying block' : 'shared-identifier cluster'}, ${pct}% of whose members are flagged; ${r.merchants.length} shared merchants, ${r.identifiers.length} shared identifiers`,
    },
    at,
    facts: { ring_members: r.members.length, ring_density: r.density, ring_suspicion: suspicion },
  };
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
