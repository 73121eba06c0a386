// 恶意拍下不付款 / 恶意占库存: a competitor hires accounts to order a rival's best sellers and never pay, so the
// stock is held until the payment timeout and honest buyers find it sold out. What the crew cannot hide: many
// accounts, some linked by devices or networks, leaving orders unpaid at one shop's few listings within days,
// far more often there than anywhere else, and (at least sometimes) money to them from another shop's side.
// Honest buyers leave orders unpaid too (comparing shops, failed payments, a limited-stock drop), but spread over
// shops and unlinked, and nobody pays them for it. The shop they land on is the victim, not the abuser.
import { orderedNear } from './foreign-paybacks.ts';
import { addNested } from './paid-reviews.ts';
import { lowerBound, type MarketState, type OrderState, sortedQuantile } from './stream/state.ts';

export interface UnpaidOrderOptions {
  /** Unpaid orders this close in time (either side) are together. */
  windowMs: number;
  /** Money counts from this long before an unpaid order… */
  beforeMs: number;
  /** …to this long after it. */
  afterMs: number;
  /** Accounts sharing a small pool of identifiers with this one. */
  linked: (account: string) => ReadonlySet<string>;
  /** Whether the account is the merchant's own side. */
  isSideOf: (account: string, merchant: string) => boolean;
  /** The merchants whose side the account is on. */
  sidesOf: (account: string) => readonly string[];
}

/** An order cancelled without ever being paid (by the buyer or by the payment timeout). */
export function leftUnpaid(o: OrderState): boolean {
  return o.paidAt === undefined && o.cancelledAt !== undefined;
}

export interface UnpaidOrderFacts {
  /** The order's largest quantity over its listing's usual quantity (median of paid orders). */
  qtyRatio: number;
  /** Other unpaid orders on its listings within the window (the busiest listing). */
  listingUnpaid: number;
  /** Unpaid share of all orders on that listing within the window. */
  listingShare: number;
  /** Linked accounts that left an unpaid order at the same shop within the window. */
  linkedUnpaid: number;
  /** The most unpaid buyers of this shop one of this order's payers paid (0: none; unpaid orders only). */
  paidWithOthers: number;
}

export interface UnpaidAccountFacts {
  unpaid: number;
  orders: number;
  /** The shop with most of its unpaid orders: unpaid and all orders there. */
  unpaidAtTop: number;
  ordersAtTop: number;
  /** Unpaid and all orders at the other shops. */
  unpaidElsewhere: number;
  ordersElsewhere: number;
  /** The most linked accounts leaving unpaid orders with it at one shop within the window. */
  linkedMates: number;
  /** Its unpaid orders whose payer paid another unpaid buyer of that shop too. */
  paidWithOthers: number;
}

export interface UnpaidMerchantFacts {
  unpaid: number;
  unpaidBuyers: number;
  /** Buyers of its unpaid orders with a linked account leaving unpaid orders here within the window. */
  linkedUnpaidBuyers: number;
  /** The most unpaid orders on one of its listings within one window. */
  peakListing: number;
  /** Its unpaid buyers paid by an account that paid two or more of them. */
  paidBuyers: number;
}

export class UnpaidOrders {
  /** listing → creation times of all its orders, and of those left unpaid (sorted) */
  private readonly listingAll = new Map<string, number[]>();
  private readonly listingUnpaid = new Map<string, number[]>();
  /** listing → quantities of its paid orders (sorted) */
  private readonly listingQty = new Map<string, number[]>();
  /** account → merchant → creation times of its unpaid orders there (sorted) */
  private readonly unpaidAt = new Map<string, Map<string, number[]>>();
  /** payer → shop (not its side) → unpaid buyers there it paid around those orders */
  private readonly byPayer = new Map<string, Map<string, Set<string>>>();
  /** merchant whose side paid → shop → unpaid buyers there */
  private readonly bySide = new Map<string, Map<string, Set<string>>>();
  /** shop → payer → its unpaid buyers paid */
  private readonly byShop = new Map<string, Map<string, Set<string>>>();
  /** unpaid order → who paid its buyer around it */
  private readonly payersOf = new Map<string, string[]>();
  private readonly linkedCache = new Map<OrderState, number>();

  constructor(
    private readonly state: MarketState,
    private readonly o: UnpaidOrderOptions,
  ) {
    for (const ord of state.orders.values()) {
      const unpaid = leftUnpaid(ord);
      for (const it of ord.items) {
        push(this.listingAll, it.listing, ord.createdAt);
        // What buyers who pay take: the crew's own bulk orders do not make bulk usual.
        if (ord.paidAt !== undefined) push(this.listingQty, it.listing, it.quantity);
        if (unpaid) push(this.listingUnpaid, it.listing, ord.createdAt);
      }
      if (!unpaid) continue;
      let m = this.unpaidAt.get(ord.buyer);
      if (!m) this.unpaidAt.set(ord.buyer, (m = new Map()));
      push(m, ord.merchant, ord.createdAt);
    }
    for (const m of [this.listingAll, this.listingUnpaid, this.listingQty])
      for (const xs of m.values()) xs.sort((a, b) => a - b);
    for (const shops of this.unpaidAt.values()) for (const xs of shops.values()) xs.sort((a, b) => a - b);
    // Money around the unpaid orders, from anyone but the shop's own side (a shop does not pay to be locked
    // out of its own stock) and unless the payer's shop owes the buyer for an order of its own near it.
    for (const id of this.unpaidAt.keys()) {
      const a = state.accounts.get(id);
      if (!a || a.transfersIn.length === 0) continue;
      for (const ord of a.orders) {
        if (!leftUnpaid(ord)) continue;
        const from = ord.createdAt - o.beforeMs;
        const to = ord.createdAt + o.afterMs;
        for (const t of a.transfersIn) {
          if (t.at < from || t.at > to || t.from === a.id || o.isSideOf(t.from, ord.merchant)) continue;
          const sides = o.sidesOf(t.from);
          if (sides.some((m) => orderedNear(a.orders, m, t.at, o.afterMs, o.beforeMs))) continue;
          addNested(this.byPayer, t.from, ord.merchant, a.id);
          addNested(this.byShop, ord.merchant, t.from, a.id);
          for (const m of sides) if (m !== ord.merchant) addNested(this.bySide, m, ord.merchant, a.id);
          const l = this.payersOf.get(ord.id);
          if (!l) this.payersOf.set(ord.id, [t.from]);
          else if (!l.includes(t.from)) l.push(t.from);
        }
      }
    }
  }

  /** A listing's usual quantity per paid order (the median), NaN without paid orders. */
  usualQuantity(listing: string): number {
    const q = this.listingQty.get(listing);
    return q?.length ? sortedQuantile(q, 0.5) : Number.NaN;
  }

  order(ord: OrderState): UnpaidOrderFacts {
    const w = this.o.windowMs;
    const unpaid = leftUnpaid(ord);
    let qtyRatio = Number.NaN;
    let listingUnpaid = 0;
    let listingShare = 0;
    for (const it of ord.items) {
      const usual = this.usualQuantity(it.listing);
      if (usual > 0) qtyRatio = Math.max(Number.isNaN(qtyRatio) ? 0 : qtyRatio, it.quantity / usual);
      const n = inWindow(this.listingUnpaid.get(it.listing), ord.createdAt, w) - (unpaid ? 1 : 0);
      if (n >= listingUnpaid) {
        listingUnpaid = n;
        const all = inWindow(this.listingAll.get(it.listing), ord.createdAt, w);
        listingShare = all ? (n + (unpaid ? 1 : 0)) / all : 0;
      }
    }
    let paidWithOthers = 0;
    const at = this.byShop.get(ord.merchant);
    for (const p of this.payersOf.get(ord.id) ?? [])
      paidWithOthers = Math.max(paidWithOthers, at?.get(p)?.size ?? 0);
    return { qtyRatio, listingUnpaid, listingShare, linkedUnpaid: this.linkedUnpaid(ord), paidWithOthers };
  }

  /** Linked accounts leaving an unpaid order at the order's shop within the window of it. */
  linkedUnpaid(ord: OrderState): number {
    const linked = this.o.linked(ord.buyer);
    if (linked.size === 0) return 0;
    const had = this.linkedCache.get(ord);
    if (had !== undefined) return had;
    let n = 0;
    for (const x of linked)
      if (inWindow(this.unpaidAt.get(x)?.get(ord.merchant), ord.createdAt, this.o.windowMs)) n++;
    this.linkedCache.set(ord, n);
    return n;
  }

  account(id: string): UnpaidAccountFacts {
    const a = this.state.accounts.get(id);
    const orders = a?.orders ?? [];
    const shops = this.unpaidAt.get(id);
    let top: string | undefined;
    let unpaid = 0;
    let unpaidAtTop = 0;
    for (const [m, xs] of shops ?? []) {
      unpaid += xs.length;
      if (xs.length > unpaidAtTop) {
        unpaidAtTop = xs.length;
        top = m;
      }
    }
    let ordersAtTop = 0;
    let linkedMates = 0;
    let paidWithOthers = 0;
    for (const o of orders) {
      if (o.merchant === top) ordersAtTop++;
      if (!leftUnpaid(o)) continue;
      linkedMates = Math.max(linkedMates, this.linkedUnpaid(o));
      for (const p of this.payersOf.get(o.id) ?? [])
        if ((this.byShop.get(o.merchant)?.get(p)?.size ?? 0) >= 2) {
          paidWithOthers++;
          break;
        }
    }
    return {
      unpaid,
      orders: orders.length,
      unpaidAtTop,
      ordersAtTop,
      unpaidElsewhere: unpaid - unpaidAtTop,
      ordersElsewhere: orders.length - ordersAtTop,
      linkedMates,
      paidWithOthers,
    };
  }

  /** The payer's side: the most unpaid buyers of one shop (not `exceptShop`) it paid around those orders. */
  payer(account: string, exceptShop?: string): number {
    let most = 0;
    for (const [shop, buyers] of this.byPayer.get(account) ?? [])
      if (shop !== exceptShop) most = Math.max(most, buyers.size);
    return most;
  }

  /** A merchant's side (operators and the accounts they fund): the most unpaid buyers of another shop it paid. */
  side(merchant: string): number {
    let most = 0;
    for (const [shop, buyers] of this.bySide.get(merchant) ?? [])
      if (shop !== merchant) most = Math.max(most, buyers.size);
    return most;
  }

  merchant(id: string): UnpaidMerchantFacts {
    const m = this.state.merchants.get(id);
    let unpaid = 0;
    const buyers = new Set<string>();
    const linked = new Set<string>();
    for (const o of m?.orders ?? []) {
      if (!leftUnpaid(o)) continue;
      unpaid++;
      buyers.add(o.buyer);
      if (!linked.has(o.buyer) && this.linkedUnpaid(o) > 0) linked.add(o.buyer);
    }
    let peakListing = 0;
    for (const l of m?.listings ?? [])
      peakListing = Math.max(peakListing, densest(this.listingUnpaid.get(l), this.o.windowMs));
    const paid = new Set<string>();
    for (const bs of this.byShop.get(id)?.values() ?? []) if (bs.size >= 2) for (const b of bs) paid.add(b);
    return {
      unpaid,
      unpaidBuyers: buyers.size,
      linkedUnpaidBuyers: linked.size,
      peakListing,
      paidBuyers: paid.size,
    };
  }
}

function push<K>(m: Map<K, number[]>, k: K, v: number) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** How many sorted times fall within `w` either side of `at`. */
function inWindow(xs: readonly number[] | undefined, at: number, w: number): number {
  if (!xs) return 0;
  return lowerBound(xs, at + w + 1) - lowerBound(xs, at - w);
}

/** The most sorted times inside any span of 2·`w` (the same span `inWindow` looks at). */
function densest(xs: readonly number[] | undefined, w: number): number {
  if (!xs) return 0;
  let best = 0;
  for (let i = 0, j = 0; j < xs.length; j++) {
    while (xs[j] - xs[i] > 2 * w) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}
