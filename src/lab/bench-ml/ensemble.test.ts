import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagePrecision } from '../../detect/index.ts';
import { Random } from '../../platform/random.ts';
import { blendMargins, chooseBlend, greedyWeights } from './ensemble.ts';

test('blendMargins is the weighted sum', () => {
  const out = blendMargins([Float64Array.from([1, 2]), Float64Array.from([10, 20])], [0.5, 0.25]);
  assert.deepEqual(Array.from(out), [3, 6]);
  assert.throws(() => blendMargins([Float64Array.from([1])], [1, 2]), /weight/);
});

test('greedyWeights ignores a useless scorer and mixes two complementary ones', () => {
  const rng = new Random(3);
  const n = 2000;
  const y = Uint8Array.from({ length: n }, () => (rng.chance(0.2) ? 1 : 0));
  // Each informative scorer sees the label through independent noise, so their mean is better than either.
  const a = Float64Array.from(y, (v) => v + rng.normal(0, 0.8));
  const b = Float64Array.from(y, (v) => v + rng.normal(0, 0.8));
  const noise = Float64Array.from(y, () => rng.normal(0, 3));
  const w = greedyWeights([noise, a, b], y, 10);
  assert.equal(w.length, 3);
  assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 1) < 1e-12);
  assert.equal(w[0], 0);
  assert.ok(w[1] >= 0.3 && w[2] >= 0.3, `weights ${w}`);
  const blended = averagePrecision(blendMargins([noise, a, b], w), y);
  assert.ok(blended > averagePrecision(a, y) && blended > averagePrecision(b, y));
  assert.throws(() => greedyWeights([a], y, 0), /steps/);
});

test('chooseBlend keeps the default unless the greedy blend is clearly better on validation', () => {
  const rng = new Random(4);
  const n = 2000;
  const y = Uint8Array.from({ length: n }, () => (rng.chance(0.2) ? 1 : 0));
  const good = Float64Array.from(y, (v) => v + rng.normal(0, 0.6));
  const weak = Float64Array.from(y, () => rng.normal(0, 1));
  // A default leaning on a useless scorer loses clearly: greedy takes over.
  const bad = chooseBlend([good, weak], y, { defaultWeights: [1, 3], steps: 10, margin: 0.005 });
  assert.equal(bad.source, 'greedy');
  assert.ok(bad.greedyValAp > bad.defaultValAp + 0.005);
  // A default already at the good scorer is kept, with weights normalised.
  const kept = chooseBlend([good, weak], y, { defaultWeights: [2, 0], steps: 10, margin: 0.005 });
  assert.equal(kept.source, 'default');
  assert.deepEqual(kept.weights, [1, 0]);
  // No default: greedy.
  assert.equal(
    chooseBlend([good, weak], y, { defaultWeights: [0, 0], steps: 5, margin: 0 }).source,
    'greedy',
  );
});
