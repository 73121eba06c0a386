import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FeatureSet, SUBJECT_KINDS, type SubjectKind } from '../detect/index.ts';
import { Random } from '../platform/random.ts';
import { leaveOneModeOut, modesIn } from './lomo.ts';
import type { Market } from './training.ts';
import type { Truth } from './truth.ts';

/**
 * A market with one scheme in two modes: classic positives show `loud`, adaptive ones only `quiet`. A model
 * that never saw the adaptive mode has nothing to find it by, which leave-one-mode-out must reveal.
 */
function market(seed: number): Market {
  const r = new Random(seed);
  const ids: string[] = [];
  const rows: number[] = [];
  const labels = new Map<string, string[]>();
  for (let i = 0; i < 1500; i++) {
    const id = `${seed}-${i}`;
    ids.push(id);
    const u = r.next();
    if (u < 0.06) labels.set(id, ['gang']);
    else if (u < 0.12) labels.set(id, ['gang', 'gang:adaptive']);
    const l = labels.get(id);
    const adaptive = l?.includes('gang:adaptive') ?? false;
    rows.push(
      l && !adaptive ? 0.8 + 0.2 * r.next() : 0.4 * r.next(),
      adaptive ? 0.8 + 0.2 * r.next() : 0.3 * r.next(),
    );
  }
  const set = (kind: SubjectKind): FeatureSet => ({
    kind,
    names: ['loud', 'quiet'],
    ids,
    rows: Float32Array.from(rows),
  });
  const features = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, set(k)])) as Market['features'];
  const truth = Object.fromEntries(
    SUBJECT_KINDS.map((k) => [k, k === 'account' ? labels : new Map<string, string[]>()]),
  ) as Truth;
  return { name: `m${seed}`, features, truth };
}

test('the modes of a market are read from its truth labels', () => {
  assert.deepEqual(modesIn(market(1).truth), [
    { scheme: 'gang', mode: 'adaptive' },
    { scheme: 'gang', mode: 'classic' },
  ]);
});

test('a mode left out of training is measured on its own subjects, and one the model never saw scores low', async () => {
  const rows = await leaveOneModeOut([market(1), market(2)], market(3), { seed: 1, folds: 2 });
  assert.deepEqual(
    rows.map((r) => [r.scheme, r.mode, r.kind]),
    [
      ['gang', 'adaptive', 'account'],
      ['gang', 'classic', 'account'],
    ],
  );
  const truth = market(3).truth.account;
  const adaptive = [...truth.values()].filter((l) => l.includes('gang:adaptive')).length;
  assert.equal(rows[0].positives, adaptive);
  assert.equal(rows[1].positives, truth.size - adaptive);
  // Trained only on the loud classic gangs, the quiet ones go unseen; and the other way round.
  assert.ok(rows[0].ap < 0.5, `adaptive left out: AP ${rows[0].ap}`);
  assert.ok(rows[1].ap < 0.5, `classic left out: AP ${rows[1].ap}`);
});
