// What the detectors remember about the marketplace, fed one event at a time in event-time order.
// Everything here is O(1) per event (amortised), so the stream keeps up with intake. Times are epoch ms.
import type { MarketEvent } from '../../events/index.ts';
import { minhash, normalizeText, similarity } from '../text/similarity.ts';

export interface Transfer {
  id: string;
  eventId: string;
  from: string;
  to: string;
  amount: number;
  at: number;
  memo?: string;
}

export interface Message {
  eventId: string;
  from: string;
  to: string;
  text: string;
  at: number;
  order?: string;
}

export interface ReviewState {
  id: string;
  eventId: string;
  order: string;
  buyer: string;
  merchant: string;
  listing: string;
  rating: number;
  text: string;
  at: number;
  device?: string;
  ip?: string;
  images: number;
  removedAt?: number;
  removedBy?: string;
}

export interface OrderState {
  id: string;
  eventId: string;
  buyer: string;
  merchant: string;
  items: Array<{ listing: string; quantity: number; unitPrice: number }>;
  amount: number;
  /** Sum of quantity × the listing's price when the order was made. */
  listedAmount: number;
  createdAt: number;
  device?: string;
  ip?: string;
  address?: string;
  paidAt?: number;
  paidAmount?: number;
  instrument?: string;
  paidEventId?: string;
  shippedAt?: number;
  weight?: number;
  shippedEventId?: string;
  deliveredAt?: number;
  deliveredEventId?: string;
  cancelledAt?: number;
  refundRequestedAt?: number;
  refundReason?: string;
  refundAmount: number;
  refundCompleted: number;
  refundEventIds: string[];
  review?: ReviewState;
}

export interface AccountState {
  id: string;
  registeredAt?: number;
  firstSeenAt: number;
  phone?: string;
  devices: string[];
  ips: string[];
  logins: number;
  orders: OrderState[];
  reviews: ReviewState[];
  transfersIn: Transfer[];
  transfersOut: Transfer[];
  messagesOut: Message[];
  messagesIn: number;
  /** Set when the account is a merchant's own operator account (declared at registration). */
  operatorOf?: string;
  /** Set when the account speaks for a merchant in chat about that merchant's orders (not declared). */
  actsFor?: string;
}

export interface ListingState {
  id: string;
  merchant: string;
  title: string;
  description?: string;
  brand?: string;
  category?: string;
  price: number;
  publishedAt: number;
  eventId: string;
  removedAt?: number;
  /** Shipped grams per unit seen on single-listing orders, kept sorted, for what this item plausibly weighs. */
  unitWeights: number[];
  /** Reviews the listing has gathered. */
  reviews: number;
  /** How it was first published, to see whether it later became another product (偷换链接). */
  first: { title: string; price: number; category?: string; sketch: Uint32Array };
  updates: number;
  /** The largest change since: the lowest title similarity to the first title, and what it had then. */
  drift: { similarity: number; reviews: number; priceRatio: number; categoryChanged: boolean };
}

export interface MerchantState {
  id: string;
  registeredAt?: number;
  category?: string;
  operators: Set<string>;
  listings: Set<string>;
  orders: OrderState[];
  reviews: ReviewState[];
}

const MAX_IDS_PER_ACCOUNT = 32;

/**
 * `list` with `v` at its end, without the spare room a push leaves: V8 gives a list 16 free slots at its
 * first push, and most accounts' lists stay at one to three entries, so a short list is copied instead.
 */
function appended<T>(list: T[], v: T): T[] {
  if (list.length >= 8) {
    list.push(v);
    return list;
  }
  return list.concat([v]);
}

/** A short list with `v` added (kept to its bound); undefined when `v` was already there (no index update). */
function addBounded(list: string[], v: string | undefined): string[] | undefined {
  if (v === undefined || list.includes(v)) return undefined;
  return list.length < MAX_IDS_PER_ACCOUNT ? appended(list, v) : list;
}

function insertSorted(xs: number[], v: number) {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  xs.splice(lo, 0, v);
}

/** The q-quantile of a sorted list. */
export function sortedQuantile(xs: readonly number[], q: number): number {
  return xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
}

/** The first index of a sorted list whose value is ≥ v (its length when none is). */
export function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type IdentifierKind = 'device' | 'ip' | 'address' | 'instrument' | 'phone';

/**
 * Which accounts an identifier has been seen with, and at which merchants it has ordered. Almost every
 * device, address or instrument belongs to one account and has ordered once or at one shop, so such an
 * entry is kept as that one account's or merchant's id and a Set or Map made only when a second comes: one
 * per identifier was the largest part of the market state (about 300 bytes each, 600,000 identifiers in a
 * month of a 100,000-buyer market).
 */
export class IdentifierIndex {
  constructor(
    /** identifier → its one account, or the Set of its accounts. */
    readonly accounts = new Map<string, string | Set<string>>(),
    /** identifier → the one merchant it ordered from once, or orders per merchant. */
    readonly merchants = new Map<string, string | Map<string, number>>(),
  ) {}

  see(value: string | undefined, account: string) {
    if (!value) return;
    const s = this.accounts.get(value);
    if (s === undefined) this.accounts.set(value, account);
    else if (typeof s === 'string') {
      if (s !== account) this.accounts.set(value, new Set([s, account]));
    } else s.add(account);
  }

  order(value: string | undefined, merchant: string) {
    if (!value) return;
    const m = this.merchants.get(value);
    if (m === undefined) this.merchants.set(value, merchant);
    else {
      // From the second order on, orders are counted per merchant (the one kept as its id had one).
      const counts = typeof m === 'string' ? new Map([[m, 1]]) : m;
      counts.set(merchant, (counts.get(merchant) ?? 0) + 1);
      if (counts !== m) this.merchants.set(value, counts);
    }
  }

  /** How many accounts the identifier has been seen with. */
  size(value: string | undefined): number {
    const s = value ? this.accounts.get(value) : undefined;
    return s === undefined ? 0 : typeof s === 'string' ? 1 : s.size;
  }

  /** The accounts the identifier has been seen with. */
  accountsOf(value: string | undefined): readonly string[] {
    const s = value ? this.accounts.get(value) : undefined;
    return s === undefined ? [] : typeof s === 'string' ? [s] : [...s];
  }

  /** Every identifier seen with two accounts or more, and those accounts. */
  *shared(): Generator<[value: string, accounts: ReadonlySet<string>]> {
    for (const [value, s] of this.accounts) if (typeof s !== 'string') yield [value, s];
  }

  /** How many merchants the identifier has ordered from. */
  merchantCount(value: string | undefined): number {
    const m = value ? this.merchants.get(value) : undefined;
    return m === undefined ? 0 : typeof m === 'string' ? 1 : m.size;
  }

  /** Orders placed with the identifier: at `merchant`, and at all merchants. */
  ordersAt(value: string | undefined, merchant: string): { here: number; total: number } {
    const m = value ? this.merchants.get(value) : undefined;
    if (m === undefined) return { here: 0, total: 0 };
    if (typeof m === 'string') return { here: m === merchant ? 1 : 0, total: 1 };
    let total = 0;
    for (const c of m.values()) total += c;
    return { here: m.get(merchant) ?? 0, total };
  }
}

const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['device', 'ip', 'address', 'instrument', 'phone'];

/** The state as plain data (maps, sets, arrays, objects; shared objects stay shared), for snapshots. */
export interface MarketMemory {
  accounts: Map<string, AccountState>;
  merchants: Map<string, MerchantState>;
  listings: Map<string, ListingState>;
  orders: Map<string, OrderState>;
  reviews: Map<string, ReviewState>;
  ids: Record<
    IdentifierKind,
    { accounts: IdentifierIndex['accounts']; merchants: IdentifierIndex['merchants'] }
  >;
  now: number;
  events: number;
}

export class MarketState {
  readonly accounts: Map<string, AccountState>;
  readonly merchants: Map<string, MerchantState>;
  readonly listings: Map<string, ListingState>;
  readonly orders: Map<string, OrderState>;
  readonly reviews: Map<string, ReviewState>;
  readonly ids: Record<IdentifierKind, IdentifierIndex>;
  /** Time of the latest event applied. */
  now: number;
  events: number;

  /** A fresh state, or one restored from `memory()` of another. */
  constructor(m?: MarketMemory) {
    this.accounts = m?.accounts ?? new Map();
    this.merchants = m?.merchants ?? new Map();
    this.listings = m?.listings ?? new Map();
    this.orders = m?.orders ?? new Map();
    this.reviews = m?.reviews ?? new Map();
    const ids = {} as Record<IdentifierKind, IdentifierIndex>;
    for (const k of IDENTIFIER_KINDS) ids[k] = new IdentifierIndex(m?.ids[k].accounts, m?.ids[k].merchants);
    this.ids = ids;
    this.now = m?.now ?? 0;
    this.events = m?.events ?? 0;
  }

  memory(): MarketMemory {
    const ids = {} as MarketMemory['ids'];
    for (const k of IDENTIFIER_KINDS)
      ids[k] = { accounts: this.ids[k].accounts, merchants: this.ids[k].merchants };
    const { accounts, merchants, listings, orders, reviews, now, events } = this;
    return { accounts, merchants, listings, orders, reviews, ids, now, events };
  }

  account(id: string, at: number): AccountState {
    let a = this.accounts.get(id);
    if (!a) {
      a = {
        id,
        firstSeenAt: at,
        devices: [],
        ips: [],
        logins: 0,
        orders: [],
        reviews: [],
        transfersIn: [],
        transfersOut: [],
        messagesOut: [],
        messagesIn: 0,
      };
      this.accounts.set(id, a);
    }
    return a;
  }

  /** An account's device and IP, remembered on it (a few) and in the identifier indexes. */
  private seenOn(a: AccountState, device: string | undefined, ip: string | undefined) {
    const devices = addBounded(a.devices, device);
    if (devices) {
      a.devices = devices;
      this.ids.device.see(device, a.id);
    }
    const ips = addBounded(a.ips, ip);
    if (ips) {
      a.ips = ips;
      this.ids.ip.see(ip, a.id);
    }
  }

  merchant(id: string): MerchantState {
    let m = this.merchants.get(id);
    if (!m) {
      m = { id, operators: new Set(), listings: new Set(), orders: [], reviews: [] };
      this.merchants.set(id, m);
    }
    return m;
  }

  /**
   * Records that an account acts for a merchant although the platform never declared it (found from chat
   * about the merchant's orders, or from paying its buyers back again and again).
   */
  inferAgent(accountId: string, merchant: string): boolean {
    const a = this.accounts.get(accountId);
    if (!a || a.operatorOf !== undefined || a.actsFor !== undefined) return false;
    a.actsFor = merchant;
    this.merchant(merchant).operators.add(accountId);
    return true;
  }

  /** The merchant an account operates, if any. */
  operatorOf(accountId: string): string | undefined {
    const a = this.accounts.get(accountId);
    if (a) return a.operatorOf ?? a.actsFor;
    // Some platforms move money from the merchant's own id rather than from an operator account.
    return this.merchants.has(accountId) ? accountId : undefined;
  }

  apply(e: MarketEvent, at: number): void {
    this.now = Math.max(this.now, at);
    this.events++;
    switch (e.type) {
      case 'account.registered': {
        const d = e.data;
        const a = this.account(d.account_id, at);
        a.registeredAt = at;
        a.phone = d.phone_hash;
        this.seenOn(a, d.device_id, d.ip);
        this.ids.phone.see(d.phone_hash, a.id);
        break;
      }
      case 'account.login': {
        const d = e.data;
        const a = this.account(d.account_id, at);
        a.logins++;
        this.seenOn(a, d.device_id, d.ip);
        break;
      }
      case 'merchant.registered': {
        const d = e.data;
        const m = this.merchant(d.merchant_id);
        m.registeredAt = at;
        m.category = d.category;
        for (const op of d.account_ids ?? []) {
          m.operators.add(op);
          this.account(op, at).operatorOf = m.id;
        }
        break;
      }
      case 'listing.published':
      case 'listing.updated': {
        const d = e.data;
        const prev = this.listings.get(d.listing_id);
        const first = prev?.first ?? {
          title: d.title,
          price: d.price,
          category: d.category,
          sketch: minhash(normalizeText(d.title)),
        };
        let drift = prev?.drift ?? { similarity: 1, reviews: 0, priceRatio: 1, categoryChanged: false };
        if (prev && d.title !== prev.title) {
          const sim = similarity(first.sketch, minhash(normalizeText(d.title)));
          if (sim < drift.similarity)
            drift = {
              similarity: sim,
              reviews: prev.reviews,
              priceRatio: first.price > 0 ? d.price / first.price : 1,
              categoryChanged:
                d.category !== undefined && first.category !== undefined && d.category !== first.category,
            };
        }
        this.listings.set(d.listing_id, {
          id: d.listing_id,
          merchant: d.merchant_id,
          title: d.title,
          description: d.description,
          brand: d.brand,
          category: d.category,
          price: d.price,
          publishedAt: prev?.publishedAt ?? at,
          eventId: e.id,
          unitWeights: prev?.unitWeights ?? [],
          reviews: prev?.reviews ?? 0,
          first,
          updates: (prev?.updates ?? -1) + 1,
          drift,
        });
        this.merchant(d.merchant_id).listings.add(d.listing_id);
        break;
      }
      case 'listing.removed': {
        const l = this.listings.get(e.data.listing_id);
        if (l) l.removedAt = at;
        break;
      }
      case 'order.created': {
        const d = e.data;
        // An order id seen before (resent under a new event id) keeps its first creation.
        if (this.orders.has(d.order_id)) break;
        let listed = 0;
        const items = d.items.map((i) => {
          listed += i.quantity * (this.listings.get(i.listing_id)?.price ?? i.unit_price);
          return { listing: i.listing_id, quantity: i.quantity, unitPrice: i.unit_price };
        });
        // Ids that name an account or merchant are their map's own strings, not one more copy per order.
        const a = this.account(d.buyer_id, at);
        const m = this.merchant(d.merchant_id);
        const o: OrderState = {
          id: d.order_id,
          eventId: e.id,
          buyer: a.id,
          merchant: m.id,
          items,
          amount: d.amount,
          listedAmount: listed,
          createdAt: at,
          device: d.device_id,
          ip: d.ip,
          address: d.address_hash,
          refundAmount: 0,
          refundCompleted: 0,
          refundEventIds: [],
        };
        this.orders.set(o.id, o);
        a.orders = appended(a.orders, o);
        this.seenOn(a, d.device_id, d.ip);
        m.orders.push(o);
        this.ids.address.see(d.address_hash, a.id);
        this.ids.device.order(d.device_id, o.merchant);
        this.ids.ip.order(d.ip, o.merchant);
        this.ids.address.order(d.address_hash, o.merchant);
        break;
      }
      case 'order.paid': {
        const o = this.orders.get(e.data.order_id);
        if (!o) break;
        o.paidAt = at;
        o.paidAmount = e.data.amount;
        o.instrument = e.data.instrument_hash;
        o.paidEventId = e.id;
        this.ids.instrument.see(o.instrument, o.buyer);
        this.ids.instrument.order(o.instrument, o.merchant);
        break;
      }
      case 'order.shipped': {
        const o = this.orders.get(e.data.order_id);
        if (!o) break;
        o.shippedAt = at;
        o.weight = e.data.weight_grams;
        o.shippedEventId = e.id;
        if (o.weight !== undefined && o.items.length === 1) {
          const l = this.listings.get(o.items[0].listing);
          if (l && l.unitWeights.length < 256) insertSorted(l.unitWeights, o.weight / o.items[0].quantity);
        }
        break;
      }
      case 'order.delivered': {
        const o = this.orders.get(e.data.order_id);
        if (o) {
          o.deliveredAt = at;
          o.deliveredEventId = e.id;
        }
        break;
      }
      case 'order.cancelled': {
        const o = this.orders.get(e.data.order_id);
        if (o) o.cancelledAt = at;
        break;
      }
      case 'refund.requested': {
        const o = this.orders.get(e.data.order_id);
        if (o) {
          o.refundRequestedAt ??= at;
          o.refundReason ??= e.data.reason;
          o.refundAmount += e.data.amount;
          o.refundEventIds = appended(o.refundEventIds, e.id);
        }
        break;
      }
      case 'refund.completed': {
        const o = this.orders.get(e.data.order_id);
        if (o) {
          o.refundCompleted += e.data.amount;
          o.refundEventIds = appended(o.refundEventIds, e.id);
        }
        break;
      }
      case 'review.posted': {
        const d = e.data;
        if (this.reviews.has(d.review_id)) break;
        const buyer = this.account(d.buyer_id, at);
        const m = this.merchant(d.merchant_id);
        const o = this.orders.get(d.order_id);
        const r: ReviewState = {
          id: d.review_id,
          eventId: e.id,
          order: o?.id ?? d.order_id,
          buyer: buyer.id,
          merchant: m.id,
          listing: d.listing_id,
          rating: d.rating,
          text: d.text ?? '',
          at,
          device: d.device_id,
          ip: d.ip,
          images: d.image_count ?? 0,
        };
        this.reviews.set(r.id, r);
        if (o) o.review = r;
        buyer.reviews = appended(buyer.reviews, r);
        m.reviews.push(r);
        const listing = this.listings.get(d.listing_id);
        if (listing) listing.reviews++;
        this.ids.device.see(d.device_id, buyer.id);
        this.ids.ip.see(d.ip, buyer.id);
        break;
      }
      case 'review.removed': {
        const r = this.reviews.get(e.data.review_id);
        if (r) {
          r.removedAt = at;
          r.removedBy = e.data.by;
        }
        break;
      }
      case 'transfer.made': {
        const d = e.data;
        const from = this.account(d.from_id, at);
        const to = this.account(d.to_id, at);
        const t: Transfer = {
          id: d.transfer_id,
          eventId: e.id,
          from: from.id,
          to: to.id,
          amount: d.amount,
          at,
          memo: d.memo,
        };
        from.transfersOut = appended(from.transfersOut, t);
        to.transfersIn = appended(to.transfersIn, t);
        break;
      }
      case 'message.sent': {
        const d = e.data;
        const from = this.account(d.from_id, at);
        const to = this.account(d.to_id, at);
        from.messagesOut = appended(from.messagesOut, {
          eventId: e.id,
          from: from.id,
          to: to.id,
          text: d.text,
          at,
          order: d.order_id,
        });
        to.messagesIn++;
        // Chat about an order is between its buyer and the shop: the other party acts for the merchant,
        // which finds operator accounts a platform did not declare.
        const o = d.order_id ? this.orders.get(d.order_id) : undefined;
        if (o) {
          const shopSide = d.from_id === o.buyer ? d.to_id : d.to_id === o.buyer ? d.from_id : undefined;
          const acc = shopSide ? this.accounts.get(shopSide) : undefined;
          if (
            acc &&
            acc.operatorOf === undefined &&
            acc.actsFor === undefined &&
            acc.orders.every((x) => x.merchant !== o.merchant)
          ) {
            acc.actsFor = o.merchant;
          }
        }
        break;
      }
    }
  }
}
