// The simulated marketplace: its population, a day-bucketed event queue, and the order lifecycle all schemes share.
import type { EventDataOf, EventType, MarketEvent } from '../events/index.ts';
import { Random } from '../platform/random.ts';
import { CATEGORIES, type ItemType, PROVINCES, VIRTUAL_CARRIER } from './catalog.ts';
import { Clock, DAY, HOUR } from './clock.ts';
import { hex32, type Mints, makeMints, mobileIp, mobileIpv6, residentialIp, trackingNo } from './ids.ts';
import type { SimOptions } from './options.ts';
import { CANCEL_PAID, CANCEL_UNPAID } from './text.ts';

export type TruthKind = 'merchant' | 'account' | 'order' | 'review' | 'listing';
/** How a ring, gang, attack or merchant behaves: today's habits, or adapted to evade detection. */
export type Mode = 'classic' | 'adaptive';
/** The scheme and mode an abusive subject belongs to. */
export interface Tag {
  scheme: string;
  mode: Mode;
}
/** One abusive subject, the scheme that makes it abusive, and the mode of its ring/gang/attack/merchant. */
export type TruthRecord = { kind: TruthKind; id: string; scheme: string; mode: Mode };
/** One honest subject that looks like abuse, for measuring false positives. */
export type CohortRecord = { kind: 'account' | 'merchant' | 'listing'; id: string; cohort: string };

export interface SimSink {
  event(e: MarketEvent): void;
  truth(t: TruthRecord): void;
  cohort?(c: CohortRecord): void;
}

/** How an account reaches the internet, which decides the IPs it shows. */
export const Net = { Home: 0, Mobile: 1, Campus: 2, Office: 3, Proxy: 4, Pool: 5 } as const;
export type Net = (typeof Net)[keyof typeof Net];

export const Flag = {
  Picky: 1,
  Quick: 2,
  Household: 4,
  Campus: 8,
  Operator: 16,
  Complainer: 32,
  Store: 64,
} as const;

export interface Account {
  id: string;
  reg: number;
  regDevice: string;
  regIp: string;
  phone: string;
  device: string;
  device2: string | null;
  homeIp: string;
  net: Net;
  /** Shared addresses (campus, office, ring ranges); entries ending in '.' are /24 prefixes. */
  pool: string[] | null;
  v6: boolean;
  addr: string;
  addr2: string | null;
  inst: string;
  inst2: string | null;
  prov: number;
  city: number;
  district: number;
  activity: number;
  reviewP: number;
  flags: number;
  cats: number[];
  lastMerchant: Merchant | null;
  abusive: boolean;
}

export interface Listing {
  id: string;
  m: Merchant;
  item: ItemType;
  brand: string;
  title: string;
  desc: string;
  price: number;
  pub: number;
  removed: number;
  unitWeight: number;
  /** Price multipliers of the listing's SKUs (size, pack); the first is 1. */
  variants: number[] | null;
  pop: number;
  pendingPrice: number;
  pendingAt: number;
  /** Text switched in by a later listing.updated. */
  alt: { t: number; title: string; desc: string; category?: string } | null;
  lawful: boolean;
  /** Labelled by a scheme (banned claims, hijack): look-alike cohorts leave it alone. */
  flagged?: boolean;
}

export interface CashbackPlan {
  offerRate: number;
  uptake: number;
  yuan: [number, number];
  payer: Account;
  cardOnly: boolean;
  mode: Mode;
  /** Adaptive: further staff or intermediary accounts that take turns paying. */
  payers: Account[];
  /** Adaptive: days between the review and the payment. */
  payDelayDays: [number, number] | null;
  /** Adaptive: offered in an off-platform group, so buyers review at honest delays. */
  offPlatform: boolean;
}

export interface Merchant {
  id: string;
  name: string;
  uscc: string;
  cat: number;
  reg: number;
  ops: Account[];
  listings: Listing[];
  listCum: Float64Array;
  pop: number;
  quality: number;
  shipMeanH: number;
  carriers: string[];
  prov: number;
  city: number;
  compensator: boolean;
  light: boolean;
  abusive: boolean;
  /** Victims and honest look-alikes that no scheme may make abusive. */
  protected: boolean;
  cashback: CashbackPlan | null;
  badBatch: [number, number] | null;
}

export interface Line {
  listing: Listing;
  qty: number;
  unit: number;
}

export interface OrderInput {
  buyer: Account;
  m: Merchant;
  lines: Line[];
  t: number;
  device: string;
  ip: string;
  addr: string;
  inst: string;
  loc: Account;
  discount: number;
  /** Taken off at payment (merchant 改价); honest and abusive both do it. */
  paidOff: number;
  payDelay: number;
  unpaidCancel: boolean;
  /** An unpaid order's cancellation time and reason when a caller decides them (else drawn as honest ones). */
  cancelAt?: number;
  cancelReason?: string;
  paidCancel: boolean;
  shipDelay: number;
  /** Parcel weight override in grams; null means the weight of the goods. */
  weight: number | null;
  omitWeight: boolean;
  carrier: string | null;
  tracking: string | null;
  transit: number;
  lost: boolean;
  truth: Tag | null;
}

export interface Placed {
  id: string;
  input: OrderInput;
  amount: number;
  paid: number;
  paidAt: number;
  shippedAt: number;
  deliveredAt: number;
  virtual: boolean;
}

interface Pending {
  t: number;
  s: number;
  ev: MarketEvent;
  truth: TruthRecord | null;
}

export class World {
  readonly clock: Clock;
  readonly r: Random;
  readonly mints: Mints;
  readonly accounts: Account[] = [];
  readonly buyers: Account[] = [];
  readonly merchants: Merchant[] = [];
  readonly listings: Listing[] = [];
  /** Merchants per category and their cumulative popularity, for picking shops. */
  byCat: Merchant[][] = [];
  catCum: Float64Array[] = [];
  /** Carrier NAT addresses per province, each shared by many subscribers. */
  natPools: string[][] = [];
  events = 0;
  readonly byType: Record<string, number> = {};
  readonly truthByScheme: Record<string, number> = {};
  readonly truthByKind: Record<string, number> = {};
  readonly truthByMode: Record<string, number> = {};
  truthCount = 0;

  private readonly pre: Pending[] = [];
  private readonly buckets: Pending[][];
  private seq = 0;
  /** Start of the earliest day not yet flushed; nothing may be queued before it. */
  floor = Number.NEGATIVE_INFINITY;
  private readonly truthSeen = new Set<string>();
  /** `kind|id` of every subject in truth, whatever the scheme. */
  private readonly inTruthSet = new Set<string>();
  private readonly cohortSeen = new Set<string>();

  constructor(
    readonly opts: SimOptions,
    private readonly sink: SimSink,
  ) {
    this.clock = new Clock(opts.start, opts.days);
    this.r = new Random(opts.seed);
    this.mints = makeMints(this.r.fork('ids'));
    this.buckets = Array.from({ length: opts.days }, () => []);
  }

  /** Queues an event; returns false when it falls after the period and is dropped. */
  emit<T extends EventType>(
    t: number,
    type: T,
    data: EventDataOf<T>,
    truth: TruthRecord | null = null,
  ): boolean {
    if (t >= this.clock.end) return false;
    if (t < this.floor)
      throw new Error(`simulator bug: ${type} at ${this.clock.iso(t)} lands on a day already written`);
    const p: Pending = { t, s: this.seq++, ev: { id: '', type, time: '', data } as MarketEvent, truth };
    if (t < this.clock.start) this.pre.push(p);
    else this.buckets[Math.floor((t - this.clock.start) / DAY)].push(p);
    return true;
  }

  /** Sorts and hands out one day's events (day -1 is everything before the period). */
  flush(day: number): number {
    const list = day < 0 ? this.pre : this.buckets[day];
    list.sort(byTime);
    const mint = this.mints.event;
    for (const p of list) {
      p.ev.id = mint.next();
      p.ev.time = this.clock.iso(p.t);
      this.byType[p.ev.type] = (this.byType[p.ev.type] ?? 0) + 1;
      this.sink.event(p.ev);
      if (p.truth) this.truth(p.truth.kind, p.truth.id, p.truth.scheme, p.truth.mode);
    }
    const n = list.length;
    this.events += n;
    if (day < 0) this.pre.length = 0;
    else this.buckets[day] = [];
    this.floor = day < 0 ? this.clock.start : this.clock.dayStart(day + 1);
    return n;
  }

  truth(kind: TruthKind, id: string, scheme: string, mode: Mode = 'classic'): void {
    const key = `${scheme}|${kind}|${id}`;
    if (this.truthSeen.has(key)) return;
    this.truthSeen.add(key);
    this.inTruthSet.add(`${kind}|${id}`);
    this.truthCount++;
    this.truthByScheme[scheme] = (this.truthByScheme[scheme] ?? 0) + 1;
    this.truthByKind[`${scheme}.${kind}`] = (this.truthByKind[`${scheme}.${kind}`] ?? 0) + 1;
    this.truthByMode[mode] = (this.truthByMode[mode] ?? 0) + 1;
    this.sink.truth({ kind, id, scheme, mode });
  }

  /** Whether any scheme has put this subject in truth so far. */
  inTruth(kind: TruthKind, id: string): boolean {
    return this.inTruthSet.has(`${kind}|${id}`);
  }

  cohort(kind: CohortRecord['kind'], id: string, cohort: string): void {
    const key = `${cohort}|${kind}|${id}`;
    if (this.cohortSeen.has(key)) return;
    this.cohortSeen.add(key);
    this.sink.cohort?.({ kind, id, cohort });
  }

  /** A new account (not yet emitted; emitStanding writes its registration). */
  newAccount(r: Random, reg: number, prov: number, device: string, ip: string): Account {
    const p = PROVINCES[prov];
    const city = r.int(0, p.cities.length - 1);
    const a: Account = {
      id: this.mints.account.next(),
      reg,
      regDevice: device,
      regIp: ip,
      phone: hex32(r),
      device,
      device2: null,
      homeIp: ip,
      net: Net.Home,
      pool: null,
      v6: false,
      addr: hex32(r),
      addr2: null,
      inst: hex32(r),
      inst2: null,
      prov,
      city,
      district: r.int(0, p.cities[city].districts.length - 1),
      activity: 0,
      reviewP: 0.4,
      flags: 0,
      cats: [],
      lastMerchant: null,
      abusive: false,
    };
    this.accounts.push(a);
    return a;
  }

  /** Writes registrations of every account, merchant and listing made during setup. */
  emitStanding(): void {
    for (const a of this.accounts) {
      this.emit(a.reg, 'account.registered', {
        account_id: a.id,
        phone_hash: a.phone,
        device_id: a.regDevice,
        ip: a.regIp,
      });
    }
    for (const m of this.merchants) {
      this.emit(m.reg, 'merchant.registered', {
        merchant_id: m.id,
        name: m.name,
        uscc: m.uscc,
        category: CATEGORIES[m.cat].name,
        account_ids: m.ops.map((o) => o.id),
      });
    }
    for (const l of this.listings) this.emit(l.pub, 'listing.published', this.listingData(l, l.pub));
  }

  listingData(l: Listing, t: number): EventDataOf<'listing.published'> {
    const alt = l.alt && t >= l.alt.t ? l.alt : null;
    return {
      listing_id: l.id,
      merchant_id: l.m.id,
      title: alt ? alt.title : l.title,
      price: this.priceAt(l, t),
      currency: 'CNY',
      category: alt?.category ?? CATEGORIES[l.m.cat].name,
      brand: l.brand,
      description: alt ? alt.desc : l.desc,
    };
  }

  priceAt(l: Listing, t: number): number {
    return l.pendingAt > 0 && t >= l.pendingAt ? l.pendingPrice : l.price;
  }

  available(l: Listing, t: number): boolean {
    return l.pub < t && t < l.removed;
  }

  /** A listing of the merchant by its popularity, available at t, or null. */
  pickListing(r: Random, m: Merchant, t: number): Listing | null {
    for (let k = 0; k < 4; k++) {
      const l = m.listings[searchCum(m.listCum, r.next())];
      if (this.available(l, t)) return l;
    }
    for (const l of m.listings) if (this.available(l, t)) return l;
    return null;
  }

  /** The cheapest listing of a merchant available at t. */
  cheapest(m: Merchant, t: number): Listing | null {
    let best: Listing | null = null;
    for (const l of m.listings) if (this.available(l, t) && (!best || l.price < best.price)) best = l;
    return best;
  }

  natIp(r: Random, prov: number): string {
    return r.pick(this.natPools[prov]);
  }

  ipFor(r: Random, a: Account, t: number): string {
    switch (a.net) {
      case Net.Home:
        return r.chance(0.86) ? a.homeIp : this.natIp(r, a.prov);
      case Net.Mobile:
        return a.v6 && r.chance(0.7) ? mobileIpv6(r) : this.natIp(r, a.prov);
      case Net.Campus:
        return r.chance(0.85) ? poolIp(r, a.pool) : this.natIp(r, a.prov);
      case Net.Office: {
        const h = this.clock.hourOf(t);
        return this.clock.dowOf(t) < 5 && h >= 9 && h < 18 ? poolIp(r, a.pool) : a.homeIp;
      }
      case Net.Proxy:
        return r.chance(0.5) ? residentialIp(r) : mobileIp(r);
      default:
        return poolIp(r, a.pool);
    }
  }

  deviceFor(r: Random, a: Account): string {
    return a.device2 && r.chance(0.2) ? a.device2 : a.device;
  }

  /** Emits a login for a session at t (sometimes after a failed try) and returns the session's device and IP. */
  login(r: Random, a: Account, t: number, p = 0.7): { device: string; ip: string } {
    const device = this.deviceFor(r, a);
    const ip = this.ipFor(r, a, t);
    const lt = Math.max(a.reg + 1, t - r.int(20, 1800));
    // A session that began on a day already written simply shows no login.
    if (r.chance(p) && lt - 60 >= this.floor && lt < t) {
      if (r.chance(0.02))
        this.emit(lt - r.int(5, 60), 'account.login', {
          account_id: a.id,
          device_id: device,
          ip,
          success: false,
        });
      this.emit(lt, 'account.login', { account_id: a.id, device_id: device, ip, success: true });
    }
    return { device, ip };
  }

  /** Typical values for an order, which callers then bend. */
  orderInput(
    r: Random,
    buyer: Account,
    m: Merchant,
    lines: Line[],
    t: number,
    device: string,
    ip: string,
  ): OrderInput {
    const sameProv = buyer.prov === m.prov;
    const transitDays = sameProv ? 0.8 + r.next() * 1.2 : 1.5 + r.next() * 1.2 + r.exp(0.6);
    return {
      buyer,
      m,
      lines,
      t,
      device,
      ip,
      addr: buyer.addr2 && r.chance(0.12) ? buyer.addr2 : buyer.addr,
      inst: buyer.inst2 && r.chance(0.3) ? buyer.inst2 : buyer.inst,
      loc: buyer,
      discount: 0,
      paidOff: 0,
      payDelay: r.chance(0.85) ? r.int(8, 240) : r.int(240, 3 * HOUR),
      unpaidCancel: false,
      paidCancel: false,
      shipDelay: Math.round(Math.min(10 * DAY, r.exp(m.shipMeanH * HOUR) + 0.3 * HOUR)),
      weight: null,
      omitWeight: r.chance(0.04),
      carrier: null,
      tracking: null,
      transit: Math.round(Math.min(9, transitDays) * DAY * (0.9 + 0.2 * r.next())),
      lost: false,
      truth: null,
    };
  }

  /** Emits an order's lifecycle up to delivery (or cancellation) and returns its times. */
  placeOrder(r: Random, o: OrderInput): Placed {
    const id = this.mints.order.next();
    let subtotal = 0;
    let virtual = true;
    const items: { listing_id: string; quantity: number; unit_price: number }[] = [];
    for (const ln of o.lines) {
      subtotal += ln.unit * ln.qty;
      if (!ln.listing.item.virtual) virtual = false;
      items.push({ listing_id: ln.listing.id, quantity: ln.qty, unit_price: ln.unit });
    }
    const amount = Math.max(1, subtotal - o.discount);
    const loc = o.loc;
    const p = PROVINCES[loc.prov];
    const c = p.cities[loc.city];
    this.emit(
      o.t,
      'order.created',
      {
        order_id: id,
        buyer_id: o.buyer.id,
        merchant_id: o.m.id,
        items,
        amount,
        currency: 'CNY',
        device_id: o.device,
        ip: o.ip,
        address_hash: o.addr,
        province: p.name,
        city: c.name,
        district: c.districts[loc.district],
      },
      o.truth ? { kind: 'order', id, scheme: o.truth.scheme, mode: o.truth.mode } : null,
    );
    const placed: Placed = {
      id,
      input: o,
      amount,
      paid: 0,
      paidAt: 0,
      shippedAt: 0,
      deliveredAt: 0,
      virtual,
    };
    if (o.unpaidCancel) {
      // (No draw when the caller set them, so honest orders draw exactly as before.)
      this.emit(o.cancelAt ?? o.t + r.int(15 * 60, 24 * HOUR), 'order.cancelled', {
        order_id: id,
        reason: o.cancelReason ?? r.pick(CANCEL_UNPAID),
      });
      return placed;
    }
    placed.paidAt = o.t + Math.max(3, o.payDelay);
    placed.paid = Math.max(1, amount - o.paidOff);
    this.emit(placed.paidAt, 'order.paid', {
      order_id: id,
      amount: placed.paid,
      currency: 'CNY',
      instrument_hash: o.inst,
    });
    if (o.paidCancel) {
      const tc = placed.paidAt + r.int(600, 20 * HOUR);
      this.emit(tc, 'order.cancelled', { order_id: id, reason: r.pick(CANCEL_PAID) });
      this.refund(placed, tc + r.int(30, 3600), placed.paid, '订单取消退款', tc + r.int(2 * HOUR, 30 * HOUR));
      return placed;
    }
    if (virtual) {
      placed.shippedAt = placed.paidAt + r.int(20, 900);
      this.emit(placed.shippedAt, 'order.shipped', {
        order_id: id,
        carrier: VIRTUAL_CARRIER,
        weight_grams: 0,
      });
      placed.deliveredAt = placed.shippedAt + r.int(30, 1800);
      this.emit(placed.deliveredAt, 'order.delivered', { order_id: id });
      return placed;
    }
    placed.shippedAt = placed.paidAt + Math.max(120, o.shipDelay);
    const carrier = o.carrier ?? r.pick(o.m.carriers);
    const weight = o.weight ?? this.goodsWeight(r, o.lines);
    this.emit(placed.shippedAt, 'order.shipped', {
      order_id: id,
      carrier,
      tracking_no: o.tracking ?? trackingNo(r, carrier),
      ...(o.omitWeight ? {} : { weight_grams: weight }),
    });
    if (o.lost) return placed;
    placed.deliveredAt = placed.shippedAt + Math.max(4 * HOUR, o.transit);
    this.emit(placed.deliveredAt, 'order.delivered', { order_id: id });
    return placed;
  }

  /** Parcel weight of real goods: items, small scale noise, and packaging. */
  goodsWeight(r: Random, lines: Line[]): number {
    let w = 0;
    let light = true;
    for (const ln of lines) {
      w += ln.listing.unitWeight * ln.qty;
      if (!ln.listing.item.light) light = false;
    }
    const pack = light ? r.int(12, 55) : r.int(60, 320);
    return Math.round(w * (0.97 + 0.09 * r.next()) + pack);
  }

  /** A refund request, completed at `done` unless `done` is 0 (refused or still open). */
  refund(o: Placed, t: number, amount: number, reason: string, done: number): void {
    const id = this.mints.refund.next();
    this.emit(t, 'refund.requested', { refund_id: id, order_id: o.id, amount, currency: 'CNY', reason });
    if (done > t)
      this.emit(done, 'refund.completed', { refund_id: id, order_id: o.id, amount, currency: 'CNY' });
  }

  review(
    o: Placed,
    buyer: Account,
    t: number,
    rating: number,
    text: string | undefined,
    images: number,
    device: string,
    ip: string,
    truth: Tag | null,
  ): string | null {
    if (t <= o.deliveredAt || o.deliveredAt === 0) return null;
    const l = o.input.lines[0].listing;
    const id = this.mints.review.next();
    const kept = this.emit(
      t,
      'review.posted',
      {
        review_id: id,
        order_id: o.id,
        buyer_id: buyer.id,
        merchant_id: o.input.m.id,
        listing_id: l.id,
        rating,
        ...(text === undefined ? {} : { text }),
        image_count: images,
        device_id: device,
        ip,
      },
      truth ? { kind: 'review', id, scheme: truth.scheme, mode: truth.mode } : null,
    );
    return kept ? id : null;
  }

  message(from: Account, to: Account, t: number, text: string, orderId?: string): void {
    this.emit(t, 'message.sent', {
      message_id: this.mints.message.next(),
      from_id: from.id,
      to_id: to.id,
      text,
      ...(orderId ? { order_id: orderId } : {}),
    });
  }

  /** Returns false when the transfer falls after the period and is dropped. */
  transfer(from: Account, to: Account, t: number, amount: number, memo: string): boolean {
    return this.emit(t, 'transfer.made', {
      transfer_id: this.mints.transfer.next(),
      from_id: from.id,
      to_id: to.id,
      amount: Math.max(1, Math.round(amount)),
      currency: 'CNY',
      ...(memo ? { memo } : {}),
    });
  }

  /** Returns false when the removal falls after the period and is dropped. */
  removeReview(reviewId: string, t: number, by: 'buyer' | 'merchant' | 'platform', reason: string): boolean {
    return this.emit(t, 'review.removed', { review_id: reviewId, by, ...(reason ? { reason } : {}) });
  }

  /** A merchant's operator account (the first one holds the money most of the time). */
  op(r: Random, m: Merchant): Account {
    return m.ops.length > 1 && r.chance(0.35) ? m.ops[r.int(1, m.ops.length - 1)] : m.ops[0];
  }

  /** Picks a merchant of a category by popularity, or any category when cat < 0. */
  pickMerchant(r: Random, cat: number): Merchant {
    let c = cat >= 0 ? cat : r.int(0, this.byCat.length - 1);
    // Small marketplaces can have empty categories; buyers then shop elsewhere.
    while (this.byCat[c].length === 0) c = (c + 1) % this.byCat.length;
    return this.byCat[c][searchCum(this.catCum[c], r.next())];
  }

  /** Merchants registered before the period with available listings, for schemes to pick from. */
  established(): Merchant[] {
    return this.merchants.filter(
      (m) => m.reg < this.clock.start - 20 * DAY && m.listings.some((l) => l.pub < this.clock.start),
    );
  }
}

function byTime(a: Pending, b: Pending): number {
  return a.t - b.t || a.s - b.s;
}

export function poolIp(r: Random, pool: string[] | null): string {
  if (!pool || pool.length === 0) return residentialIp(r);
  const p = pool[Math.floor(r.next() * pool.length)];
  return p.endsWith('.') ? p + r.int(2, 253) : p;
}

/** Index of the first cumulative weight at or above u (weights normalised to end at 1). */
export function searchCum(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function cumulate(ws: ArrayLike<number>): Float64Array {
  const c = new Float64Array(ws.length);
  let s = 0;
  for (let i = 0; i < ws.length; i++) c[i] = s += ws[i];
  if (s > 0) for (let i = 0; i < ws.length; i++) c[i] /= s;
  return c;
}

/** Integer draw inside an inclusive range knob. */
export function inRange(r: Random, range: readonly [number, number]): number {
  return r.int(Math.round(range[0]), Math.round(range[1]));
}

export function inRangeF(r: Random, range: readonly [number, number]): number {
  return range[0] + r.next() * (range[1] - range[0]);
}

/** Log-normal draw with the given median. */
export function lognormal(r: Random, median: number, sigma: number): number {
  return median * Math.exp(r.normal(0, sigma));
}

/** Rounds a count scaled by the period length stochastically, so short periods keep proportions. */
export function scaled(r: Random, n: number, factor: number): number {
  const x = n * factor;
  const f = Math.floor(x);
  return f + (r.chance(x - f) ? 1 : 0);
}

/** The mode of a new ring, gang, attack or merchant; draws nothing at rate 0 so classic runs stay unchanged. */
export function drawMode(r: Random, rate: number): Mode {
  return rate > 0 && r.chance(rate) ? 'adaptive' : 'classic';
}
