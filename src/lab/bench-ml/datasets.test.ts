import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadDataset, loadSplit, parseSplitName, stratifiedSplit } from './datasets.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function u32(xs: number[]): Buffer {
  const b = Buffer.alloc(xs.length * 4);
  for (const [i, x] of xs.entries()) b.writeUInt32LE(x, i * 4);
  return b;
}

function f32(xs: number[]): Buffer {
  const b = Buffer.alloc(xs.length * 4);
  for (const [i, x] of xs.entries()) b.writeFloatLE(x, i * 4);
  return b;
}

/** A 6-node, 2-feature dataset with one relation and one split on disk. */
function tinyDataset(overrides: Record<string, Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tianping-ds-'));
  dirs.push(dir);
  const meta = {
    name: 'tiny',
    num_nodes: 6,
    feature_dim: 2,
    relations: { r: { file: 'edges_r.u32', undirected_edges: 3 } },
    splits: {
      s: {
        train: { file: 'split_s_train.u32', count: 2 },
        val: { file: 'split_s_val.u32', count: 2 },
        test: { file: 'split_s_test.u32', count: 2 },
      },
    },
  };
  const files: Record<string, Buffer> = {
    'meta.json': Buffer.from(JSON.stringify(meta)),
    'features.f32': f32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    'labels.u8': Buffer.from([0, 1, 0, 0, 1, 0]),
    'edges_r.u32': u32([0, 1, 1, 2, 3, 5]),
    'split_s_train.u32': u32([0, 1]),
    'split_s_val.u32': u32([2, 4]),
    'split_s_test.u32': u32([3, 5]),
    ...overrides,
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

test('loadDataset reads features, labels and edges little-endian', () => {
  const ds = loadDataset(tinyDataset());
  assert.equal(ds.numNodes, 6);
  assert.equal(ds.featureDim, 2);
  assert.equal(ds.features[2 * 2 + 1], 5);
  assert.deepEqual(Array.from(ds.labels), [0, 1, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(ds.relations.get('r')!), [0, 1, 1, 2, 3, 5]);
  assert.deepEqual(ds.featureNames, ['f0', 'f1']);
});

test('loader errors name the offending file', () => {
  assert.throws(
    () => loadDataset(tinyDataset({ 'features.f32': f32([1, 2, 3]) })),
    /features\.f32: 12 bytes, expected 48/,
  );
  assert.throws(() => loadDataset(tinyDataset({ 'labels.u8': Buffer.from([0, 1]) })), /labels\.u8: 2 bytes/);
  assert.throws(
    () => loadDataset(tinyDataset({ 'labels.u8': Buffer.from([0, 1, 2, 0, 0, 0]) })),
    /labels\.u8: label 2/,
  );
  assert.throws(
    () => loadDataset(tinyDataset({ 'edges_r.u32': u32([0, 1, 1, 9, 3, 5]) })),
    /edges_r\.u32: node index 9/,
  );
  assert.throws(
    () => loadDataset(tinyDataset({ 'edges_r.u32': u32([0, 1]) })),
    /edges_r\.u32: 1 edges, expected 3/,
  );
  assert.throws(
    () => loadDataset(tinyDataset({ 'meta.json': Buffer.from('{') })),
    /meta\.json: not valid JSON/,
  );
  assert.throws(() => loadDataset('/nonexistent/dir'), /file not found: \/nonexistent\/dir\/meta\.json/);
});

test('loadSplit reads split files and checks them', () => {
  const dir = tinyDataset();
  const labels = [0, 1, 0, 0, 1, 0];
  const s = loadSplit(dir, 's', labels);
  assert.equal(s.generated, false);
  assert.deepEqual(
    [Array.from(s.train), Array.from(s.val), Array.from(s.test)],
    [
      [0, 1],
      [2, 4],
      [3, 5],
    ],
  );
  const overlap = tinyDataset({ 'split_s_test.u32': u32([3, 1]) });
  assert.throws(() => loadSplit(overlap, 's', labels), /split_s_test\.u32: node 1 appears twice/);
  assert.throws(() => loadSplit(dir, 'nosuch', labels), /split "nosuch": no files split_nosuch_train\.u32/);
});

test('loadSplit generates a stratified split when the name carries a seed and files are absent', () => {
  const dir = tinyDataset();
  const s = loadSplit(dir, 'random:3', [0, 1, 0, 0, 1, 0]);
  assert.equal(s.generated, true);
  assert.equal(s.train.length + s.val.length + s.test.length, 6);
  assert.deepEqual(parseSplitName('strat_40_20_40_seed7'), { train: 0.4, val: 0.2, seed: 7 });
  assert.deepEqual(parseSplitName('random:11'), { train: 0.4, val: 0.2, seed: 11 });
  assert.equal(parseSplitName('whatever'), null);
});

test('stratifiedSplit keeps class proportions, covers every node once, and repeats for a seed', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const a = stratifiedSplit(labels, { train: 0.4, val: 0.2 }, 7);
  const b = stratifiedSplit(labels, { train: 0.4, val: 0.2 }, 7);
  const c = stratifiedSplit(labels, { train: 0.4, val: 0.2 }, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(Array.from(a.train), Array.from(c.train));
  assert.equal(a.train.length, 400);
  assert.equal(a.val.length, 200);
  assert.equal(a.test.length, 400);
  const positives = (xs: Int32Array) => xs.reduce((n, i) => n + labels[i], 0);
  assert.deepEqual([positives(a.train), positives(a.val), positives(a.test)], [40, 20, 40]);
  const all = [...a.train, ...a.val, ...a.test].sort((x, y) => x - y);
  assert.deepEqual(
    all,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  for (const part of [a.train, a.val, a.test]) {
    for (let k = 1; k < part.length; k++) assert.ok(part[k - 1] < part[k], 'parts are sorted');
  }
});
