import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureSet } from './features.ts';
import { NEIGHBOUR_COLUMNS, withNeighbourScores } from './neighbour-scores.ts';
import type { SubjectKind } from './signals.ts';

function set(kind: SubjectKind, names: string[], rows: number[][], links?: FeatureSet['links']): FeatureSet {
  return {
    kind,
    names,
    ids: rows.map((_, i) => `${kind[0]}${i + 1}`),
    rows: Float32Array.from(rows.flat()),
    links,
  };
}

// Two shops. s1 has a five-star review on a fake order (o1, flagged) and a one-star review of a refunded
// order (o2, not flagged, its review flagged as an attack); s2 has one plain order by a flagged buyer.
const features: Record<SubjectKind, FeatureSet> = {
  merchant: set('merchant', ['age'], [[1], [2]]),
  account: set('account', ['age'], [[1], [2]]),
  order: set(
    'order',
    ['refund_requested', 'rating'],
    [
      [0, 5],
      [1, 1],
      [0, Number.NaN],
    ],
    { merchant: ['m1', 'm1', 'm2'], account: ['a1', 'a2', 'a1'] },
  ),
  review: set(
    'review',
    ['rating', 'removed'],
    [
      [5, 0],
      [1, 0],
    ],
    { merchant: ['m1', 'm1'], account: ['a1', 'a2'], order: ['o1', 'o2'], paidBy: [['a1', 'x'], []] },
  ),
  listing: set('listing', ['len'], [[3]], { merchant: ['m2'] }),
};
const first = {
  p: {
    merchant: Float64Array.of(0.2, 0.1),
    account: Float64Array.of(0.8, 0.05),
    order: Float64Array.of(0.9, 0.1, 0.3),
    review: Float64Array.of(0.95, 0.9),
    listing: Float64Array.of(0.7),
  },
  flagAt: { merchant: 0.5, account: 0.5, order: 0.5, review: 0.5, listing: 0.5 },
};
const out = withNeighbourScores(features, first);
const value = (kind: SubjectKind, row: number, name: string) => {
  const s = out[kind];
  const j = s.names.indexOf(name);
  assert.ok(j >= 0, `${kind} has ${name}`);
  return s.rows[row * s.names.length + j];
};

test('each kind keeps its own columns and rows, and gains the neighbour columns', () => {
  for (const kind of Object.keys(features) as SubjectKind[]) {
    assert.deepEqual(out[kind].ids, features[kind].ids);
    assert.deepEqual(out[kind].names, [...features[kind].names, ...NEIGHBOUR_COLUMNS[kind]]);
    assert.equal(out[kind].rows[0], features[kind].rows[0]);
  }
});

test('a review reads its order, buyer and shop; an order its review, buyer and shop', () => {
  assert.equal(value('review', 0, 'n.order'), Math.fround(0.9));
  assert.equal(value('review', 0, 'n.buyer'), Math.fround(0.8));
  assert.equal(value('review', 1, 'n.merchant'), Math.fround(0.2));
  assert.equal(value('order', 0, 'n.review'), Math.fround(0.95));
  assert.ok(Number.isNaN(value('order', 2, 'n.review')), 'an order without a review has no review score');
  assert.equal(value('listing', 0, 'n.merchant'), Math.fround(0.1));
});

test('a shop sees flagged praise and flagged attacks apart, and its flagged buyers and listings', () => {
  assert.equal(value('merchant', 0, 'n.good_review_flagged_share'), 1);
  assert.equal(value('merchant', 0, 'n.low_review_flagged_share'), 1);
  assert.equal(value('merchant', 0, 'n.plain_order_flagged_share'), 1);
  assert.equal(value('merchant', 0, 'n.complaint_order_flagged_share'), 0);
  assert.equal(value('merchant', 0, 'n.buyer_flagged_share'), 0.5);
  assert.equal(value('merchant', 1, 'n.listing_max'), Math.fround(0.7));
  assert.equal(value('merchant', 1, 'n.listing_flagged'), 1);
  assert.ok(Number.isNaN(value('merchant', 1, 'n.good_review_flagged_share')), 'no reviews: unknown, not 0');
});

test('an account sees its flagged orders and the shops it bought at', () => {
  assert.equal(value('account', 0, 'n.order_flagged_share'), 0.5);
  assert.equal(value('account', 0, 'n.order_max'), Math.fround(0.9));
  assert.equal(value('account', 0, 'n.review_flagged_share'), 1);
  assert.equal(value('account', 0, 'n.shop_max'), Math.fround(0.2));
});

test('money after a review is read by who sent it: a flagged payer marks the review and the shop', () => {
  assert.equal(value('review', 0, 'n.payer_max'), Math.fround(0.8), 'unknown payers (x) are skipped');
  assert.equal(value('review', 0, 'n.payers_flagged'), 1);
  assert.ok(Number.isNaN(value('review', 1, 'n.payer_max')), 'nobody paid: unknown');
  assert.equal(value('merchant', 0, 'n.good_reviews_paid_by_flagged_log'), Math.fround(Math.log1p(1)));
});
