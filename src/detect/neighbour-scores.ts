// Conclusions that follow the facts. A first model scores every subject from its own row; then each row
// also learns what was concluded about the subjects it is tied to: a review reads its order's score (the
// review of a fake order is fake), an order its buyer's and its shop's (a ring account's purchase at a
// popular shop is a real one), a merchant the scores of the orders, reviews, listings and buyers that
// are its own, split by which way they point (fake praise helps the shop; a fake attack is done to it).
// A second model, trained on these columns as well as the subject's own, gives the final score. The
// subject's own first score is not a column: the second model reads the same own features, and its
// reasons then name them rather than "the first model said so".
import { FEATURE_PARAMS, type FeatureSet, type LinkKind } from './features.ts';
import { SUBJECT_KINDS, type SubjectKind } from './signals.ts';

/** The first model's probabilities per kind, aligned with that kind's rows, and the level that flags. */
export interface FirstScores {
  p: Partial<Record<SubjectKind, Float64Array>>;
  flagAt: Partial<Record<SubjectKind, number>>;
}

const { low_rating_max: LOW_RATING_MAX, good_rating_min: GOOD_RATING_MIN } = FEATURE_PARAMS;

/** Column names added per kind, in order. */
export const NEIGHBOUR_COLUMNS: Record<SubjectKind, readonly string[]> = {
  merchant: [
    'n.order_max',
    'n.order_flagged_log',
    'n.order_flagged_share',
    'n.plain_order_flagged_share',
    'n.complaint_order_flagged_share',
    'n.good_review_max',
    'n.good_review_flagged_log',
    'n.good_review_flagged_share',
    'n.good_reviews_paid_by_flagged_log',
    'n.low_review_flagged_log',
    'n.low_review_flagged_share',
    'n.removed_review_flagged',
    'n.listing_max',
    'n.listing_flagged',
    'n.buyer_flagged_log',
    'n.buyer_flagged_share',
  ],
  account: [
    'n.order_max',
    'n.order_flagged_log',
    'n.order_flagged_share',
    'n.review_max',
    'n.review_flagged_log',
    'n.review_flagged_share',
    'n.shop_flagged_share',
    'n.shop_max',
  ],
  order: ['n.buyer', 'n.merchant', 'n.review'],
  review: ['n.order', 'n.buyer', 'n.merchant', 'n.payer_max', 'n.payers_flagged'],
  listing: ['n.merchant'],
};

class Agg {
  n = 0;
  flagged = 0;
  max = Number.NaN;
  add(p: number, at: number) {
    if (Number.isNaN(p)) return;
    this.n++;
    if (p >= at) this.flagged++;
    if (!(this.max >= p)) this.max = p;
  }
  get share() {
    return this.n ? this.flagged / this.n : Number.NaN;
  }
  get log() {
    return Math.log1p(this.flagged);
  }
}

function rowIndex(set: FeatureSet | undefined): Map<string, number> {
  const m = new Map<string, number>();
  set?.ids.forEach((id, i) => {
    m.set(id, i);
  });
  return m;
}

function column(set: FeatureSet, name: string): (row: number) => number {
  const j = set.names.indexOf(name);
  const w = set.names.length;
  return j < 0 ? () => Number.NaN : (row) => set.rows[row * w + j];
}

/** Each kind's rows with the neighbour columns appended (same ids, same order, same links). */
export function withNeighbourScores(
  features: Record<SubjectKind, FeatureSet>,
  first: FirstScores,
): Record<SubjectKind, FeatureSet> {
  const extra = neighbourColumns(features, first);
  const out = {} as Record<SubjectKind, FeatureSet>;
  for (const kind of SUBJECT_KINDS) {
    const set = features[kind];
    const add = extra[kind];
    const w = set.names.length;
    const we = add.names.length;
    const w2 = w + we;
    const rows = new Float32Array(set.ids.length * w2);
    for (let i = 0; i < set.ids.length; i++) {
      rows.set(set.rows.subarray(i * w, (i + 1) * w), i * w2);
      rows.set(add.rows.subarray(i * we, (i + 1) * we), i * w2 + w);
    }
    out[kind] = { ...set, names: [...set.names, ...add.names], rows };
  }
  return out;
}

/**
 * Only the neighbour columns, per kind (same ids, same order, same links): scoring reads them beside the own
 * rows instead of a joined copy of every table.
 */
export function neighbourColumns(
  features: Record<SubjectKind, FeatureSet>,
  first: FirstScores,
): Record<SubjectKind, FeatureSet> {
  const nan = (kind: SubjectKind) =>
    first.p[kind] ?? new Float64Array(features[kind].ids.length).fill(Number.NaN);
  const p = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, nan(k)])) as Record<SubjectKind, Float64Array>;
  const at = (k: SubjectKind) => first.flagAt[k] ?? 0.5;
  const index: Record<LinkKind, Map<string, number>> = {
    merchant: rowIndex(features.merchant),
    account: rowIndex(features.account),
    order: rowIndex(features.order),
  };
  const linked = (kind: SubjectKind, link: LinkKind, row: number): number => {
    const id = features[kind].links?.[link]?.[row];
    const j = id === undefined ? undefined : index[link].get(id);
    return j === undefined ? Number.NaN : p[link][j];
  };

  const orders = features.order;
  const reviews = features.review;
  const orderRefund = column(orders, 'refund_requested');
  const orderRating = column(orders, 'rating');
  const reviewRating = column(reviews, 'rating');
  const reviewRemoved = column(reviews, 'removed');

  // Merchant and account aggregates over their own orders, reviews, listings and buyers.
  const nm = features.merchant.ids.length;
  const na = features.account.ids.length;
  const mk = (n: number) => Array.from({ length: n }, () => new Agg());
  const mOrders = mk(nm);
  const mPlain = mk(nm);
  const mComplaint = mk(nm);
  const mGood = mk(nm);
  const mGoodPaid = new Float64Array(nm);
  const mLow = mk(nm);
  const mListings = mk(nm);
  const mBuyers = mk(nm);
  const mRemovedFlagged = new Float64Array(nm);
  const mBuyerSeen = Array.from({ length: nm }, () => new Set<number>());
  const aOrders = mk(na);
  const aReviews = mk(na);
  const aShops = mk(na);
  const reviewOfOrder = new Map<number, number>();

  const oMerchant = orders.links?.merchant ?? [];
  const oBuyer = orders.links?.account ?? [];
  for (let i = 0; i < orders.ids.length; i++) {
    const s = p.order[i];
    const m = index.merchant.get(oMerchant[i]);
    const a = index.account.get(oBuyer[i]);
    if (m !== undefined) {
      mOrders[m].add(s, at('order'));
      const rating = orderRating(i);
      const complaint = orderRefund(i) === 1 || rating <= LOW_RATING_MAX;
      (complaint ? mComplaint : mPlain)[m].add(s, at('order'));
      if (a !== undefined && !mBuyerSeen[m].has(a)) {
        mBuyerSeen[m].add(a);
        mBuyers[m].add(p.account[a], at('account'));
      }
    }
    if (a !== undefined) {
      aOrders[a].add(s, at('order'));
      if (m !== undefined) aShops[a].add(p.merchant[m], at('merchant'));
    }
  }
  const rMerchant = reviews.links?.merchant ?? [];
  const rBuyer = reviews.links?.account ?? [];
  const rOrder = reviews.links?.order ?? [];
  // Money after a review, by who sent it: an account the first stage flags paying the reviewer is the
  // cash-back deal however its transfer was worded, and whether or not the shop declared it as staff.
  const rPaidBy = reviews.links?.paidBy ?? [];
  const payerMax = new Float64Array(reviews.ids.length).fill(Number.NaN);
  const payersFlagged = new Float64Array(reviews.ids.length);
  for (let i = 0; i < reviews.ids.length; i++) {
    for (const x of rPaidBy[i] ?? []) {
      const j = index.account.get(x);
      if (j === undefined) continue;
      const q = p.account[j];
      if (!(payerMax[i] >= q)) payerMax[i] = q;
      if (q >= at('account')) payersFlagged[i]++;
    }
  }
  for (let i = 0; i < reviews.ids.length; i++) {
    const s = p.review[i];
    const m = index.merchant.get(rMerchant[i]);
    const a = index.account.get(rBuyer[i]);
    const o = index.order.get(rOrder[i]);
    if (o !== undefined) reviewOfOrder.set(o, i);
    const rating = reviewRating(i);
    if (m !== undefined) {
      if (rating >= GOOD_RATING_MIN) {
        mGood[m].add(s, at('review'));
        if (payersFlagged[i] > 0) mGoodPaid[m]++;
      } else if (rating <= LOW_RATING_MAX) mLow[m].add(s, at('review'));
      if (reviewRemoved(i) === 1 && s >= at('review')) mRemovedFlagged[m]++;
    }
    if (a !== undefined) aReviews[a].add(s, at('review'));
  }
  const lMerchant = features.listing.links?.merchant ?? [];
  for (let i = 0; i < features.listing.ids.length; i++) {
    const m = index.merchant.get(lMerchant[i]);
    if (m !== undefined) mListings[m].add(p.listing[i], at('listing'));
  }

  const values: Record<SubjectKind, (row: number) => number[]> = {
    merchant: (m) => [
      mOrders[m].max,
      mOrders[m].log,
      mOrders[m].share,
      mPlain[m].share,
      mComplaint[m].share,
      mGood[m].max,
      mGood[m].log,
      mGood[m].share,
      Math.log1p(mGoodPaid[m]),
      mLow[m].log,
      mLow[m].share,
      mRemovedFlagged[m],
      mListings[m].max,
      mListings[m].flagged,
      mBuyers[m].log,
      mBuyers[m].share,
    ],
    account: (a) => [
      aOrders[a].max,
      aOrders[a].log,
      aOrders[a].share,
      aReviews[a].max,
      aReviews[a].log,
      aReviews[a].share,
      aShops[a].share,
      aShops[a].max,
    ],
    order: (i) => {
      const r = reviewOfOrder.get(i);
      return [
        linked('order', 'account', i),
        linked('order', 'merchant', i),
        r === undefined ? Number.NaN : p.review[r],
      ];
    },
    review: (i) => [
      linked('review', 'order', i),
      linked('review', 'account', i),
      linked('review', 'merchant', i),
      payerMax[i],
      payersFlagged[i],
    ],
    listing: (i) => [linked('listing', 'merchant', i)],
  };

  const out = {} as Record<SubjectKind, FeatureSet>;
  for (const kind of SUBJECT_KINDS) {
    const set = features[kind];
    const names = NEIGHBOUR_COLUMNS[kind];
    const w = names.length;
    const rows = new Float32Array(set.ids.length * w);
    for (let i = 0; i < set.ids.length; i++) rows.set(values[kind](i), i * w);
    out[kind] = { ...set, names: [...names], rows };
  }
  return out;
}
