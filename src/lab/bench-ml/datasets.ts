// Loaders for the plain binary benchmark format (/work/shared/data/README.md) and train/val/test splits.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../platform/errors.ts';
import { Random } from '../../platform/random.ts';

/** A dataset or split the user pointed at is not usable: say which file and why. */
const bad = (en: string, zh: string) => new AppError('invalid_input', { en: `${en}.`, zh: `${zh}。` });

export interface GraphDataset {
  name: string;
  dir: string;
  numNodes: number;
  featureDim: number;
  /** Row-major, numNodes × featureDim. */
  features: Float32Array;
  /** 1 = fraud. */
  labels: Uint8Array;
  /** Relation name → undirected edges as (src, dst) pairs, each once. */
  relations: Map<string, Uint32Array>;
  featureNames: string[];
}

export interface Split {
  name: string;
  /** Sorted node indices. */
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  /** True when made in code from a seed rather than read from files. */
  generated: boolean;
}

interface Meta {
  name?: string;
  num_nodes: number;
  feature_dim: number;
  relations?: Record<string, { file: string; undirected_edges?: number }>;
  splits?: Record<string, Record<'train' | 'val' | 'test', { file: string; count?: number }>>;
}

const PARTS = ['train', 'val', 'test'] as const;

function readBytes(path: string, what: string): Buffer {
  if (!existsSync(path)) throw bad(`${what}: file not found: ${path}`, `${what}：找不到文件 ${path}`);
  return readFileSync(path);
}

function expectSize(path: string, actual: number, expected: number, why: string, unit = 'bytes'): void {
  if (actual !== expected) {
    throw bad(
      `${path}: ${actual} ${unit}, expected ${expected} (${why})`,
      `${path}：实际 ${actual} ${unit}，应为 ${expected}（${why}）`,
    );
  }
}

function readMeta(dir: string): Meta {
  const path = join(dir, 'meta.json');
  let meta: Meta;
  try {
    meta = JSON.parse(readBytes(path, 'dataset metadata').toString('utf8')) as Meta;
  } catch (e) {
    if (e instanceof SyntaxError)
      throw bad(`${path}: not valid JSON (${e.message})`, `${path}：不是有效的 JSON（${e.message}）`);
    throw e;
  }
  for (const key of ['num_nodes', 'feature_dim'] as const) {
    if (!Number.isInteger(meta[key]) || meta[key] <= 0) {
      throw bad(`${path}: "${key}" must be a positive integer`, `${path}："${key}" 必须是正整数`);
    }
  }
  return meta;
}

/** Little-endian uint32s; DataView keeps this correct on any host byte order. */
function readU32(path: string, what: string): Uint32Array {
  const buf = readBytes(path, what);
  if (buf.length % 4 !== 0)
    throw bad(
      `${path}: ${buf.length} bytes is not a whole number of uint32`,
      `${path}：${buf.length} 字节不是整数个 uint32`,
    );
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const out = new Uint32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function readF32(path: string, expectedCount: number, why: string): Float32Array {
  const buf = readBytes(path, 'features');
  expectSize(path, buf.length, expectedCount * 4, why);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const out = new Float32Array(expectedCount);
  for (let i = 0; i < expectedCount; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Reads a dataset folder (meta.json, features.f32, labels.u8, edges_<rel>.u32), checking every size. */
export function loadDataset(dir: string): GraphDataset {
  const meta = readMeta(dir);
  const n = meta.num_nodes;
  const d = meta.feature_dim;
  const features = readF32(join(dir, 'features.f32'), n * d, `num_nodes ${n} × feature_dim ${d} float32`);

  const labelPath = join(dir, 'labels.u8');
  const labelBuf = readBytes(labelPath, 'labels');
  expectSize(labelPath, labelBuf.length, n, `one byte per node, num_nodes ${n}`);
  const labels = new Uint8Array(labelBuf);
  for (let i = 0; i < n; i++) {
    if (labels[i] > 1)
      throw bad(
        `${labelPath}: label ${labels[i]} at node ${i}; expected 0 or 1`,
        `${labelPath}：节点 ${i} 的标签为 ${labels[i]}，应为 0 或 1`,
      );
  }

  const relations = new Map<string, Uint32Array>();
  for (const [rel, info] of Object.entries(meta.relations ?? {})) {
    const path = join(dir, info.file);
    const edges = readU32(path, `edges of relation ${rel}`);
    if (edges.length % 2 !== 0)
      throw bad(
        `${path}: odd number of uint32, expected (src, dst) pairs`,
        `${path}：uint32 个数为奇数，应为 (src, dst) 对`,
      );
    if (info.undirected_edges !== undefined) {
      expectSize(path, edges.length / 2, info.undirected_edges, 'edge count in meta.json', 'edges');
    }
    for (let k = 0; k < edges.length; k++) {
      if (edges[k] >= n)
        throw bad(
          `${path}: node index ${edges[k]} at pair ${k >> 1} >= num_nodes ${n}`,
          `${path}：第 ${k >> 1} 对的节点编号 ${edges[k]} 超出 num_nodes ${n}`,
        );
    }
    relations.set(rel, edges);
  }

  const featureNames = Array.from({ length: d }, (_, j) => `f${j}`);
  return {
    name: meta.name ?? basename(dir),
    dir,
    numNodes: n,
    featureDim: d,
    features,
    labels,
    relations,
    featureNames,
  };
}

/** Parses "random:7" or "strat_40_20_40_seed7" into fractions and a seed; null for other names. */
export function parseSplitName(name: string): { train: number; val: number; seed: number } | null {
  const random = /^random:(\d+)$/.exec(name);
  if (random) return { train: 0.4, val: 0.2, seed: Number(random[1]) };
  const strat = /^strat_(\d+)_(\d+)_(\d+)_seed(\d+)$/.exec(name);
  if (strat) {
    const [a, b, c] = [Number(strat[1]), Number(strat[2]), Number(strat[3])];
    if (a + b + c !== 100)
      throw bad(`split "${name}": parts must add up to 100`, `划分 "${name}"：各部分之和必须为 100`);
    return { train: a / 100, val: b / 100, seed: Number(strat[4]) };
  }
  return null;
}

/**
 * Stratified split: within each class, a seeded shuffle then the first `train` fraction to train, the next
 * `val` fraction to validation and the rest to test. Deterministic for a seed; parts come back sorted.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fractions: { train: number; val: number },
  seed: number,
  name = `random:${seed}`,
): Split {
  if (fractions.train <= 0 || fractions.val < 0 || fractions.train + fractions.val >= 1) {
    throw bad(
      `stratifiedSplit: bad fractions train=${fractions.train} val=${fractions.val}`,
      `分层划分比例无效：train=${fractions.train} val=${fractions.val}`,
    );
  }
  const rng = new Random(`stratified-split:${seed}`);
  const parts: Record<'train' | 'val' | 'test', number[]> = { train: [], val: [], test: [] };
  for (const cls of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) members.push(i);
    rng.shuffle(members);
    const nTrain = Math.round(members.length * fractions.train);
    const nVal = Math.round(members.length * fractions.val);
    parts.train.push(...members.slice(0, nTrain));
    parts.val.push(...members.slice(nTrain, nTrain + nVal));
    parts.test.push(...members.slice(nTrain + nVal));
  }
  const sorted = (xs: number[]) => Int32Array.from(xs).sort();
  return {
    name,
    train: sorted(parts.train),
    val: sorted(parts.val),
    test: sorted(parts.test),
    generated: true,
  };
}

function splitFile(dir: string, name: string, part: string): string {
  return join(dir, `split_${name}_${part}.u32`);
}

/**
 * Loads split `name` from its files when present (checked against meta.json), otherwise generates a
 * stratified split when the name carries a seed ("random:7", "strat_40_20_40_seed7").
 */
export function loadSplit(dir: string, name: string, labels: ArrayLike<number>): Split {
  const meta = readMeta(dir);
  const n = meta.num_nodes;
  if (labels.length !== n)
    throw bad(
      `loadSplit: ${labels.length} labels but num_nodes ${n} in ${dir}`,
      `${dir}：有 ${labels.length} 个标签，但 num_nodes 为 ${n}`,
    );
  const files = PARTS.map((p) => meta.splits?.[name]?.[p]?.file ?? basename(splitFile(dir, name, p)));
  const present = files.map((f) => existsSync(join(dir, f)));
  if (present.some((x) => x)) {
    const missing = files.filter((_, k) => !present[k]);
    if (missing.length > 0)
      throw bad(
        `split "${name}" in ${dir}: missing ${missing.join(', ')}`,
        `${dir} 中的划分 "${name}" 缺少 ${missing.join('、')}`,
      );
    const seen = new Uint8Array(n);
    const read = (k: number): Int32Array => {
      const path = join(dir, files[k]);
      const raw = readU32(path, `split ${name} ${PARTS[k]}`);
      const expected = meta.splits?.[name]?.[PARTS[k]]?.count;
      if (expected !== undefined) expectSize(path, raw.length, expected, 'count in meta.json', 'indices');
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] >= n)
          throw bad(
            `${path}: node index ${raw[i]} >= num_nodes ${n}`,
            `${path}：节点编号 ${raw[i]} 超出 num_nodes ${n}`,
          );
        if (seen[raw[i]])
          throw bad(
            `${path}: node ${raw[i]} appears twice or in two parts`,
            `${path}：节点 ${raw[i]} 重复出现或同时在两个部分中`,
          );
        seen[raw[i]] = 1;
      }
      return Int32Array.from(raw).sort();
    };
    return { name, train: read(0), val: read(1), test: read(2), generated: false };
  }
  const parsed = parseSplitName(name);
  if (!parsed) {
    throw bad(
      `split "${name}": no files ${files.join(', ')} in ${dir}, and the name carries no seed`,
      `${dir} 中没有划分 "${name}" 的文件 ${files.join('、')}，且名称中没有随机种子`,
    );
  }
  return stratifiedSplit(labels, parsed, parsed.seed, name);
}
