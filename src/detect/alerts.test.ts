import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertOf, noisyOr } from './alerts.ts';
import { loadRulesFile } from './rules/load.ts';
import type { Signal } from './signals.ts';

const rules = loadRulesFile();
const sig = (o: Partial<Signal> & Pick<Signal, 'detector' | 'score'>): Signal => ({
  id: `${o.detector}-${o.ruleId ?? ''}-${o.score}`,
  kind: 'account',
  subject: 'a1',
  detectorVersion: '1',
  mode: 'live',
  evidence: [],
  explanation: { zh: `中文 ${o.detector}`, en: `en ${o.detector}` },
  at: '2026-11-01T00:00:00.000Z',
  ...o,
});

test('noisy-OR: no indication is 0, one is itself, independent ones add up below 1', () => {
  assert.equal(noisyOr([]), 0);
  assert.equal(noisyOr([0.4]), 0.4);
  assert.ok(Math.abs(noisyOr([0.5, 0.5]) - 0.75) < 1e-12);
});

test('an alert counts each detector once, at its strongest, weighted by its rule or by the policy', () => {
  const payback = rules.rules.find((r) => r.id === 'payback-after-order')!;
  const list = [
    sig({ detector: 'rule:payback', ruleId: payback.id, score: 0.5, at: '2026-11-02T00:00:00.000Z' }),
    sig({ detector: 'rule:payback', ruleId: payback.id, score: 0.8 }),
    sig({ detector: 'graph:dense-block', score: 0.9, at: '2026-11-03T00:00:00.000Z' }),
  ];
  const a = alertOf(list, rules);
  const expected = noisyOr([payback.weight * 0.8, rules.policy.alerts.ring_weight * 0.9]);
  assert.equal(a.score, Math.round(expected * 10000) / 10000);
  assert.equal(a.signals, 3);
  assert.equal(a.firstAt, '2026-11-01T00:00:00.000Z');
  assert.equal(a.lastAt, '2026-11-03T00:00:00.000Z');
  assert.equal(a.topExplanation.en, 'en rule:payback', 'the heaviest weighted signal explains the alert');
});

test('the policy caps any one signal, so no single finding makes an alert certain', () => {
  const strict = {
    ...rules,
    policy: { ...rules.policy, alerts: { ...rules.policy.alerts, max_weighted_score: 0.9 } },
  };
  assert.equal(alertOf([sig({ detector: 'model:scorer', score: 1 })], strict).score, 0.9);
});
