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

/** Adds `v` to a short list; false when it was already there (so indexes need no update). */
function addBounded(list: string[], v: string | undefined): boolean {
  if (v === undefined || list.includes(v)) return false;
  if (list.length < MAX_IDS_PER_ACCOUNT) list.push(v);
  return true;
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

/** Which accounts an identifier has been seen with, and at which merchants it has ordered. */
export class IdentifierIndex {
  constructor(
    readonly accounts = new Map<string, Set<string>>(),
    readonly merchants = new Map<string, Map<string, number>>(),
  ) {}

  see(value: string | undefined, account: string) {
    if (!value) return;
    let s = this.accounts.get(value);
    if (!s) this.accounts.set(value, (s = new Set()));
    s.add(account);
  }

  order(value: string | undefined, merchant: string) {
    if (!value) return;
    let m = this.merchants.get(value);
    if (!m) this.merchants.set(value, (m = new Map()));
    m.set(merchant, (m.get(merchant) ?? 0) + 1);
  }

  size(value: string | undefined): number {
    return value ? (this.accounts.get(value)?.size ?? 0) : 0;
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
    { accounts: Map<string, Set<string>>; merchants: Map<string, Map<string, number>> }
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
        if (addBounded(a.devices, d.device_id)) this.ids.device.see(d.device_id, a.id);
        if (addBounded(a.ips, d.ip)) this.ids.ip.see(d.ip, a.id);
        this.ids.phone.see(d.phone_hash, a.id);
        break;
      }
      case 'account.login': {
        const d = e.data;
        const a = this.account(d.account_id, at);
        a.logins++;
        if (addBounded(a.devices, d.device_id)) this.ids.device.see(d.device_id, a.id);
        if (addBounded(a.ips, d.ip)) this.ids.ip.see(d.ip, a.id);
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
        const o: OrderState = {
          id: d.order_id,
          eventId: e.id,
          buyer: d.buyer_id,
          merchant: d.merchant_id,
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
        const a = this.account(d.buyer_id, at);
        a.orders.push(o);
        if (addBounded(a.devices, d.device_id)) this.ids.device.see(d.device_id, a.id);
        if (addBounded(a.ips, d.ip)) this.ids.ip.see(d.ip, a.id);
        this.merchant(d.merchant_id).orders.push(o);
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
          o.refundEventIds.push(e.id);
        }
        break;
      }
      case 'refund.completed': {
        const o = this.orders.get(e.data.order_id);
        if (o) {
          o.refundCompleted += e.data.amount;
          o.refundEventIds.push(e.id);
        }
        break;
      }
      case 'review.posted': {
        const d = e.data;
        if (this.reviews.has(d.review_id)) break;
        const r: ReviewState = {
          id: d.review_id,
          eventId: e.id,
          order: d.order_id,
          buyer: d.buyer_id,
          merchant: d.merchant_id,
          listing: d.listing_id,
          rating: d.rating,
          text: d.text ?? '',
          at,
          device: d.device_id,
          ip: d.ip,
          images: d.image_count ?? 0,
        };
        this.reviews.set(r.id, r);
        const o = this.orders.get(d.order_id);
        if (o) o.review = r;
        this.account(d.buyer_id, at).reviews.push(r);
        this.merchant(d.merchant_id).reviews.push(r);
        const listing = this.listings.get(d.listing_id);
        if (listing) listing.reviews++;
        this.ids.device.see(d.device_id, d.buyer_id);
        this.ids.ip.see(d.ip, d.buyer_id);
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
        const t: Transfer = {
          id: d.transfer_id,
          eventId: e.id,
          from: d.from_id,
          to: d.to_id,
          amount: d.amount,
          at,
          memo: d.memo,
        };
        this.account(d.from_id, at).transfersOut.push(t);
        this.account(d.to_id, at).transfersIn.push(t);
        break;
      }
      case 'message.sent': {
        const d = e.data;
        this.account(d.from_id, at).messagesOut.push({
          eventId: e.id,
          from: d.from_id,
          to: d.to_id,
          text: d.text,
          at,
          order: d.order_id,
        });
        this.account(d.to_id, at).messagesIn++;
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
