import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../platform/random.ts';
import { type BipartiteGraph, bipartiteFromArrays, bipartiteFromEdges } from './bipartite.ts';
import { blockIds, blockScore, type FraudarBlock, type FraudarWeighting, fraudar } from './fraudar.ts';
import { rowRecovery, syntheticRings } from './synthetic.ts';

interface EdgeList {
  R: number;
  C: number;
  rows: number[];
  cols: number[];
}

function build(list: EdgeList): BipartiteGraph {
  return bipartiteFromArrays(list.R, list.C, list.rows, list.cols);
}

/** Sparse uniform background plus optional dense rings (rows, cols, fill), all unique pairs. */
function plant(
  rnd: Random,
  R: number,
  C: number,
  background: number,
  rings: Array<{ rows: number[]; cols: number[]; fill: number }>,
): EdgeList {
  const seen = new Set<number>();
  const out: EdgeList = { R, C, rows: [], cols: [] };
  const add = (r: number, c: number) => {
    const k = r * C + c;
    if (seen.has(k)) return;
    seen.add(k);
    out.rows.push(r);
    out.cols.push(c);
  };
  for (let i = 0; i < background; i++) add(rnd.int(0, R - 1), rnd.int(0, C - 1));
  for (const ring of rings)
    for (const r of ring.rows) for (const c of ring.cols) if (rnd.chance(ring.fill)) add(r, c);
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * g(S) straight from the definition on an edge list, minus the edges of earlier blocks (the residual
 * graph FRAUDAR searched when it found the next block).
 */
function naiveScore(
  list: EdgeList,
  block: Pick<FraudarBlock, 'rows' | 'cols'>,
  weighting: FraudarWeighting,
  earlier: readonly FraudarBlock[] = [],
  rowPrior?: Float64Array,
  colPrior?: Float64Array,
): number {
  const gone = (r: number, c: number) => earlier.some((b) => b.rows.includes(r) && b.cols.includes(c));
  const deg = new Map<number, number>();
  for (let e = 0; e < list.rows.length; e++) {
    if (!gone(list.rows[e], list.cols[e])) deg.set(list.cols[e], (deg.get(list.cols[e]) ?? 0) + 1);
  }
  const rows = new Set(block.rows);
  const cols = new Set(block.cols);
  let f = 0;
  for (let e = 0; e < list.rows.length; e++) {
    const r = list.rows[e];
    const c = list.cols[e];
    if (rows.has(r) && cols.has(c) && !gone(r, c)) {
      f += weighting === 'log' ? 1 / Math.log((deg.get(c) ?? 0) + 5) : 1;
    }
  }
  const claimed = (kind: 'rows' | 'cols', i: number) => earlier.some((b) => b[kind].includes(i));
  for (const r of rows) if (rowPrior && !claimed('rows', r)) f += rowPrior[r];
  for (const c of cols) if (colPrior && !claimed('cols', c)) f += colPrior[c];
  return f / (rows.size + cols.size);
}

test('finds an injected ring hidden by camouflage in a power-law graph', () => {
  const syn = syntheticRings({
    edges: 100_000,
    seed: 5,
    rings: [{ rows: 120, cols: 25, fill: 0.6 }],
    camouflage: 1,
  });
  const g = bipartiteFromArrays(syn.numRows, syn.numCols, syn.src, syn.dst);
  const [block] = fraudar(g, { weighting: 'log' });
  const rec = rowRecovery([block], syn.fraudRow);
  assert.ok(rec.precision >= 0.95, `precision ${rec.precision}`);
  // Ring accounts with few ring edges fall below the block's density and are peeled: recall < 1 by design.
  assert.ok(rec.recall >= 0.85, `recall ${rec.recall}`);
  let targets = 0;
  for (const c of block.cols) targets += syn.fraudCol[c];
  assert.equal(targets, 25, 'every target product is in the block');
});

test('log weighting keeps camouflage to popular products from hiding the ring', () => {
  // Honest core: 400 shoppers who each bought most of the 10 best-selling products. Ring: 50 accounts
  // brushing 20 small shops, each adding 5 purchases of best-sellers as camouflage.
  const rnd = new Random(21);
  const popular = range(0, 10);
  const honest = range(0, 400);
  const ringRows = range(400, 450);
  const ringCols = range(10, 30);
  const list = plant(rnd, 2000, 500, 3000, [
    { rows: honest, cols: popular, fill: 0.9 },
    { rows: ringRows, cols: ringCols, fill: 0.4 },
  ]);
  for (const r of ringRows) {
    for (const c of rnd.shuffle([...popular]).slice(0, 5)) {
      list.rows.push(r);
      list.cols.push(c);
    }
  }
  const g = build(list);
  const truth = new Uint8Array(g.numRows);
  for (const r of ringRows) truth[r] = 1;

  const [plain] = fraudar(g, { weighting: 'none' });
  const plainRec = rowRecovery([plain], truth);
  assert.ok(plainRec.precision < 0.5, `unweighted block is the honest core: precision ${plainRec.precision}`);

  const [weighted] = fraudar(g, { weighting: 'log' });
  const rec = rowRecovery([weighted], truth);
  assert.ok(rec.precision >= 0.95, `precision ${rec.precision}`);
  assert.ok(rec.recall >= 0.9, `recall ${rec.recall}`);
  assert.ok(
    ringCols.every((c) => weighted.cols.includes(c)),
    'the ring targets are in the block',
  );
});

test('several blocks come out in sequence, densest first, each matching its recomputed g(S)', () => {
  const rnd = new Random(8);
  const a = { rows: range(0, 40), cols: range(0, 15), fill: 0.9 };
  // Clearly different densities (about 9.8 and 5 edges per node), so they do not merge into one block.
  const b = { rows: range(500, 560), cols: range(100, 130), fill: 0.25 };
  const list = plant(rnd, 1000, 400, 4000, [a, b]);
  const g = build(list);
  for (const weighting of ['log', 'none'] as const) {
    const blocks = fraudar(g, { weighting, blocks: 2 });
    assert.equal(blocks.length, 2);
    const overlap = (x: FraudarBlock, rows: number[]) => x.rows.filter((r) => rows.includes(r)).length;
    assert.ok(
      overlap(blocks[0], a.rows) >= 38 && blocks[0].rows.length <= 42,
      `${weighting}: first block is ring a`,
    );
    // Ring b's sparser members (fill 0.25) partly fall below its density and are peeled off.
    const inB = overlap(blocks[1], b.rows);
    assert.ok(inB >= 45 && blocks[1].rows.length - inB <= 2, `${weighting}: second block is ring b`);
    assert.ok(blocks[0].score >= blocks[1].score);
    for (let i = 0; i < blocks.length; i++) {
      const expected = naiveScore(list, blocks[i], weighting, blocks.slice(0, i));
      assert.ok(
        Math.abs(blocks[i].score - expected) < 1e-9,
        `${weighting} block ${i}: ${blocks[i].score} vs ${expected}`,
      );
    }
  }
});

test('stops early when the next block is no denser than the threshold', () => {
  const rnd = new Random(9);
  const list = plant(rnd, 500, 200, 1500, [{ rows: range(0, 30), cols: range(0, 10), fill: 0.9 }]);
  const g = build(list);
  // The ring scores about 2× the graph's average g, the best background block about 1.05×.
  const blocks = fraudar(g, { weighting: 'log', blocks: 10, minScoreRatio: 1.5 });
  assert.equal(blocks.length, 1, 'background blocks are below 1.5× the average');
  assert.ok(fraudar(g, { weighting: 'log', blocks: 10 }).length > 1, 'the default ratio 1 goes on');
  assert.equal(fraudar(g, { weighting: 'log', blocks: 0 }).length, 0);
});

test('greedy g(S) is within a factor of 2 of the brute-force optimum, with priors', () => {
  const rnd = new Random(13);
  for (let trial = 0; trial < 40; trial++) {
    const R = rnd.int(1, 6);
    const C = rnd.int(1, 6);
    const list = plant(rnd, R, C, rnd.int(0, R * C * 2), []);
    const g = build(list);
    const rowPrior = Float64Array.from({ length: R }, () => (rnd.chance(0.3) ? rnd.next() : 0));
    const colPrior = Float64Array.from({ length: C }, () => (rnd.chance(0.3) ? rnd.next() : 0));
    for (const weighting of ['log', 'none'] as const) {
      let best = 0;
      for (let mask = 1; mask < 1 << (R + C); mask++) {
        const rows = range(0, R).filter((r) => mask & (1 << r));
        const cols = range(0, C).filter((c) => mask & (1 << (R + c)));
        best = Math.max(best, naiveScore(list, { rows, cols }, weighting, [], rowPrior, colPrior));
      }
      const blocks = fraudar(g, { weighting, rowPrior, colPrior });
      const got = blocks[0]?.score ?? 0;
      assert.ok(got >= best / 2 - 1e-12, `trial ${trial} ${weighting}: ${got} < ${best} / 2`);
      assert.ok(got <= best + 1e-12);
      if (blocks[0]) {
        const expected = naiveScore(list, blocks[0], weighting, [], rowPrior, colPrior);
        assert.ok(Math.abs(got - expected) < 1e-12);
        assert.ok(
          Math.abs(blockScore(g, blocks[0].rows, blocks[0].cols, { weighting, rowPrior, colPrior }) - got) <
            1e-12,
        );
      }
    }
  }
});

test('a strong row prior pulls that row into the block', () => {
  const rnd = new Random(17);
  const list = plant(rnd, 100, 50, 300, [{ rows: range(0, 10), cols: range(0, 8), fill: 1 }]);
  const g = build(list);
  const rowPrior = new Float64Array(100);
  rowPrior[99] = 100;
  const [block] = fraudar(g, { weighting: 'none', rowPrior });
  assert.ok(block.rows.includes(99));
  assert.ok(Math.abs(block.score - naiveScore(list, block, 'none', [], rowPrior)) < 1e-9);
});

test('minRows keeps blocks from collapsing to a handful of rows', () => {
  // Three accounts sharing a 20-product spree are the densest block, but a ring needs >= 5 accounts.
  const rnd = new Random(19);
  const list = plant(rnd, 200, 100, 400, [
    { rows: [0, 1, 2], cols: range(0, 20), fill: 1 },
    { rows: range(10, 25), cols: range(40, 46), fill: 0.5 },
  ]);
  const g = build(list);
  const [small] = fraudar(g, { weighting: 'none' });
  assert.ok(small.rows.length < 5);
  const [ring] = fraudar(g, { weighting: 'none', minRows: 5 });
  assert.ok(ring.rows.length >= 5);
  assert.equal(fraudar(g, { weighting: 'none', minRows: 500 }).length, 0, 'more rows than the graph has');
});

test("remove: 'nodes' yields disjoint blocks", () => {
  const rnd = new Random(23);
  const list = plant(rnd, 300, 120, 900, [
    { rows: range(0, 20), cols: range(0, 10), fill: 0.9 },
    { rows: range(50, 70), cols: range(30, 40), fill: 0.7 },
  ]);
  const blocks = fraudar(build(list), { weighting: 'log', blocks: 4, remove: 'nodes' });
  const seenRows = new Set<number>();
  const seenCols = new Set<number>();
  for (const b of blocks) {
    for (const r of b.rows) {
      assert.ok(!seenRows.has(r));
      seenRows.add(r);
    }
    for (const c of b.cols) {
      assert.ok(!seenCols.has(c));
      seenCols.add(c);
    }
  }
});

test('empty and degenerate graphs', () => {
  for (const weighting of ['log', 'none'] as const) {
    assert.deepEqual(fraudar(bipartiteFromArrays(0, 0, [], []), { weighting }), []);
    assert.deepEqual(fraudar(bipartiteFromArrays(5, 3, [], []), { weighting, blocks: 3 }), []);
    const one = fraudar(bipartiteFromArrays(1, 1, [0], [0]), { weighting, blocks: 3 });
    assert.equal(one.length, 1);
    assert.deepEqual([one[0].rows, one[0].cols, one[0].edges, one[0].density], [[0], [0], 1, 1]);
    const w = weighting === 'log' ? 1 / Math.log(6) : 1;
    assert.ok(Math.abs(one[0].score - w / 2) < 1e-12);
    // Priors only: the single prior-bearing row is a block of its own.
    const priorOnly = fraudar(bipartiteFromArrays(3, 2, [], []), {
      weighting,
      rowPrior: Float64Array.of(0, 2, 0),
      blocks: 2,
    });
    assert.deepEqual(
      priorOnly.map((b) => [b.rows, b.cols, b.score]),
      [[[1], [], 2]],
    );
  }
  const star = bipartiteFromArrays(
    50,
    1,
    range(0, 50),
    range(0, 50).map(() => 0),
  );
  const [block] = fraudar(star, { weighting: 'none' });
  assert.equal(block.rows.length, 50, 'a star keeps all its leaves');
  assert.throws(() => fraudar(star, { weighting: 'none', rowPrior: new Float64Array(3) }), RangeError);
  assert.throws(() => fraudar(star, { weighting: 'none', colPrior: Float64Array.of(-1) }), RangeError);
});

test('blockIds maps indices back to the external ids', () => {
  const g = bipartiteFromEdges([
    ['alice', 'shop-a'],
    ['bob', 'shop-a'],
    ['alice', 'shop-b'],
    ['bob', 'shop-b'],
    ['carol', 'shop-c'],
  ]);
  const [block] = fraudar(g, { weighting: 'none' });
  assert.deepEqual(blockIds(g, block), { rows: ['alice', 'bob'], cols: ['shop-a', 'shop-b'] });
  assert.deepEqual(blockIds(bipartiteFromArrays(2, 2, [1], [1]), { rows: [1], cols: [1] }), {
    rows: ['1'],
    cols: ['1'],
  });
});
