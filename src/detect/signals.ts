// What every detector emits: a signal on one subject, with a score, its evidence and a checkable reason.
import { createHash } from 'node:crypto';

export const SUBJECT_KINDS = ['account', 'merchant', 'listing', 'order', 'review'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface Explanation {
  zh: string;
  en: string;
}

export interface Signal {
  /** Deterministic: the same finding on the same evidence always has the same id, so replays never double it. */
  id: string;
  kind: SubjectKind;
  subject: string;
  /** In [0, 1]. */
  score: number;
  detector: string;
  detectorVersion: string;
  /** The rule that fired, for rule-driven detectors. */
  ruleId?: string;
  mode: 'live' | 'shadow';
  /** Event ids a person can open to check the finding. */
  evidence: string[];
  explanation: Explanation;
  /** Time of the last event that the finding rests on (ISO-8601, UTC). */
  at: string;
  /** Numbers behind the finding, for the learned scorer and for people. */
  facts?: Record<string, number>;
}

/**
 * What the learned scorer's features read of a rule's signal: everything but the evidence and the
 * explanation, which are for people and cost most to read back and to hand to the worker.
 */
export type SignalFacts = Pick<
  Signal,
  'id' | 'kind' | 'subject' | 'score' | 'detector' | 'ruleId' | 'mode' | 'at' | 'facts'
>;

export function signalId(detector: string, kind: SubjectKind, subject: string, key: string): string {
  return createHash('sha256')
    .update(`${detector}\u0000${kind}\u0000${subject}\u0000${key}`)
    .digest('base64url')
    .slice(0, 22);
}

export const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
