import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Random } from '../../platform/random.ts';
import {
  benchMl,
  blendMargin,
  buildViews,
  COMPONENTS,
  type ComponentSpec,
  makeBlend,
  trainComponent,
} from './bench-ml.ts';
import { loadDataset, loadSplit } from './datasets.ts';
import { blendMargins } from './ensemble.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A small graph where fraud shows in one feature and clusters along the relation. */
function writeSynthetic(n: number, dim: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tianping-bench-'));
  dirs.push(dir);
  const rng = new Random('bench-ml-test');
  const labels = Buffer.alloc(n);
  for (let i = 0; i < n; i++) labels[i] = rng.chance(0.1) ? 1 : 0;
  const features = Buffer.alloc(n * dim * 4);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < dim; f++) {
      const v = rng.normal() + (f === 0 && labels[i] === 1 ? 1.5 : 0);
      features.writeFloatLE(v, (i * dim + f) * 4);
    }
  }
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let e = 0; e < 3; e++) {
      // Mostly same-label neighbours, so graph features carry signal.
      let j = rng.int(0, n - 1);
      for (let tries = 0; tries < 20 && labels[j] !== labels[i] && rng.chance(0.8); tries++)
        j = rng.int(0, n - 1);
      if (j !== i) pairs.push(Math.min(i, j), Math.max(i, j));
    }
  }
  const edges = Buffer.alloc(pairs.length * 4);
  for (const [k, v] of pairs.entries()) edges.writeUInt32LE(v, k * 4);
  const meta = {
    name: 'synthetic',
    num_nodes: n,
    feature_dim: dim,
    relations: { r: { file: 'edges_r.u32' } },
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  writeFileSync(join(dir, 'features.f32'), features);
  writeFileSync(join(dir, 'labels.u8'), labels);
  writeFileSync(join(dir, 'edges_r.u32'), edges);
  return dir;
}

test('benchMl runs end to end on a generated split and reports sane figures', async () => {
  const dir = writeSynthetic(1500, 4);
  const messages: string[] = [];
  const r = await benchMl({ dataDir: dir, split: 'random:5', onProgress: (m) => messages.push(m) });
  for (const k of ['auroc', 'ap', 'f1_macro', 'val_ap'] as const) {
    assert.ok(r[k] >= 0 && r[k] <= 1, `${k} = ${r[k]}`);
  }
  assert.ok(r.auroc > 0.75, `AUROC ${r.auroc}`);
  assert.ok(r.train_s > 0);
  assert.equal(r.split_generated, true);
  assert.ok(messages.some((m) => m.includes('component raw/depth4')));
  assert.equal(r.components.length, COMPONENTS.length);
  const total = r.components.reduce((s, c) => s + c.weight, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `blend weights sum to ${total}`);
  assert.ok(['default', 'greedy'].includes(r.blend_source));
  assert.ok(r.example_reasons.length > 0);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
});

test('the folded blend scores exactly as the weighted sum of its components', () => {
  const dir = writeSynthetic(800, 3);
  const ds = loadDataset(dir);
  const split = loadSplit(dir, 'random:3', ds.labels);
  const views = buildViews(ds, split);
  const yTrain = Uint8Array.from(split.train, (i) => ds.labels[i]);
  const yVal = Uint8Array.from(split.val, (i) => ds.labels[i]);
  // The default components plus a logistic regression, so the fold covers both kinds of learner.
  const specs: ComponentSpec[] = [
    ...COMPONENTS,
    { name: 'raw/logistic', view: 'raw', learner: { kind: 'logistic', params: { lambda: 3 } } },
  ];
  const trained = specs.map((spec, c) => trainComponent(spec, views[spec.view], yTrain, yVal, 10 * c));
  // Unequal weights summing to 1, one per component (1, 2, 3… parts).
  const parts = (specs.length * (specs.length + 1)) / 2;
  const weights = specs.map((_, k) => (k + 1) / parts);
  const folded = blendMargin(makeBlend(trained, weights, views.graph.table.names), {
    raw: views.raw.xVal,
    graph: views.graph.xVal,
  });
  const direct = blendMargins(
    trained.map((t) => t.valMargin),
    weights,
  );
  for (let i = 0; i < direct.length; i++) assert.ok(Math.abs(folded[i] - direct[i]) < 1e-9, `row ${i}`);
});
