import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../platform/random.ts';
import type { FeatureSet } from './features.ts';
import {
  plateauThreshold,
  scoreKinds,
  scorerFromJson,
  scorerToJson,
  toOperating,
  trainScorer,
} from './scorer.ts';
import { SUBJECT_KINDS, type SubjectKind } from './signals.ts';

function dataset(seed: number, n: number) {
  const r = new Random(seed);
  const ids: string[] = [];
  const rows: number[] = [];
  const pos = new Set<string>();
  for (let i = 0; i < n; i++) {
    const bad = r.chance(0.1);
    const id = `${seed}-${i}`;
    ids.push(id);
    if (bad) pos.add(id);
    rows.push(bad ? 0.7 + 0.3 * r.next() : 0.5 * r.next(), r.next(), bad && r.chance(0.8) ? 1 : 0);
  }
  const set = (kind: SubjectKind): FeatureSet => ({
    kind,
    names: ['signal', 'noise', 'flag'],
    ids,
    rows: Float32Array.from(rows),
  });
  const features = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, set(k)])) as Record<
    SubjectKind,
    FeatureSet
  >;
  const positives = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, pos])) as Record<
    SubjectKind,
    Set<string>
  >;
  return { name: `d${seed}`, features, positives };
}

test('trains one model per kind, and the operating threshold maps to 0.5', async () => {
  const s = await trainScorer([dataset(1, 1500), dataset(2, 1500)], { seed: 3 });
  for (const k of SUBJECT_KINDS) {
    const m = s.kinds[k];
    assert.ok(m, k);
    assert.ok(m.validation.ap > 0.95, `${k} AP ${m.validation.ap}`);
  }
  const test = dataset(9, 800);
  const out = scoreKinds(s, test.features).order;
  let tp = 0;
  let fp = 0;
  for (const x of out) {
    if (x.score >= 0.5 && test.positives.order.has(x.id)) tp++;
    else if (x.score >= 0.5) fp++;
  }
  assert.ok(tp / test.positives.order.size > 0.9 && fp / (tp + fp) < 0.1);
  const flagged = out.find((x) => x.score >= 0.5)!;
  assert.equal(flagged.top[0].feature, 'signal', 'the reason names the feature that drove the score');
});

test('a saved model scores exactly as the trained one', async () => {
  const s = await trainScorer([dataset(4, 1000)], { seed: 1 });
  const back = scorerFromJson(JSON.parse(JSON.stringify(scorerToJson(s))));
  assert.ok(s.context, 'the second stage is trained and saved');
  const t = dataset(5, 300).features;
  for (const kind of SUBJECT_KINDS)
    assert.deepEqual(
      scoreKinds(back, t)[kind].map((x) => x.score),
      scoreKinds(s, t)[kind].map((x) => x.score),
    );
  assert.throws(() => scorerFromJson({ format: 'other' }), /not a Tianping scorer file/);
});

test('the operating map keeps order and puts the threshold at 0.5', () => {
  assert.equal(toOperating(0.2, 0.2), 0.5);
  assert.ok(toOperating(0.1, 0.2) < toOperating(0.19, 0.2));
  assert.ok(toOperating(0.9, 0.2) > toOperating(0.5, 0.2));
  assert.equal(toOperating(1, 0.2), 1);
});

test('the threshold sits in the middle of the F1 plateau, not at its edge', () => {
  // Positives score 0.6..0.9, negatives 0..0.3: every threshold in (0.3, 0.6] separates them perfectly.
  const scores = [0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.1, 0];
  const labels = [1, 1, 1, 1, 0, 0, 0, 0];
  const t = plateauThreshold(scores, labels).threshold;
  assert.ok(t > 0.35 && t < 0.55, String(t));
});
