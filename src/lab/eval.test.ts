import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUBJECT_KINDS, type SubjectKind } from '../detect/index.ts';
import { evaluate, formatReport } from './eval.ts';
import type { Truth } from './truth.ts';

function truth(entries: Array<[SubjectKind, string, string]>): Truth {
  const t = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, new Map<string, string[]>()])) as Truth;
  for (const [k, id, scheme] of entries) t[k].set(id, [...(t[k].get(id) ?? []), scheme]);
  return t;
}

test('scores precision, recall, F1, AUROC and AP per kind and per scheme; unlisted subjects score 0', () => {
  const universe = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, [] as string[]])) as Record<
    SubjectKind,
    string[]
  >;
  universe.order = ['o1', 'o2', 'o3', 'o4', 'o5'];
  const t = truth([
    ['order', 'o1', 'brushing'],
    ['order', 'o2', 'extortion'],
    ['order', 'o9', 'brushing'],
  ]);
  const scores = new Map([
    ['order:o1', 0.9],
    ['order:o2', 0.4],
    ['order:o3', 0.7],
  ]);
  const r = evaluate(universe, scores, t, new Map(), 0.5);
  const o = r.kinds.order;
  assert.equal(o.n, 6, 'truth subjects missing from the events still count');
  assert.equal(o.positives, 3);
  assert.equal(o.precision, 0.5);
  assert.equal(o.recall, 1 / 3);
  const brushing = r.schemes.find((x) => x.kind === 'order' && x.scheme === 'brushing')!;
  assert.equal(brushing.positives, 2);
  assert.equal(brushing.recall, 0.5);
  assert.match(formatReport(r), /order\s+brushing/);
});

test('counts false positives among honest look-alikes only', () => {
  const universe = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, [] as string[]])) as Record<
    SubjectKind,
    string[]
  >;
  const t = truth([['account', 'bad', 'brushing']]);
  const scores = new Map([
    ['account:h1', 0.7],
    ['account:bad', 0.9],
  ]);
  const cohorts = new Map([
    ['household', { kind: 'account' as const, members: new Set(['h1', 'h2', 'bad']) }],
    ['compensating merchant', { kind: 'merchant' as const, members: new Set(['m1', 'm2']) }],
  ]);
  const r = evaluate(universe, new Map([...scores, ['merchant:m2', 0.6]]), t, cohorts, 0.5);
  assert.deepEqual(r.cohorts[0], { cohort: 'household', kind: 'account', honest: 2, flagged: 1, rate: 0.5 });
  assert.deepEqual(r.cohorts[1], {
    cohort: 'compensating merchant',
    kind: 'merchant',
    honest: 2,
    flagged: 1,
    rate: 0.5,
  });
});
