// Features for the learned scorer, one vector per subject, from three sources: the signals the rules
// raised, the rings the graph job found, and each subject's own history in the stream state. Features
// are ratios, logs and shares rather than raw counts, so a model trained on one marketplace carries over
// to another of a different size.

import { ForeignPaybacks } from './foreign-paybacks.ts';
import type { Ring, RingResult } from './graph/rings.ts';
import { MutualBrushing } from './mutual-brushing.ts';
import { Neighbourhood } from './neighbourhood.ts';
import { PaidReviews } from './paid-reviews.ts';
import type { Rule, RuleSet } from './rules/schema.ts';
import type { SignalFacts, SubjectKind } from './signals.ts';
import type { MoneyTrail } from './stream/money.ts';
import {
  type AccountState,
  type IdentifierIndex,
  type IdentifierKind,
  lowerBound,
  type MarketState,
  type OrderState,
  type ReviewState,
  sortedQuantile,
} from './stream/state.ts';
import { patternTest, type TextTest, wordTest } from './text/patterns.ts';
import { NearDuplicateSet, normalizeText } from './text/similarity.ts';
import { leftUnpaid, UnpaidOrders } from './unpaid-orders.ts';

/** Signal families the features look at; a rule's family is its kind (and identifier for shared ones). */
export const FAMILIES = [
  'order_burst',
  'shared_identifier:device',
  'shared_identifier:address',
  'shared_identifier:instrument',
  'shared_identifier:ip',
  'price_deviation',
  'implausible_weight',
  'quick_templated_review',
  'payback',
  'cashback',
  'review_attack',
  'extortion',
  'banned_claims',
  'listing_switch',
] as const;

export function familyOf(rule: Rule): string {
  return rule.kind === 'shared_identifier' ? `shared_identifier:${rule.params.identifier}` : rule.kind;
}

/**
 * The numbers that define the features: what counts as a low rating, the windows looked at, and so on.
 * They belong to the learned model as much as its trees do, so a model file records the values it was
 * trained with and loading refuses a model whose values differ (its trees would read features that now
 * mean something else). Change one, retrain.
 */
export const FEATURE_PARAMS = {
  /** Ratings at or below this are low. */
  low_rating_max: 2,
  /** Ratings at or above this are good. */
  good_rating_min: 4,
  /** Review texts shorter than this are not compared. */
  similar_min_chars: 6,
  /** Recent texts kept per shop and rating band for the comparison. */
  similar_pool_reviews: 400,
  /** Two normalised texts this similar are near-duplicates. */
  similar_min_similarity: 0.5,
  /** A good review with this many near-duplicates counts as templated. */
  templated_min_similar: 2,
  /** Low ratings on a shop within this many hours either side make a burst. */
  low_burst_window_hours: 72,
  /** A ring-mate's own signal at or above this is strong. */
  strong_signal_min: 0.5,
  /** A review this soon after delivery is quick. */
  quick_review_hours: 2,
  /** A buyer account younger than this at its first order is fresh. */
  fresh_buyer_days: 30,
  /** An item's typical parcel weight needs this many earlier parcels… */
  weight_min_reference_orders: 3,
  /** …and is this quantile of them. */
  weight_typical_quantile: 0.75,
  /** Money from the shop's side to the buyer counts from this many days before the order… */
  order_transfers_before_days: 3,
  /** …to this many after it. */
  order_transfers_after_days: 15,
  /** Money from the shop's side to a reviewer counts for this many days after the review. */
  review_transfers_after_days: 10,
  /** Identifiers shared by more accounts than this link nobody in a neighbourhood (busy networks). */
  pool_max_accounts: 12,
  /** Complaints at one shop this many days apart are together. */
  co_complaint_window_days: 7,
  /** Orders at one shop by linked accounts this many days apart are together. */
  co_order_window_days: 14,
  /** Money from a shop's side counts this many days after a complaint there, or before a review is removed. */
  money_window_days: 7,
  /** An order below this share of its shop's median amount is cheap (bought to complain, not to use). */
  cheap_order_of_median: 0.5,
  /** A buyer with this many linked accounts buying at the same shop together counts as a ring buyer there. */
  ring_min_linked_buyers: 2,
  /** A listing whose title moved below this similarity to its first one has become another product. */
  listing_changed_similarity: 0.3,
} as const;
const F = FEATURE_PARAMS;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const log1p = Math.log1p;

export interface FeatureSet {
  kind: SubjectKind;
  names: string[];
  ids: string[];
  /** Row-major, ids.length × names.length; NaN is missing. */
  rows: Float32Array;
  /**
   * Per row, the subject of another kind it belongs to (an order's merchant and buyer, a review's order…),
   * so that what is concluded about one subject can inform the others (see neighbour-scores.ts).
   */
  links?: Links;
}

export type LinkKind = 'merchant' | 'account' | 'order';
export type Links = Partial<Record<LinkKind, string[]>> & {
  /** A review's: the accounts that sent its buyer money in the days after it (whoever they are). */
  paidBy?: string[][];
};

export interface FeatureInput {
  state: MarketState;
  money: MoneyTrail;
  signals: readonly SignalFacts[];
  rules: RuleSet;
  rings: RingResult;
}

const FAMILY_KEYS = FAMILIES.map((f) => `sig.${f}`);
const FAMILY_INDEX = new Map<string, number>(FAMILIES.map((f, i) => [f, i]));

/**
 * Per-subject signal maxima by family, and the signals themselves. The features' families are kept in a
 * flat array per subject (kind → subject → one score per FAMILIES entry), since every row reads them;
 * other detectors' families (the scorer's own, graph rings) in a map beside it.
 */
class SignalIndex {
  private readonly best = new Map<SubjectKind, Map<string, number[]>>();
  private readonly other = new Map<SubjectKind, Map<string, Map<string, number>>>();
  private readonly all = new Map<SubjectKind, Map<string, SignalFacts[]>>();

  constructor(signals: readonly SignalFacts[], rules: RuleSet) {
    const fam = new Map(rules.rules.map((r) => [r.id, familyOf(r)]));
    for (const s of signals) {
      const f = (s.ruleId && fam.get(s.ruleId)) || s.detector;
      const i = FAMILY_INDEX.get(f);
      if (i !== undefined) {
        let byId = this.best.get(s.kind);
        if (!byId) this.best.set(s.kind, (byId = new Map()));
        let m = byId.get(s.subject);
        // (A plain array: a typed array this size is allocated outside the heap, slowly.)
        if (!m) byId.set(s.subject, (m = FAMILIES.map(() => 0)));
        m[i] = Math.max(m[i], s.score);
      } else {
        let byId = this.other.get(s.kind);
        if (!byId) this.other.set(s.kind, (byId = new Map()));
        let m = byId.get(s.subject);
        if (!m) byId.set(s.subject, (m = new Map()));
        m.set(f, Math.max(m.get(f) ?? 0, s.score));
      }
      let lists = this.all.get(s.kind);
      if (!lists) this.all.set(s.kind, (lists = new Map()));
      const l = lists.get(s.subject);
      if (l) l.push(s);
      else lists.set(s.subject, [s]);
    }
  }

  families(kind: SubjectKind, id: string, out: Row) {
    const m = this.best.get(kind)?.get(id);
    let n = 0;
    for (let i = 0; i < FAMILIES.length; i++) {
      const v = m ? m[i] : 0;
      out.put(FAMILY_KEYS[i], v);
      if (v > 0) n++;
    }
    out.put('sig.families', n);
  }

  /** The subject's scores by FAMILIES position (undefined when it has none), for callers reading several. */
  scores(kind: SubjectKind, id: string): readonly number[] | undefined {
    return this.best.get(kind)?.get(id);
  }

  max(kind: SubjectKind, id: string, family: string): number {
    const i = FAMILY_INDEX.get(family);
    if (i !== undefined) return this.best.get(kind)?.get(id)?.[i] ?? 0;
    return this.other.get(kind)?.get(id)?.get(family) ?? 0;
  }

  signalsOf(kind: SubjectKind, id: string): SignalFacts[] {
    return this.all.get(kind)?.get(id) ?? [];
  }

  /** Every subject of a kind with a score in some family, and its scores by FAMILIES position. */
  scored(kind: SubjectKind): Iterable<[string, readonly number[]]> {
    return this.best.get(kind) ?? [];
  }
}

/** A buyer's or a merchant's orders (and a merchant's reviews) that a rule flagged, by what for. */
interface Flagged {
  payback: number;
  empty: number;
  /** A merchant's: the buyers of its payback orders. */
  paidBuyers: Set<string>;
  cashback: number;
  attacked: number;
}

/**
 * The flagged orders and reviews of each buyer and merchant, read off the signals (a few thousand
 * subjects) rather than by looking up every order and review of every account and shop.
 */
function flagged(sig: SignalIndex, state: MarketState) {
  const buyers = new Map<string, Flagged>();
  const merchants = new Map<string, Flagged>();
  const of = (m: Map<string, Flagged>, id: string) => {
    let f = m.get(id);
    if (!f) m.set(id, (f = { payback: 0, empty: 0, paidBuyers: new Set(), cashback: 0, attacked: 0 }));
    return f;
  };
  for (const [id, sc] of sig.scored('order')) {
    const o = state.orders.get(id);
    if (!o) continue;
    if (sc[PAYBACK] > 0) {
      of(buyers, o.buyer).payback++;
      const m = of(merchants, o.merchant);
      m.payback++;
      m.paidBuyers.add(o.buyer);
    }
    if (sc[IMPLAUSIBLE_WEIGHT] > 0) {
      of(buyers, o.buyer).empty++;
      of(merchants, o.merchant).empty++;
    }
  }
  for (const [id, sc] of sig.scored('review')) {
    const r = state.reviews.get(id);
    if (!r) continue;
    if (sc[CASHBACK] > 0) of(merchants, r.merchant).cashback++;
    if (sc[REVIEW_ATTACK] > 0) of(merchants, r.merchant).attacked++;
  }
  return { buyers, merchants };
}

/**
 * One subject's features, written by position straight into a row of a matrix. The feature functions
 * `put` their values in a fixed order and the first subject computed records the names. Every later row
 * checks each name against the recorded one (literal strings, so a pointer compare), so a function that
 * skips or reorders a feature fails loudly instead of shifting columns.
 */
class Row {
  readonly names: string[] = [];
  learning = true;
  private out: Float32Array = new Float32Array(0);
  private at = 0;
  private i = 0;

  begin(out: Float32Array, at: number) {
    this.out = out;
    this.at = at;
    this.i = 0;
  }

  put(name: string, x: number) {
    const i = this.i++;
    if (this.learning) {
      if (this.names.includes(name)) throw new Error(`feature ${name} written twice`);
      this.names.push(name);
    } else if (i < this.names.length) {
      if (this.names[i] !== name) throw new Error(`feature ${name} written where ${this.names[i]} belongs`);
      this.out[this.at + i] = x;
    }
    // (A feature the first row did not have is not a column, as when names came from the first row's keys.)
  }

  /** Features a row did not reach (an early return) are missing. */
  end() {
    if (!this.learning && this.i < this.names.length)
      this.out.fill(Number.NaN, this.at + this.i, this.at + this.names.length);
  }
}

/** Writes one kind's rows; the names come from the first subject computed. */
class RowWriter<K> {
  private readonly v = new Row();

  constructor(private readonly compute: (key: K, v: Row) => void) {}

  get names(): string[] | undefined {
    return this.v.learning ? undefined : this.v.names;
  }

  /** The names, computing `first` to learn them if no row was written yet. */
  namesFrom(first: K | undefined): string[] {
    if (this.v.learning && first !== undefined) {
      this.compute(first, this.v);
      this.v.learning = false;
    }
    return this.names ?? [];
  }

  write(key: K, out: Float32Array, at: number): void {
    this.namesFrom(key);
    this.v.begin(out, at);
    this.compute(key, this.v);
    this.v.end();
  }

  row(key: K): Float32Array {
    const row = new Float32Array(this.namesFrom(key).length);
    this.write(key, row, 0);
    return row;
  }
}

/**
 * The table of a kind that others embed (an order carries its buyer's and merchant's rows): each subject's
 * row is computed once, into the table, or on the side for the few outside it (operator accounts that buy).
 */
class EmbeddedTable {
  private set: FeatureSet | undefined;
  private bits: Uint32Array = new Uint32Array(0);
  private readonly index = new Map<string, number>();
  private readonly extra = new Map<string, Uint32Array>();

  constructor(
    private readonly kind: SubjectKind,
    readonly writer: RowWriter<string>,
    private readonly ids: () => string[],
  ) {}

  /** The table, built on the first call; `each` is called with every row just written (its bits from `at`). */
  table(each?: (id: string, bits: Uint32Array, at: number) => void): FeatureSet {
    if (this.set) return this.set;
    const ids = this.ids();
    const names = this.writer.namesFrom(ids[0]);
    const w = names.length;
    const rows = new Float32Array(ids.length * w);
    this.bits = new Uint32Array(rows.buffer);
    for (let i = 0; i < ids.length; i++) {
      this.index.set(ids[i], i);
      this.writer.write(ids[i], rows, i * w);
      each?.(ids[i], this.bits, i * w);
    }
    this.set = { kind: this.kind, names, ids, rows };
    return this.set;
  }

  /** Copies `id`'s row into `out` from `at`, bit for bit (NaN payloads included). */
  copyInto(id: string, out: Uint32Array, at: number) {
    const w = this.table().names.length;
    let src = this.bits;
    let from = 0;
    const i = this.index.get(id);
    if (i !== undefined) from = i * w;
    else {
      let row = this.extra.get(id);
      if (!row) this.extra.set(id, (row = new Uint32Array(this.writer.row(id).buffer)));
      src = row;
    }
    for (let k = 0; k < w; k++) out[at + k] = src[from + k];
  }
}

/**
 * How many accounts each identifier was seen with, remembered for a while: an account's orders are written
 * right after it and mostly repeat its devices, networks, addresses and instruments, and a short list of
 * values just seen is much cheaper to search than the market-wide index (a lookup there is a cache miss).
 * A size depends only on the value, so an entry is right whoever asks; `forget` only keeps the lists short.
 */
class PoolSizes {
  private readonly values = new Map<IdentifierKind, Array<string | undefined>>();
  private readonly sizes = new Map<IdentifierKind, number[]>();

  constructor(private readonly ids: Record<IdentifierKind, IdentifierIndex>) {
    for (const k of Object.keys(ids) as IdentifierKind[]) {
      this.values.set(k, []);
      this.sizes.set(k, []);
    }
  }

  forget() {
    for (const l of this.values.values()) l.length = 0;
    for (const l of this.sizes.values()) l.length = 0;
  }

  size(kind: IdentifierKind, value: string | undefined): number {
    if (!value) return 0;
    const values = this.values.get(kind)!;
    const i = values.indexOf(value);
    if (i >= 0) return this.sizes.get(kind)![i];
    const n = this.ids[kind].size(value);
    if (values.length < 64) {
      values.push(value);
      this.sizes.get(kind)!.push(n);
    }
    return n;
  }
}

interface Patterns {
  offer: TextTest | undefined;
  demand: TextTest | undefined;
  punitive: TextTest | undefined;
  accusation: TextTest | undefined;
}

function patterns(rules: RuleSet): Patterns {
  const some = (xs: string[], make: (xs: string[]) => TextTest) => (xs.length ? make(xs) : undefined);
  const offer = rules.rules.flatMap((r) => (r.kind === 'cashback' ? r.params.offer_patterns : []));
  const ext = rules.rules.flatMap((r) => (r.kind === 'extortion' ? [r.params] : []));
  return {
    offer: some(offer, patternTest),
    demand: some(
      ext.flatMap((p) => p.demand_patterns),
      patternTest,
    ),
    punitive: some(
      ext.flatMap((p) => p.punitive_patterns),
      wordTest,
    ),
    accusation: some(
      ext.flatMap((p) => p.accusation_patterns),
      wordTest,
    ),
  };
}

interface ReviewText {
  len: number;
  /** Near-duplicates among the same merchant's reviews of the same band (good or not), before and after. */
  similar: number;
}

/** Everything computed once per build and shared by the kinds. */
class Context {
  readonly sig: SignalIndex;
  readonly hood: Neighbourhood;
  /** Who paid which shop's good reviewers (好评返现) or, not being its side, its low reviewers (反向刷单). */
  readonly paidReviews: PaidReviews;
  /** Buyers paid around their orders at a shop by another shop's side (反向刷单's ring, paid by a rival). */
  /** Shops whose sides buy at each other (互刷), and the closed groups they form. */
  readonly mutual: MutualBrushing;
  readonly foreign: ForeignPaybacks;
  /** Orders left unpaid: by listing, by linked accounts, and who paid their buyers (恶意占库存). */
  readonly unpaid: UnpaidOrders;
  private readonly medianAmount = new Map<string, number>();
  readonly pat: Patterns;
  readonly poolSizes: PoolSizes;
  readonly flagged: ReturnType<typeof flagged>;
  readonly accounts = new EmbeddedTable(
    'account',
    new RowWriter<string>((id, v) => accountFeatures(this, id, v)),
    () => {
      const ids: string[] = [];
      for (const [id, a] of this.input.state.accounts) if (!a.operatorOf) ids.push(id);
      return ids;
    },
  );
  readonly merchants = new EmbeddedTable(
    'merchant',
    new RowWriter<string>((id, v) => merchantFeatures(this, id, v)),
    () => [...this.input.state.merchants.keys()],
  );
  readonly ordersOwn = new RowWriter<OrderState>((o, v) => orderFeatures(this, o, v));
  /** The order matrix once built (reviews embed their order's row), and each order's row in it. */
  orderTable: FeatureSet | undefined;
  readonly orderRow = new Map<OrderState, number>();
  /** Per review, its normalised text's length and near-duplicate count among the same merchant's reviews. */
  readonly texts = new Map<ReviewState, ReviewText>();
  /** merchant → sorted times of its low ratings */
  readonly lowTimes = new Map<string, number[]>();
  readonly ringScoreNorm: number;
  /** merchant → buyer → cash-back offers the shop's side sent that buyer */
  private readonly offers = new Map<string, Map<string, number>>();
  /** account → merchant → money demands the account sent that shop */
  private readonly demands = new Map<string, Map<string, number>>();
  /** Accounts that sent any money demand (gang talkers), from the same pass over chat. */
  readonly demanders = new Set<string>();
  /** Accounts with any transfer in. */
  private readonly receivers = new Set<string>();
  /** Buyers whose account was younger than `fresh_buyer_days` at their first order. */
  readonly fresh = new Set<string>();
  private readonly removedPaid = new Map<string, boolean>();
  /**
   * Low reviews their buyer removed soon after money came in from anyone (花钱删差评 through an intermediary
   * the shop never pays on the platform), and per payer the reviewers it paid so: review id → payers.
   */
  readonly removalPayers = new Map<string, string[]>();
  /** payer → distinct reviewers it paid shortly before they removed a low review, and at how many shops. */
  readonly paidRemovals = new Map<string, { reviewers: Set<string>; shops: Set<string> }>();

  constructor(readonly input: FeatureInput) {
    this.sig = new SignalIndex(input.signals, input.rules);
    this.pat = patterns(input.rules);
    this.poolSizes = new PoolSizes(input.state.ids);
    this.flagged = flagged(this.sig, input.state);
    this.hood = new Neighbourhood(input.state, {
      poolMaxAccounts: F.pool_max_accounts,
      complaintWindowMs: F.co_complaint_window_days * DAY,
      orderWindowMs: F.co_order_window_days * DAY,
      moneyWindowMs: F.money_window_days * DAY,
      lowRatingMax: F.low_rating_max,
    });
    this.mutual = new MutualBrushing(input.state, {
      goodRatingMin: F.good_rating_min,
      linked: (account) => this.hood.linked(account),
    });
    this.paidReviews = new PaidReviews(input.state, {
      goodRatingMin: F.good_rating_min,
      lowRatingMax: F.low_rating_max,
      windowMs: F.review_transfers_after_days * DAY,
      isSideOf: (account, merchant) => input.money.linkTo(account, merchant) !== undefined,
    });
    this.foreign = new ForeignPaybacks(input.state, {
      beforeMs: F.order_transfers_before_days * DAY,
      afterMs: F.order_transfers_after_days * DAY,
      isSideOf: (account, merchant) => input.money.linkTo(account, merchant) !== undefined,
      sidesOf: (account) => input.money.sidesOf(account).map((l) => l.merchant),
    });
    this.unpaid = new UnpaidOrders(input.state, {
      windowMs: F.co_order_window_days * DAY,
      beforeMs: F.order_transfers_before_days * DAY,
      afterMs: F.order_transfers_after_days * DAY,
      linked: (account) => this.hood.linked(account),
      isSideOf: (account, merchant) => input.money.linkTo(account, merchant) !== undefined,
      sidesOf: (account) => input.money.sidesOf(account).map((l) => l.merchant),
    });
    // One pass over all chat, so per-subject lookups are O(1) however chatty a shop is. The same pass notes
    // the few accounts money ever reached and which buyers are fresh, facts the shops' rows ask of every
    // buyer: small sets answer that without reading the buyer's state again.
    for (const a of input.state.accounts.values()) {
      if (a.transfersIn.length) this.receivers.add(a.id);
      if (a.orders.length && this.ageDays(a, a.orders[0].createdAt) < F.fresh_buyer_days)
        this.fresh.add(a.id);
      for (const m of a.messagesOut) {
        if (this.pat.offer?.test(m.text)) {
          const own = input.state.operatorOf(m.from);
          if (own) bump2(this.offers, own, m.to);
        }
        if (this.pat.demand?.test(m.text)) {
          this.demanders.add(m.from);
          const merchants = new Set<string>();
          const to = input.state.operatorOf(m.to);
          if (to) merchants.add(to);
          for (const l of input.money.sidesOf(m.to)) merchants.add(l.merchant);
          if (m.order) {
            const om = input.state.orders.get(m.order)?.merchant;
            if (om) merchants.add(om);
          }
          for (const x of merchants) bump2(this.demands, m.from, x);
        }
      }
    }
    const pools = new Map<string, NearDuplicateSet<ReviewText>>();
    const reviews = [...input.state.reviews.values()].sort((a, b) => a.at - b.at);
    for (const r of reviews) {
      const t = normalizeText(r.text);
      const text: ReviewText = { len: t.length, similar: 0 };
      this.texts.set(r, text);
      if (r.rating <= F.low_rating_max) {
        const l = this.lowTimes.get(r.merchant) ?? [];
        l.push(r.at);
        this.lowTimes.set(r.merchant, l);
      }
      if (t.length < F.similar_min_chars) continue;
      const key = `${r.merchant}:${r.rating >= F.good_rating_min ? 'hi' : 'lo'}`;
      let pool = pools.get(key);
      if (!pool) pools.set(key, (pool = new NearDuplicateSet(F.similar_pool_reviews)));
      pool.addAndMatch(t, text, F.similar_min_similarity, (earlier) => {
        text.similar++;
        earlier.similar++;
      });
    }
    const w = F.money_window_days * DAY;
    for (const r of reviews) {
      if (r.removedAt === undefined || r.removedBy !== 'buyer' || r.rating > F.low_rating_max) continue;
      const from = Math.max(r.at, r.removedAt - w);
      const payers: string[] = [];
      for (const t of input.state.accounts.get(r.buyer)?.transfersIn ?? []) {
        if (t.at < from || t.at > r.removedAt) continue;
        payers.push(t.from);
        let p = this.paidRemovals.get(t.from);
        if (!p) this.paidRemovals.set(t.from, (p = { reviewers: new Set(), shops: new Set() }));
        p.reviewers.add(r.buyer);
        p.shops.add(r.merchant);
      }
      if (payers.length) this.removalPayers.set(r.id, payers);
    }
    const blockScores = input.rings.rings.filter((r) => r.method === 'dense-block').map((r) => r.score);
    this.ringScoreNorm = blockScores.length ? Math.max(...blockScores) : 1;
  }

  /** A review's text length and near-duplicates (worked out for every review the state holds). */
  text(r: ReviewState): ReviewText {
    return this.texts.get(r) ?? { len: normalizeText(r.text).length, similar: 0 };
  }

  ageDays(a: AccountState | undefined, at: number): number {
    if (!a) return Number.NaN;
    return (at - (a.registeredAt ?? a.firstSeenAt)) / DAY;
  }

  /** Transfers into buyer `a` from `merchant`'s side near `at`: best amount ratio and fewest hops. */
  sideTransfers(a: AccountState | undefined, merchant: string, from: number, to: number) {
    let amount = 0;
    let hops = Number.NaN;
    let n = 0;
    for (const t of a?.transfersIn ?? []) {
      if (t.at < from || t.at > to) continue;
      const link = this.input.money.linkTo(t.from, merchant);
      if (!link) continue;
      n++;
      amount += t.amount;
      hops = Number.isNaN(hops) ? link.hops : Math.min(hops, link.hops);
    }
    return { amount, hops, n };
  }

  /** Transfers from `merchant`'s side into `account` between `from` and `to`. */
  sideMoneyInto(account: string, merchant: string, from: number, to: number): number {
    if (!this.receivers.has(account)) return 0;
    let n = 0;
    for (const t of this.input.state.accounts.get(account)?.transfersIn ?? [])
      if (t.at >= from && t.at <= to && this.input.money.linkTo(t.from, merchant)) n++;
    return n;
  }

  /** The same into the account or any of its pool-mates: everyone money "to the gang" could go to. */
  sideMoneyIntoCircle(account: string, merchant: string, from: number, to: number): number {
    let n = this.sideMoneyInto(account, merchant, from, to);
    for (const x of this.hood.linked(account)) n += this.sideMoneyInto(x, merchant, from, to);
    return n;
  }

  private readonly typical = new Map<string, number | undefined>();

  /**
   * A listing's typical parcel weight per unit, undefined without enough earlier parcels. Kept per listing:
   * every order of it asks, and a small map of numbers is cheaper to read than the listing's own state.
   */
  typicalWeight(listing: string): number | undefined {
    if (this.typical.has(listing)) return this.typical.get(listing);
    const l = this.input.state.listings.get(listing);
    const w =
      l && l.unitWeights.length >= F.weight_min_reference_orders
        ? sortedQuantile(l.unitWeights, F.weight_typical_quantile)
        : undefined;
    this.typical.set(listing, w);
    return w;
  }

  /** The median amount of a merchant's orders (what a normal purchase there costs). */
  merchantMedian(merchant: string): number {
    let m = this.medianAmount.get(merchant);
    if (m === undefined) {
      const xs = (this.input.state.merchants.get(merchant)?.orders ?? [])
        .map((o) => o.amount)
        .sort((a, b) => a - b);
      m = xs.length ? xs[Math.floor(xs.length / 2)] : Number.NaN;
      this.medianAmount.set(merchant, m);
    }
    return m;
  }

  /** Reviews removed by their buyer after money from the shop's side reached the buyer or its pool. */
  removedAfterMoney(r: ReviewState): boolean {
    if (r.removedAt === undefined || r.removedBy !== 'buyer') return false;
    // The review's account, order and merchant rows all ask: worked out once.
    let paid = this.removedPaid.get(r.id);
    if (paid === undefined) {
      const w = F.money_window_days * DAY;
      const from = Math.max(r.at, r.removedAt - w);
      paid = this.sideMoneyIntoCircle(r.buyer, r.merchant, from, r.removedAt) > 0;
      this.removedPaid.set(r.id, paid);
    }
    return paid;
  }

  /** Money demands `from` sent to `merchant`'s side or about its orders. */
  demandsTo(from: string, merchant: string): number {
    return this.demands.get(from)?.get(merchant) ?? 0;
  }

  /** Offers from `merchant`'s own accounts to `buyer`. */
  offersFrom(merchant: string, buyer: string): number {
    return this.offers.get(merchant)?.get(buyer) ?? 0;
  }

  private readonly perMerchantCache = new Map<AccountState, Map<string, number>>();

  /** The account's orders per merchant (kept for busy buyers: each of their orders asks again). */
  perMerchant(a: AccountState): Map<string, number> {
    let m = this.perMerchantCache.get(a);
    if (m) return m;
    m = new Map();
    for (const o of a.orders) m.set(o.merchant, (m.get(o.merchant) ?? 0) + 1);
    if (a.orders.length > 8) this.perMerchantCache.set(a, m);
    return m;
  }

  /** How many of the account's orders were at `merchant`. */
  ordersAt(a: AccountState, merchant: string): number {
    // A short list is quicker to scan than to index.
    if (a.orders.length <= 8) {
      let n = 0;
      for (const o of a.orders) if (o.merchant === merchant) n++;
      return n;
    }
    return this.perMerchant(a).get(merchant) ?? 0;
  }

  /** Low ratings on `merchant` within 72 hours either side of `at` (times are sorted). */
  lowBurst(merchant: string, at: number): number {
    const l = this.lowTimes.get(merchant);
    if (!l) return 0;
    return (
      lowerBound(l, at + F.low_burst_window_hours * HOUR + 1) -
      lowerBound(l, at - F.low_burst_window_hours * HOUR)
    );
  }

  private readonly ringMerchantSets = new Map<Ring, Set<string>>();

  /** A ring's merchants as a set: every shop asks about every ringed buyer's rings. */
  ringMerchants(r: Ring): Set<string> {
    let m = this.ringMerchantSets.get(r);
    if (!m) this.ringMerchantSets.set(r, (m = new Set(r.merchants)));
    return m;
  }

  private readonly strongCount = new Map<Ring, number>();

  /** How many of a ring's members have strong signals of their own (counted once per ring). */
  strongMembers(r: Ring): number {
    let n = this.strongCount.get(r);
    if (n === undefined) {
      n = r.members.filter((m) => strongSignal(this, m)).length;
      this.strongCount.set(r, n);
    }
    return n;
  }

  /** Names of a composed order row (its own, then b.* of its buyer, m.* of its merchant); empty without orders. */
  orderNames(): string[] {
    const first = this.input.state.orders.values().next().value;
    if (!first) return [];
    return [
      ...this.ordersOwn.namesFrom(first),
      ...this.accounts.writer.namesFrom(first.buyer).map((n) => `b.${n}`),
      ...this.merchants.writer.namesFrom(first.merchant).map((n) => `m.${n}`),
    ];
  }

  rings(account: string): readonly Ring[] {
    const m = this.input.rings.membership.get(account);
    return m ? m.map((i) => this.input.rings.rings[i]) : NO_RINGS;
  }
}

const NO_RINGS: readonly Ring[] = [];
const NO_COUNTS: ReadonlyMap<string, number> = new Map();

const STRONG = ['payback', 'cashback', 'extortion', 'review_attack', 'implausible_weight'];

const STRONG_AT = STRONG.map((f) => FAMILIES.indexOf(f as (typeof FAMILIES)[number]));
const PAYBACK = FAMILIES.indexOf('payback');
const IMPLAUSIBLE_WEIGHT = FAMILIES.indexOf('implausible_weight');
const CASHBACK = FAMILIES.indexOf('cashback');
const REVIEW_ATTACK = FAMILIES.indexOf('review_attack');
const BANNED_CLAIMS = FAMILIES.indexOf('banned_claims');

function strongSignal(ctx: Context, account: string): boolean {
  const sc = ctx.sig.scores('account', account);
  return sc !== undefined && STRONG_AT.some((i) => sc[i] >= F.strong_signal_min);
}

function accountFeatures(ctx: Context, id: string, v: Row): void {
  const s = ctx.input.state;
  const a = s.accounts.get(id);
  ctx.poolSizes.forget(); // a new account: what the last one and its orders used is not wanted again
  ctx.sig.families('account', id, v);
  const orders = a?.orders ?? [];
  const first = orders.length ? orders[0].createdAt : (a?.firstSeenAt ?? 0);
  v.put('age_days_first_order', ctx.ageDays(a, first));
  v.put('orders_log', log1p(orders.length));
  const perM = a?.orders.length ? ctx.perMerchant(a) : NO_COUNTS;
  let most = 0;
  for (const n of perM.values()) most = Math.max(most, n);
  v.put('merchants_log', log1p(perM.size));
  v.put('max_merchant_share', orders.length ? most / orders.length : 0);
  const fl = ctx.flagged.buyers.get(id);
  const paidBack = fl?.payback ?? 0;
  const empty = fl?.empty ?? 0;
  let refunds = 0;
  for (const o of orders) if (o.refundRequestedAt !== undefined) refunds++;
  v.put('payback_orders', paidBack);
  v.put('payback_share', orders.length ? paidBack / orders.length : 0);
  v.put('empty_share', orders.length ? empty / orders.length : 0);
  v.put('refund_rate', orders.length ? refunds / orders.length : 0);
  v.put('refunds_log', log1p(refunds));
  const reviews = a?.reviews ?? [];
  let five = 0;
  let low = 0;
  let removed = 0;
  let quick = 0;
  let lowShops: Set<string> | undefined;
  for (const r of reviews) {
    if (r.rating === 5) five++;
    if (r.rating <= F.low_rating_max) {
      low++;
      (lowShops ??= new Set()).add(r.merchant);
    }
    if (r.removedAt !== undefined) removed++;
    const o = s.orders.get(r.order);
    if (o?.deliveredAt !== undefined && r.at - o.deliveredAt < F.quick_review_hours * HOUR) quick++;
  }
  v.put('reviews_log', log1p(reviews.length));
  v.put('five_share', reviews.length ? five / reviews.length : Number.NaN);
  v.put('low_share', reviews.length ? low / reviews.length : Number.NaN);
  v.put('low_shops_log', log1p(lowShops?.size ?? 0));
  v.put('removed_share', reviews.length ? removed / reviews.length : 0);
  v.put('quick_share', reviews.length ? quick / reviews.length : Number.NaN);
  // (Sets below are made only when there is something to put in them: most accounts have none.)
  let demandShops: Set<string> | undefined;
  let demands = 0;
  for (const m of a?.messagesOut ?? []) {
    if (!ctx.pat.demand?.test(m.text)) continue;
    demands++;
    const side = ctx.input.money.sidesOf(m.to)[0];
    const merchant = side?.merchant ?? (m.order ? s.orders.get(m.order)?.merchant : undefined);
    if (merchant) (demandShops ??= new Set()).add(merchant);
  }
  v.put('demands_log', log1p(demands));
  v.put('demand_shops', demandShops?.size ?? 0);
  v.put('messages_out_log', log1p(a?.messagesOut.length ?? 0));
  // Money: from merchant sides in, and onwards to other accounts out.
  let sideMerchants: Set<string> | undefined;
  let sideIn = 0;
  for (const t of a?.transfersIn ?? []) {
    const sides = ctx.input.money.sidesOf(t.from);
    if (sides.length) {
      sideIn += t.amount;
      for (const l of sides) (sideMerchants ??= new Set()).add(l.merchant);
    }
  }
  v.put('side_in_merchants', sideMerchants?.size ?? 0);
  v.put('side_in_log', log1p(sideIn / 100));
  v.put('transfers_in_log', log1p(a?.transfersIn.length ?? 0));
  v.put('transfers_out_log', log1p(a?.transfersOut.length ?? 0));
  let recipients: Set<string> | undefined;
  for (const t of a?.transfersOut ?? []) (recipients ??= new Set()).add(t.to);
  let recipientsBuying = 0;
  for (const r of recipients ?? []) if ((s.accounts.get(r)?.orders.length ?? 0) > 0) recipientsBuying++;
  const nRecipients = recipients?.size ?? 0;
  v.put('recipients_log', log1p(nRecipients));
  v.put('recipients_buying_share', nRecipients ? recipientsBuying / nRecipients : 0);
  v.put('sides_of', ctx.input.money.sidesOf(id).length);
  v.put('is_operator', a?.operatorOf ? 1 : 0);
  // Identifiers the account shares.
  const ps = ctx.poolSizes;
  let device = 0;
  for (const x of a?.devices ?? []) device = Math.max(device, ps.size('device', x));
  let ip = 0;
  for (const x of a?.ips ?? []) ip = Math.max(ip, ps.size('ip', x));
  let address = 0;
  let instrument = 0;
  for (const o of orders) {
    address = Math.max(address, ps.size('address', o.address));
    instrument = Math.max(instrument, ps.size('instrument', o.instrument));
  }
  v.put('device_accounts_log', log1p(device));
  v.put('ip_accounts_log', log1p(ip));
  v.put('address_accounts_log', log1p(address));
  v.put('instrument_accounts_log', log1p(instrument));
  v.put('phone_accounts_log', log1p(ps.size('phone', a?.phone)));
  let ipMerchants = 0;
  for (const ip of a?.ips ?? []) ipMerchants = Math.max(ipMerchants, s.ids.ip.merchantCount(ip));
  v.put('ip_merchants_log', log1p(ipMerchants));
  v.put('devices_log', log1p(a?.devices.length ?? 0));
  v.put('logins_log', log1p(a?.logins ?? 0));
  // Rings: membership and guilt by association (the share of ring-mates with strong signals of their own).
  let block = 0;
  let blockMates = 0;
  let clusterSize = 0;
  let clusterMates = 0;
  let clusterMerchants = 0;
  const self = strongSignal(ctx, id) ? 1 : 0;
  for (const r of ctx.rings(id)) {
    const mates = r.members.length - 1;
    const share = mates > 0 ? (ctx.strongMembers(r) - self) / mates : 0;
    if (r.method === 'dense-block') {
      block = Math.max(block, r.score / ctx.ringScoreNorm);
      blockMates = Math.max(blockMates, share);
    } else {
      clusterSize = Math.max(clusterSize, r.members.length);
      clusterMates = Math.max(clusterMates, share);
      clusterMerchants = Math.max(clusterMerchants, r.density);
    }
  }
  v.put('ring_block', block);
  v.put('ring_block_mates_flagged', blockMates);
  v.put('cluster_size_log', log1p(clusterSize));
  v.put('cluster_mates_flagged', clusterMates);
  v.put('cluster_cobuy', clusterMerchants);
  accountNeighbourhood(ctx, a, v);
}

/** Who the account works with: its small pools, who complains with it, and where the shops' money goes. */
function accountNeighbourhood(ctx: Context, a: AccountState | undefined, v: Row) {
  const h = ctx.hood;
  if (!a) return;
  const linked = h.linked(a.id);
  v.put('pools', h.pools(a.id));
  v.put('pool_accounts_log', log1p(linked.size));
  const co = h.coComplaint(a);
  v.put('co_complainers_log', log1p(co.partners));
  v.put('co_linked_complainers', co.linkedPartners);
  v.put('co_linked_shops', co.linkedShops);
  let complainers = 0;
  let demanders = 0;
  for (const x of linked) {
    const b = ctx.input.state.accounts.get(x);
    if (!b) continue;
    if (
      b.reviews.some((r) => r.rating <= F.low_rating_max) ||
      b.orders.some((o) => o.refundRequestedAt !== undefined)
    )
      complainers++;
    if (ctx.demanders.has(x)) demanders++;
  }
  v.put('pool_complainers', complainers);
  v.put('pool_complainer_share', linked.size ? complainers / linked.size : 0);
  v.put('pool_demanders', demanders);
  // Shops this account complained at whose side then paid the account or its pool (a gang's collector).
  const w = F.money_window_days * DAY;
  // (Sets made only for accounts that complained at all: most never do.)
  let complaints = 0;
  let complainedAt: Set<string> | undefined;
  let paidShops: Set<string> | undefined;
  for (const r of a.reviews) {
    if (r.rating > F.low_rating_max) continue;
    complaints++;
    (complainedAt ??= new Set()).add(r.merchant);
    if (!paidShops?.has(r.merchant) && ctx.sideMoneyIntoCircle(a.id, r.merchant, r.at, r.at + w) > 0)
      (paidShops ??= new Set()).add(r.merchant);
  }
  for (const o of a.orders) {
    const at = o.refundRequestedAt;
    if (at === undefined) continue;
    complaints++;
    (complainedAt ??= new Set()).add(o.merchant);
    if (!paidShops?.has(o.merchant) && ctx.sideMoneyIntoCircle(a.id, o.merchant, at, at + w) > 0)
      (paidShops ??= new Set()).add(o.merchant);
  }
  v.put('complaint_shops_paid', paidShops?.size ?? 0);
  v.put('complaint_shops_paid_share', complaints ? (paidShops?.size ?? 0) / complainedAt!.size : 0);
  let removedPaid = 0;
  for (const r of a.reviews) if (ctx.removedAfterMoney(r)) removedPaid++;
  v.put('removed_after_money', removedPaid);
  // The intermediary's side of 花钱删差评: reviewers it paid just before they removed a low review.
  const paid = ctx.paidRemovals.get(a.id);
  v.put('paid_removal_reviewers', paid?.reviewers.size ?? 0);
  v.put('paid_removal_shops', paid?.shops.size ?? 0);
  // The payer's side of 好评返现: good reviewers of one shop it paid soon after their reviews.
  const good = ctx.paidReviews.payer(a.id, 'good');
  v.put('paid_good_reviewers_at_shop_log', log1p(good.maxAtShop));
  v.put('paid_good_reviewer_shops', good.shops);
  // The attack's paymaster: low reviewers of one shop it paid soon after, not being that shop's side.
  const low = ctx.paidReviews.payer(a.id, 'low');
  v.put('paid_low_reviewers_at_shop_log', log1p(low.maxAtShop));
  v.put('paid_low_reviewer_shops', low.shops);
  // The attackers' side: a low review of its own whose paymaster paid other low reviewers of that shop too.
  let paidWithOthers = 0;
  for (const r of a.reviews)
    if (r.rating <= F.low_rating_max)
      paidWithOthers = Math.max(paidWithOthers, ctx.paidReviews.review(r, 'low'));
  v.put('low_review_paid_with_others_log', log1p(paidWithOthers));
  // 反向刷单: the ring's side (its orders paid back by another shop's side, with other buyers of that shop)
  // and the paymaster's (buyers of a shop not its own it paid around their orders there).
  let foreignPaid = 0;
  for (const o of a.orders) if (ctx.foreign.order(o) >= 2) foreignPaid++;
  v.put('foreign_paid_orders_log', log1p(foreignPaid));
  v.put('foreign_paid_order_share', a.orders.length ? foreignPaid / a.orders.length : 0);
  const elsewhere = ctx.foreign.payer(a.id);
  v.put('paid_buyers_elsewhere_log', log1p(elsewhere.maxAtShop));
  v.put('paid_buyers_elsewhere_shops', elsewhere.shops);
  // 职业索赔: punitive multiples demanded, and refunds claimed over labels or advertising, shop after shop.
  let punitiveShops: Set<string> | undefined;
  for (const m of a.messagesOut) {
    if (!ctx.pat.punitive?.test(m.text)) continue;
    const shop =
      (m.order ? ctx.input.state.orders.get(m.order)?.merchant : undefined) ??
      ctx.input.money.sidesOf(m.to)[0]?.merchant;
    (punitiveShops ??= new Set()).add(shop ?? m.to);
  }
  v.put('punitive_shops', punitiveShops?.size ?? 0);
  accountMutual(ctx, a, v);
}

/** 互刷 from the buyer: buying for one shop at another whose side buys back, and within one closed group. */
function accountMutual(ctx: Context, a: AccountState, v: Row) {
  const mb = ctx.mutual;
  v.put('mutual_acts_for_shops', mb.sidesOf(a.id).length);
  let otherSide = 0;
  let reciprocated = 0;
  let good = 0;
  let shops: Set<string> | undefined;
  for (const o of a.orders) {
    if (!mb.otherSide(o)) continue;
    otherSide++;
    if (mb.reciprocalSide(o) === undefined) continue;
    reciprocated++;
    if (o.review && o.review.rating >= F.good_rating_min) good++;
    (shops ??= new Set()).add(o.merchant);
  }
  v.put('mutual_other_side_order_share', a.orders.length ? otherSide / a.orders.length : 0);
  v.put('mutual_reciprocated_orders_log', log1p(reciprocated));
  v.put('mutual_reciprocated_good_reviews_log', log1p(good));
  v.put('mutual_reciprocated_shops', shops?.size ?? 0);
  const c = mb.circulation(a.id);
  v.put('mutual_group_shops', c.shops);
  v.put('mutual_group_order_share', c.share);
  const co = mb.coPraiseOfAccount(a.id);
  v.put('mutual_co_praisers_log', log1p(co.others));
  v.put('mutual_co_praise_lift_log', log1p(co.maxLift));
  let accusedShops: Set<string> | undefined;
  for (const o of a.orders)
    if (o.refundReason && ctx.pat.accusation?.test(o.refundReason))
      (accusedShops ??= new Set()).add(o.merchant);
  v.put('accusation_refund_shops', accusedShops?.size ?? 0);
  let cheap = 0;
  for (const o of a.orders) if (o.amount < F.cheap_order_of_median * ctx.merchantMedian(o.merchant)) cheap++;
  v.put('cheap_order_share', a.orders.length ? cheap / a.orders.length : Number.NaN);
  // 恶意占库存: orders left unpaid, how much more at one shop than elsewhere, with linked accounts, paid for.
  const u = ctx.unpaid.account(a.id);
  v.put('unpaid_share', u.orders ? u.unpaid / u.orders : 0);
  v.put('unpaid_orders_log', log1p(u.unpaid));
  v.put('unpaid_top_shop_share', u.unpaid ? u.unpaidAtTop / u.unpaid : Number.NaN);
  v.put('unpaid_rate_top_shop', u.ordersAtTop ? u.unpaidAtTop / u.ordersAtTop : Number.NaN);
  v.put('unpaid_rate_elsewhere', u.ordersElsewhere ? u.unpaidElsewhere / u.ordersElsewhere : Number.NaN);
  v.put('unpaid_linked_mates_log', log1p(u.linkedMates));
  v.put('unpaid_paid_with_others_share', u.unpaid ? u.paidWithOthers / u.unpaid : 0);
  // The paymaster's side: accounts that left unpaid orders at one shop, paid around those orders.
  v.put('paid_unpaid_buyers_log', log1p(ctx.unpaid.payer(a.id)));
}

function merchantFeatures(ctx: Context, id: string, v: Row): void {
  const s = ctx.input.state;
  const m = s.merchants.get(id);
  ctx.sig.families('merchant', id, v);
  const orders = m?.orders ?? [];
  v.put('orders_log', log1p(orders.length));
  const buyers = new Set(orders.map((o) => o.buyer));
  v.put('buyers_log', log1p(buyers.size));
  const fl = ctx.flagged.merchants.get(id);
  const payback = fl?.payback ?? 0;
  const empty = fl?.empty ?? 0;
  let ringBuyers = 0;
  let freshBuyers = 0;
  for (const b of buyers) {
    if (ctx.rings(b).some((r) => ctx.ringMerchants(r).has(id))) ringBuyers++;
    if (ctx.fresh.has(b)) freshBuyers++;
  }
  v.put('payback_share', orders.length ? payback / orders.length : 0);
  v.put('payback_buyers_log', log1p(fl?.paidBuyers.size ?? 0));
  v.put('empty_share', orders.length ? empty / orders.length : 0);
  v.put('ring_buyer_share', buyers.size ? ringBuyers / buyers.size : 0);
  v.put('fresh_buyer_share', buyers.size ? freshBuyers / buyers.size : 0);
  const reviews = m?.reviews ?? [];
  let five = 0;
  let low = 0;
  const cash = fl?.cashback ?? 0;
  let templ = 0;
  const attacked = fl?.attacked ?? 0;
  let sum = 0;
  for (const r of reviews) {
    sum += r.rating;
    if (r.rating === 5) five++;
    if (r.rating <= F.low_rating_max) low++;
    if (ctx.text(r).similar >= F.templated_min_similar && r.rating >= F.good_rating_min) templ++;
  }
  v.put('reviews_log', log1p(reviews.length));
  v.put('avg_rating', reviews.length ? sum / reviews.length : Number.NaN);
  v.put('five_share', reviews.length ? five / reviews.length : Number.NaN);
  v.put('low_share', reviews.length ? low / reviews.length : Number.NaN);
  v.put('cashback_review_share', reviews.length ? cash / reviews.length : 0);
  v.put('cashback_reviews_log', log1p(cash));
  v.put('templated_share', reviews.length ? templ / reviews.length : 0);
  v.put('attacked_share', reviews.length ? attacked / reviews.length : 0);
  // Messages and money from the shop's own accounts.
  let offers = 0;
  let outTransfers = 0;
  let outToBuyers = 0;
  let demandsIn = 0;
  // Who the shop's side pays, directly or through one relay (for the attackers it hires, below).
  const paid = new Set<string>();
  for (const op of m?.operators ?? []) {
    const a = s.accounts.get(op);
    for (const msg of a?.messagesOut ?? []) if (ctx.pat.offer?.test(msg.text)) offers++;
    for (const t of a?.transfersOut ?? []) {
      outTransfers++;
      if (buyers.has(t.to)) outToBuyers++;
      paid.add(t.to);
      for (const t2 of s.accounts.get(t.to)?.transfersOut ?? []) if (t2.at >= t.at) paid.add(t2.to);
    }
  }
  for (const b of buyers) demandsIn += ctx.demandsTo(b, id);
  v.put('offers_log', log1p(offers));
  // 反向刷单 seen from the instigator: the shop's side pays accounts, directly or through one relay, that
  // bury another shop under low reviews. The money cannot be left out; the reviews land elsewhere.
  let attackers = 0;
  for (const x of paid) {
    const a = s.accounts.get(x);
    if (!a || a.operatorOf) continue;
    if (a.reviews.some((r) => r.merchant !== id && ctx.sig.max('review', r.id, 'review_attack') > 0))
      attackers++;
  }
  v.put('paid_attackers_elsewhere', attackers);
  // The same by the money alone: the most low reviewers of another shop paid soon after their reviews by
  // this shop's operators or by an account they paid (the attack's paymaster), whatever the reviews say.
  let paidLow = 0;
  for (const x of [...(m?.operators ?? []), ...paid])
    paidLow = Math.max(paidLow, ctx.paidReviews.payer(x, 'low', id).maxAtShop);
  v.put('paid_low_reviewers_elsewhere_log', log1p(paidLow));
  // 反向刷单 by the money alone, whatever the reviews say: the most buyers of another shop that this shop's
  // side paid around their orders there (the ring brushing a rival on its bill).
  let paidElsewhere = 0;
  for (const x of [...(m?.operators ?? []), ...paid])
    paidElsewhere = Math.max(paidElsewhere, ctx.foreign.payer(x, id).maxAtShop);
  v.put('paid_buyers_elsewhere_log', log1p(paidElsewhere));
  // 恶意占库存 seen from the instigator: its side paid accounts that left orders unpaid at another shop.
  let paidUnpaid = ctx.unpaid.side(id);
  for (const x of [...(m?.operators ?? []), ...paid])
    paidUnpaid = Math.max(paidUnpaid, ctx.unpaid.payer(x, id));
  v.put('paid_unpaid_buyers_elsewhere_log', log1p(paidUnpaid));
  v.put('op_transfers_log', log1p(outTransfers));
  v.put('op_transfers_to_buyers_share', outTransfers ? outToBuyers / outTransfers : 0);
  v.put('demands_received_log', log1p(demandsIn));
  merchantNeighbourhood(ctx, id, orders, buyers, reviews, v);
  v.put('listings_log', log1p(m?.listings.size ?? 0));
  let claims = 0;
  for (const l of m?.listings ?? []) if ((ctx.sig.scores('listing', l)?.[BANNED_CLAIMS] ?? 0) > 0) claims++;
  v.put('claims_share', m?.listings.size ? claims / m.listings.size : 0);
  let changed = 0;
  let changedReviews = 0;
  for (const l of m?.listings ?? []) {
    const x = s.listings.get(l);
    if (x && x.drift.similarity < F.listing_changed_similarity) {
      changed++;
      changedReviews = Math.max(changedReviews, x.drift.reviews);
    }
  }
  v.put('changed_listings', changed);
  v.put('changed_listing_reviews_log', log1p(changedReviews));
  // The listing that moved furthest from its first title while carrying reviews (偷换链接 that keeps the
  // brand and a word of the old title moves less than the fixed cut above, but still moves).
  let far: { similarity: number; reviews: number; priceRatio: number } | undefined;
  for (const l of m?.listings ?? []) {
    const x = s.listings.get(l);
    if (!x || x.drift.reviews === 0) continue;
    if (!far || x.drift.similarity < far.similarity) far = x.drift;
  }
  v.put('furthest_listing_similarity', far ? far.similarity : Number.NaN);
  v.put('furthest_listing_reviews_log', far ? log1p(far.reviews) : Number.NaN);
  v.put('furthest_listing_price_ratio', far ? far.priceRatio : Number.NaN);
  v.put('age_days', m?.registeredAt !== undefined ? (s.now - m.registeredAt) / DAY : Number.NaN);
  merchantMutual(ctx, id, buyers, reviews, v);
}

/**
 * 互刷 at the shop: its good reviewers who act for other shops, the shops whose side buys here while its own
 * side buys there, the closed group they make, buyers circulating within it, and money between the group's
 * operators.
 */
function merchantMutual(ctx: Context, id: string, buyers: Set<string>, reviews: ReviewState[], v: Row) {
  const mb = ctx.mutual;
  const shop = mb.shop(id);
  let sideBuyers = 0;
  let circulators = 0;
  for (const b of buyers) {
    if (mb.sidesOf(b).some((x) => x !== id)) sideBuyers++;
    if (shop.group > 0 && mb.groupShopsOf(b, id) >= 2) circulators++;
  }
  const good = new Set<string>();
  let sideGood: Set<string> | undefined;
  let reciprocalGood: Set<string> | undefined;
  for (const r of reviews) {
    if (r.rating < F.good_rating_min) continue;
    good.add(r.buyer);
    const sides = mb.sidesOf(r.buyer);
    if (!sides.some((x) => x !== id)) continue;
    (sideGood ??= new Set()).add(r.buyer);
    if (sides.some((x) => x !== id && mb.reciprocal(x, id))) (reciprocalGood ??= new Set()).add(r.buyer);
  }
  v.put('mutual_side_buyers_log', log1p(sideBuyers));
  v.put('mutual_side_good_reviewer_share', good.size ? (sideGood?.size ?? 0) / good.size : 0);
  v.put('mutual_reciprocal_good_reviewer_share', good.size ? (reciprocalGood?.size ?? 0) / good.size : 0);
  v.put('mutual_partners', shop.partners);
  v.put('mutual_group_size_log', log1p(shop.group));
  v.put('mutual_reciprocal_orders_log', log1p(shop.reciprocalOrders));
  v.put('mutual_side_bought_at_shops', shop.boughtElsewhere);
  v.put('mutual_group_circulators_log', log1p(circulators));
  v.put('mutual_group_circulator_share', buyers.size ? circulators / buyers.size : 0);
  // Settling up: transfers between this shop's operators and a reciprocal partner's (not 货款 between two
  // shops that never buy from each other).
  let settled = 0;
  if (shop.partners > 0) {
    const s = ctx.input.state;
    for (const op of s.merchants.get(id)?.operators ?? []) {
      const acc = s.accounts.get(op);
      for (const t of acc?.transfersOut ?? []) if (partnerOp(ctx, t.to, id)) settled++;
      for (const t of acc?.transfersIn ?? []) if (partnerOp(ctx, t.from, id)) settled++;
    }
  }
  v.put('mutual_partner_transfers_log', log1p(settled));
  // Shops praised by the same several accounts as this one, however unlinked those accounts are.
  const co = mb.coPraised(id);
  v.put('mutual_co_praised_shops', co.shops);
  v.put('mutual_co_praise_lift_log', log1p(co.maxLift));
}

/** Whether the account is an operator of a shop reciprocal with `merchant`. */
function partnerOp(ctx: Context, account: string, merchant: string): boolean {
  const own = ctx.input.state.operatorOf(account);
  return own !== undefined && own !== merchant && ctx.mutual.reciprocal(own, merchant);
}

/**
 * Cash-back follows a good review and compensation a low one or a complaint; rings are linked buyers who
 * buy here together; paid-for removals of low reviews hide what buyers said.
 */
function merchantNeighbourhood(
  ctx: Context,
  id: string,
  orders: OrderState[],
  buyers: Set<string>,
  reviews: ReviewState[],
  v: Row,
) {
  const w = F.money_window_days * DAY;
  const afterGood = new Set<string>();
  const afterLow = new Set<string>();
  // Low reviews the shop's side paid for afterwards, and how many of them the buyer then removed: money that
  // buys a removal is followed by one every time, compensation for a real problem mostly is not.
  let paidLow = 0;
  let paidLowRemoved = 0;
  for (const r of reviews) {
    const paid = ctx.sideMoneyInto(r.buyer, id, r.at, r.at + w) > 0;
    if (!paid) continue;
    if (r.rating >= F.good_rating_min) afterGood.add(r.buyer);
    else if (r.rating <= F.low_rating_max) {
      afterLow.add(r.buyer);
      paidLow++;
      if (r.removedAt !== undefined && r.removedBy === 'buyer') paidLowRemoved++;
    }
  }
  for (const o of orders)
    if (
      o.refundRequestedAt !== undefined &&
      ctx.sideMoneyInto(o.buyer, id, o.refundRequestedAt, o.refundRequestedAt + w) > 0
    )
      afterLow.add(o.buyer);
  // Good reviewers paid by one account, whoever it is (declared or not, the shop's side or not).
  const byOne = ctx.paidReviews.merchant(id, 'good');
  let goodReviewers = 0;
  for (const r of reviews) if (r.rating >= F.good_rating_min) goodReviewers++;
  v.put('good_reviewers_paid_by_one_log', log1p(byOne.maxByOne));
  v.put('good_reviewers_paid_by_repeat_log', log1p(byOne.byRepeatPayers));
  v.put('good_reviewers_paid_by_repeat_share', goodReviewers ? byOne.byRepeatPayers / goodReviewers : 0);
  v.put('paid_after_good_log', log1p(afterGood.size));
  v.put('paid_after_low_log', log1p(afterLow.size));
  v.put('paid_low_reviews_kept_log', log1p(paidLow - paidLowRemoved));
  v.put('paid_low_reviews_removed_share', paidLow ? paidLowRemoved / paidLow : Number.NaN);
  v.put(
    'paid_after_good_share',
    afterGood.size + afterLow.size ? afterGood.size / (afterGood.size + afterLow.size) : Number.NaN,
  );
  let ringed = 0;
  const counted = new Set<string>();
  for (const o of orders) {
    if (counted.has(o.buyer)) continue;
    if (ctx.hood.linkedBuyersHere(o) >= F.ring_min_linked_buyers) {
      ringed++;
      counted.add(o.buyer);
    }
  }
  v.put('linked_buyer_share', buyers.size ? ringed / buyers.size : 0);
  // A brushing client pays its ring from its own side; a shop framed by a rival (反向刷单) pays none of them,
  // and the ring's money comes from another shop's side.
  const fp = ctx.foreign.merchant(id);
  v.put('foreign_paid_buyers_log', log1p(fp.foreignBuyers));
  v.put('foreign_paid_buyer_share', buyers.size ? fp.foreignBuyers / buyers.size : 0);
  v.put(
    'foreign_of_paid_share',
    fp.foreignBuyers + fp.ownBuyers ? fp.foreignBuyers / (fp.foreignBuyers + fp.ownBuyers) : Number.NaN,
  );
  let linkedForeign = 0;
  let linkedOwn = 0;
  for (const b of counted) {
    if (ctx.foreign.foreignPaid(id, b)) linkedForeign++;
    if (ctx.foreign.ownPaid(id, b)) linkedOwn++;
  }
  v.put('linked_buyers_foreign_paid_share', ringed ? linkedForeign / ringed : Number.NaN);
  v.put('linked_buyers_own_paid_share', ringed ? linkedOwn / ringed : Number.NaN);
  // Buyers who share a small pool with the shop's own accounts (自买自卖).
  const ops = ctx.input.state.merchants.get(id)?.operators ?? new Set<string>();
  let ownBuyers = 0;
  for (const b of buyers) {
    for (const x of ctx.hood.linked(b)) {
      const acc = ctx.input.state.accounts.get(x);
      if (ops.has(x) || acc?.actsFor === id) {
        ownBuyers++;
        break;
      }
    }
  }
  v.put('own_linked_buyers_log', log1p(ownBuyers));
  v.put('own_linked_buyer_share', buyers.size ? ownBuyers / buyers.size : 0);
  let removedPaid = 0;
  for (const r of reviews) if (ctx.removedAfterMoney(r)) removedPaid++;
  v.put('removed_after_money_reviews', removedPaid);
  // Removed low reviews with money from anyone just before, and how many distinct payers (one intermediary
  // paying several unhappy buyers of this shop is the deal; a friend's unrelated transfer is one-off).
  let removedAny = 0;
  let low = 0;
  const payers = new Map<string, number>();
  for (const r of reviews) {
    if (r.rating <= F.low_rating_max) low++;
    const ps = ctx.removalPayers.get(r.id);
    if (!ps) continue;
    removedAny++;
    for (const p of new Set(ps)) payers.set(p, (payers.get(p) ?? 0) + 1);
  }
  let repeat = 0;
  for (const n of payers.values()) repeat = Math.max(repeat, n);
  v.put('removed_after_any_money_reviews', removedAny);
  v.put('removed_after_any_money_share', low ? removedAny / low : 0);
  v.put('removal_payer_max_reviews', repeat);
  // Unpaid orders landing here: the stock-locked shop (a victim, not an abuser) has many, from linked
  // accounts, on one listing at a time, paid for by someone else; a hot drop has many but unlinked and unpaid.
  const u = ctx.unpaid.merchant(id);
  v.put('unpaid_share', orders.length ? u.unpaid / orders.length : 0);
  v.put('unpaid_linked_buyer_share', u.unpaidBuyers ? u.linkedUnpaidBuyers / u.unpaidBuyers : Number.NaN);
  v.put('unpaid_peak_listing_log', log1p(u.peakListing));
  v.put('unpaid_peak_listing_share', u.unpaid ? u.peakListing / u.unpaid : Number.NaN);
  v.put('unpaid_paid_buyers_log', log1p(u.paidBuyers));
}

function orderFeatures(ctx: Context, o: OrderState, v: Row): void {
  const s = ctx.input.state;
  ctx.sig.families('order', o.id, v);
  let expected = 0;
  let known = true;
  for (const it of o.items) {
    const typical = ctx.typicalWeight(it.listing);
    if (typical === undefined) {
      known = false;
      break;
    }
    expected += typical * it.quantity;
  }
  v.put('weight_ratio', known && o.weight !== undefined && expected > 0 ? o.weight / expected : Number.NaN);
  v.put('weight_log', o.weight !== undefined ? log1p(o.weight) : Number.NaN);
  v.put('price_ratio', o.listedAmount > 0 ? (o.paidAmount ?? o.amount) / o.listedAmount : Number.NaN);
  v.put('amount_log', log1p(o.amount / 100));
  v.put('items', o.items.length);
  v.put('delivered', o.deliveredAt !== undefined ? 1 : 0);
  v.put('cancelled', o.cancelledAt !== undefined ? 1 : 0);
  v.put('refund_requested', o.refundRequestedAt !== undefined ? 1 : 0);
  v.put('refund_share', o.amount > 0 ? o.refundAmount / o.amount : 0);
  v.put(
    'refund_before_delivery',
    o.refundRequestedAt !== undefined && (o.deliveredAt === undefined || o.refundRequestedAt < o.deliveredAt)
      ? 1
      : 0,
  );
  const r = o.review;
  v.put('has_review', r ? 1 : 0);
  v.put('rating', r ? r.rating : Number.NaN);
  v.put(
    'review_minutes_log',
    r && o.deliveredAt !== undefined ? log1p(Math.max(0, r.at - o.deliveredAt) / 60_000) : Number.NaN,
  );
  const text = r ? ctx.text(r) : undefined;
  v.put('review_len', text ? text.len : Number.NaN);
  v.put('review_similar', text ? text.similar : Number.NaN);
  v.put('review_removed', r?.removedAt !== undefined ? 1 : 0);
  // Its low review paid for by someone who paid other low reviewers of this shop too (反向刷单's fee).
  v.put(
    'review_paid_with_others_log',
    r && r.rating <= F.low_rating_max ? log1p(ctx.paidReviews.review(r, 'low')) : 0,
  );
  // Paid back by another shop's side that paid other buyers of this shop too (a rival's ring, 反向刷单).
  v.put('foreign_paid_log', log1p(ctx.foreign.order(o)));
  const a = s.accounts.get(o.buyer);
  const st = ctx.sideTransfers(
    a,
    o.merchant,
    o.createdAt - F.order_transfers_before_days * DAY,
    o.createdAt + F.order_transfers_after_days * DAY,
  );
  const paid = o.paidAmount ?? o.amount;
  v.put('side_transfer_ratio', st.n ? st.amount / Math.max(1, paid) : 0);
  v.put('side_transfer_hops', st.hops);
  v.put('side_transfers', st.n);
  v.put('demands', ctx.demandsTo(o.buyer, o.merchant));
  v.put('offers', ctx.offersFrom(o.merchant, o.buyer));
  v.put('buyer_age_days_log', log1p(Math.max(0, ctx.ageDays(a, o.createdAt))));
  const here = a ? ctx.ordersAt(a, o.merchant) : 0;
  v.put('buyer_orders_here', here);
  v.put('buyer_share_here', a?.orders.length ? here / a.orders.length : 0);
  const ps = ctx.poolSizes;
  v.put('device_accounts_log', log1p(ps.size('device', o.device)));
  v.put('address_accounts_log', log1p(ps.size('address', o.address)));
  v.put('instrument_accounts_log', log1p(ps.size('instrument', o.instrument)));
  v.put('ip_accounts_log', log1p(ps.size('ip', o.ip)));
  v.put('low_burst_log', r && r.rating <= F.low_rating_max ? log1p(ctx.lowBurst(o.merchant, r.at)) : 0);
  // Neighbourhood: linked accounts buying or complaining at this shop together with this buyer.
  v.put('linked_buyers_here', ctx.hood.linkedBuyersHere(o));
  v.put('linked_complainers_here', ctx.hood.linkedComplainersHere(o));
  // 互刷: the buyer acts for another shop, one whose side buys back here, and buys around this shop's group.
  const mb = ctx.mutual;
  v.put('mutual_buyer_other_side', mb.otherSide(o) ? 1 : 0);
  v.put('mutual_buyer_reciprocal', mb.reciprocalSide(o) !== undefined ? 1 : 0);
  v.put('mutual_pair_orders_log', log1p(mb.pairOrders(o)));
  v.put('mutual_buyer_group_shops', mb.groupShopsOf(o.buyer, o.merchant));
  v.put('mutual_co_praisers_log', log1p(mb.coPraiseOfOrder(o)));
  const median = ctx.merchantMedian(o.merchant);
  v.put('amount_vs_shop_median', median > 0 ? o.amount / median : Number.NaN);
  const complaintAt = r && r.rating <= F.low_rating_max ? r.at : o.refundRequestedAt;
  v.put(
    'circle_paid_after_complaint',
    complaintAt === undefined
      ? 0
      : ctx.sideMoneyIntoCircle(o.buyer, o.merchant, complaintAt, complaintAt + F.money_window_days * DAY),
  );
  v.put('review_removed_after_money', r && ctx.removedAfterMoney(r) ? 1 : 0);
  v.put('refund_accuses', o.refundReason && ctx.pat.accusation?.test(o.refundReason) ? 1 : 0);
  // 自买自卖: the buyer shares a small pool with one of the shop's own accounts.
  let shopLinked = 0;
  for (const x of ctx.hood.linked(o.buyer)) {
    const acc = s.accounts.get(x);
    if (acc && (acc.operatorOf === o.merchant || acc.actsFor === o.merchant)) shopLinked = 1;
  }
  v.put('buyer_linked_to_shop', shopLinked);
  // 恶意占库存: never paid, how long it held the stock, how many pieces, and who else left this listing unpaid.
  const unpaid = leftUnpaid(o);
  const u = ctx.unpaid.order(o);
  v.put('unpaid', unpaid ? 1 : 0);
  v.put(
    'unpaid_hold_minutes_log',
    unpaid && o.cancelledAt !== undefined
      ? log1p(Math.max(0, o.cancelledAt - o.createdAt) / 60_000)
      : Number.NaN,
  );
  v.put('qty_vs_listing_usual', u.qtyRatio);
  v.put('listing_unpaid_window_log', log1p(u.listingUnpaid));
  v.put('listing_unpaid_window_share', u.listingShare);
  v.put('linked_unpaid_here', u.linkedUnpaid);
  v.put('unpaid_paid_with_others_log', log1p(u.paidWithOthers));
}

function reviewFeatures(ctx: Context, r: ReviewState, v: Row): void {
  const s = ctx.input.state;
  ctx.sig.families('review', r.id, v);
  v.put('rating', r.rating);
  const text = ctx.text(r);
  v.put('len', text.len);
  v.put('images', r.images);
  v.put('similar', text.similar);
  v.put('removed', r.removedAt !== undefined ? 1 : 0);
  v.put('removed_by_buyer', r.removedBy === 'buyer' ? 1 : 0);
  const payers = ctx.removalPayers.get(r.id);
  v.put('removed_after_any_money', payers ? 1 : 0);
  let paidOthers = 0;
  for (const p of payers ?? [])
    paidOthers = Math.max(paidOthers, ctx.paidRemovals.get(p)?.reviewers.size ?? 0);
  v.put('removal_payer_reviewers', paidOthers);
  v.put(
    'payer_good_reviewers_here_log',
    r.rating >= F.good_rating_min ? log1p(ctx.paidReviews.review(r, 'good')) : 0,
  );
  v.put(
    'payer_low_reviewers_here_log',
    r.rating <= F.low_rating_max ? log1p(ctx.paidReviews.review(r, 'low')) : 0,
  );
  const o = s.orders.get(r.order);
  v.put(
    'minutes_after_delivery_log',
    o?.deliveredAt !== undefined ? log1p(Math.max(0, r.at - o.deliveredAt) / 60_000) : Number.NaN,
  );
  v.put('before_delivery', o && (o.deliveredAt === undefined || r.at < o.deliveredAt) ? 1 : 0);
  const a = s.accounts.get(r.buyer);
  const after = ctx.sideTransfers(a, r.merchant, r.at, r.at + F.review_transfers_after_days * DAY);
  v.put('side_transfer_after_log', log1p(after.amount / 100));
  v.put('side_transfer_after_ratio', o && after.n ? after.amount / Math.max(1, o.paidAmount ?? o.amount) : 0);
  v.put('offers', ctx.offersFrom(r.merchant, r.buyer));
  v.put('low_burst_log', r.rating <= F.low_rating_max ? log1p(ctx.lowBurst(r.merchant, r.at)) : 0);
  v.put('reviewer_age_days_log', log1p(Math.max(0, ctx.ageDays(a, r.at))));
}

function listingFeatures(ctx: Context, id: string, v: Row): void {
  const l = ctx.input.state.listings.get(id);
  ctx.sig.families('listing', id, v);
  const claims = ctx.sig.signalsOf('listing', id).filter((x) => x.detector === 'rule:banned_claims');
  const last = claims[claims.length - 1];
  v.put('claim_terms', last?.facts?.terms ?? 0);
  v.put('claim_aggravated', last?.facts?.aggravated ?? 0);
  v.put('claim_updates', claims.length);
  v.put('title_len', l?.title.length ?? Number.NaN);
  v.put('description_len', l?.description?.length ?? 0);
  v.put('price_log', l ? log1p(l.price / 100) : Number.NaN);
  v.put('removed', l?.removedAt !== undefined ? 1 : 0);
  // Became another product after gathering reviews (偷换链接): how far the title moved, and what it had then.
  v.put('updates_log', log1p(l?.updates ?? 0));
  v.put('reviews_log', log1p(l?.reviews ?? 0));
  v.put('title_similarity_to_first', l ? l.drift.similarity : Number.NaN);
  v.put('reviews_before_change_log', l ? log1p(l.drift.reviews) : Number.NaN);
  v.put('price_ratio_at_change', l ? l.drift.priceRatio : Number.NaN);
  v.put('category_changed', l?.drift.categoryChanged ? 1 : 0);
}

/** Counts one more under `a` → `b` (nested maps: no key string built per lookup). */
function bump2(m: Map<string, Map<string, number>>, a: string, b: string) {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  inner.set(b, (inner.get(b) ?? 0) + 1);
}

/** Builds the feature table of one kind for every subject of that kind the state knows. */
export function buildFeatures(kind: SubjectKind, input: FeatureInput, ctx = new Context(input)): FeatureSet {
  const s = input.state;
  if (kind === 'order') return orderTable(ctx);
  if (kind === 'review') return reviewTable(ctx);
  if (kind === 'listing') {
    const own = new RowWriter<string>((id, v) => listingFeatures(ctx, id, v));
    const ids = [...s.listings.keys()];
    const set = table(kind, ids, own.namesFrom(ids[0]), (id, out, at) => own.write(id, out, at));
    set.links = { merchant: ids.map((id) => s.listings.get(id)!.merchant) };
    return set;
  }
  if (kind === 'merchant') return ctx.merchants.table();
  orderTable(ctx); // which builds the account table with it
  return ctx.accounts.table();
}

function table(
  kind: SubjectKind,
  ids: string[],
  names: string[],
  write: (id: string, out: Float32Array, at: number) => void,
): FeatureSet {
  const w = names.length;
  const rows = new Float32Array(ids.length * w);
  for (let i = 0; i < ids.length; i++) write(ids[i], rows, i * w);
  return { kind, names, ids, rows };
}

/**
 * Orders carry their buyer's (b.*) and merchant's (m.*) rows beside their own. The account table is built
 * here too: each buyer's orders are written right after the buyer's row, while the buyer, its orders and
 * the identifier sizes it looked up are still in cache (random reads are what this build spends most on).
 */
function orderTable(ctx: Context): FeatureSet {
  if (ctx.orderTable) return ctx.orderTable;
  const s = ctx.input.state;
  const orders = [...s.orders.values()];
  const names = ctx.orderNames();
  const own = ctx.ordersOwn.names?.length ?? 0;
  const acc = ctx.accounts.writer.names?.length ?? 0;
  const w = names.length;
  const rows = new Float32Array(orders.length * w);
  const bits = new Uint32Array(rows.buffer);
  const ids: string[] = new Array(orders.length);
  const rowOf = ctx.orderRow;
  for (let i = 0; i < orders.length; i++) {
    ids[i] = orders[i].id;
    rowOf.set(orders[i], i);
  }
  const done = new Uint8Array(orders.length);
  ctx.accounts.table((id, buyer, from) => {
    for (const o of s.accounts.get(id)?.orders ?? []) {
      const i = rowOf.get(o);
      if (i === undefined || done[i] || o.buyer !== id) continue;
      done[i] = 1;
      ctx.ordersOwn.write(o, rows, i * w);
      for (let k = 0; k < acc; k++) bits[i * w + own + k] = buyer[from + k];
      ctx.merchants.copyInto(o.merchant, bits, i * w + own + acc);
    }
  });
  // Orders whose buyer is not in the account table (a shop's own accounts buying).
  for (let i = 0; i < orders.length; i++) {
    if (done[i]) continue;
    const o = orders[i];
    ctx.ordersOwn.write(o, rows, i * w);
    ctx.accounts.copyInto(o.buyer, bits, i * w + own);
    ctx.merchants.copyInto(o.merchant, bits, i * w + own + acc);
  }
  ctx.orderTable = {
    kind: 'order',
    names,
    ids,
    rows,
    links: { merchant: orders.map((o) => o.merchant), account: orders.map((o) => o.buyer) },
  };
  return ctx.orderTable;
}

/** A review's own features, then its order's whole row (o.*): the review of a fake order is fake. */
function reviewTable(ctx: Context): FeatureSet {
  const orders = orderTable(ctx);
  const reviews = [...ctx.input.state.reviews.values()];
  const own = new RowWriter<ReviewState>((r, v) => reviewFeatures(ctx, r, v));
  const ownNames = own.namesFrom(reviews[0]);
  const ow = orders.names.length;
  const names = [...ownNames, ...orders.names.map((n) => `o.${n}`)];
  const w = names.length;
  const rows = new Float32Array(reviews.length * w).fill(Number.NaN);
  const bits = new Uint32Array(rows.buffer);
  const orderBits = new Uint32Array(orders.rows.buffer, orders.rows.byteOffset, orders.rows.length);
  const ids: string[] = new Array(reviews.length);
  for (let i = 0; i < reviews.length; i++) {
    const r = reviews[i];
    ids[i] = r.id;
    own.write(r, rows, i * w);
    const o = ctx.input.state.orders.get(r.order);
    const j = o && ctx.orderRow.get(o);
    if (j === undefined) continue;
    const to = i * w + ownNames.length;
    for (let k = 0; k < ow; k++) bits[to + k] = orderBits[j * ow + k];
  }
  return {
    kind: 'review',
    names,
    ids,
    rows,
    links: {
      merchant: reviews.map((r) => r.merchant),
      account: reviews.map((r) => r.buyer),
      order: reviews.map((r) => r.order),
      paidBy: reviews.map((r) => payersAfter(ctx, r)),
    },
  };
}

/** Accounts that sent the reviewer money within the review window after the review. */
function payersAfter(ctx: Context, r: ReviewState): string[] {
  const end = r.at + F.review_transfers_after_days * DAY;
  const out: string[] = [];
  for (const t of ctx.input.state.accounts.get(r.buyer)?.transfersIn ?? [])
    if (t.at >= r.at && t.at <= end && !out.includes(t.from)) out.push(t.from);
  return out;
}

/** One context for all kinds, so shared work (text similarity, account aggregates) is done once. */
export function buildAllFeatures(input: FeatureInput): Record<SubjectKind, FeatureSet> {
  const ctx = new Context(input);
  return {
    account: buildFeatures('account', input, ctx),
    merchant: buildFeatures('merchant', input, ctx),
    listing: buildFeatures('listing', input, ctx),
    order: buildFeatures('order', input, ctx),
    review: buildFeatures('review', input, ctx),
  };
}

export function signalsOf(input: FeatureInput): SignalIndex {
  return new SignalIndex(input.signals, input.rules);
}
