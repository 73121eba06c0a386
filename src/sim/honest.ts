// The honest marketplace: merchants, listings and buyers (households, campuses, offices, carrier NAT) and their
// everyday behaviour, including the honest look-alikes of abuse that detectors must not flag.
import type { Random } from '../platform/random.ts';
import { CARRIER_SHARE, CARRIERS, CATEGORIES, type ItemType, PROVINCES } from './catalog.ts';
import { DAY, HOUR } from './clock.ts';
import { deviceId, hex32, mobileIp, prefix24, residentialIp, uscc } from './ids.ts';
import { cashbackAftermath } from './schemes/cashback.ts';
import {
  APOLOGY,
  COMPENSATION_MEMO,
  compensationMsg,
  complaint,
  honestReview,
  LAWFUL_BRANDS,
  LAWFUL_PHRASES,
  LISTING_REMOVED,
  listingDescription,
  listingTitle,
  P2P_MEMO,
  PRESALE,
  Problem,
  REFUND_PROBLEM,
  REFUND_RETURN,
  REVIEW_REMOVED_BUYER,
  shopName,
  WHERE_A,
  WHERE_Q,
} from './text.ts';
import {
  type Account,
  cumulate,
  Flag,
  inRange,
  type Line,
  type Listing,
  lognormal,
  type Merchant,
  Net,
  type Placed,
  searchCum,
  type World,
} from './world.ts';

const CAT_CUM = cumulate(CATEGORIES.map((c) => c.share));
const PROV_CUM = cumulate(PROVINCES.map((p) => p.weight));
const CARRIER_CUM = cumulate(CARRIER_SHARE);

/** A price that ends like shop prices do (x.90, x.99, x.00). */
export function shopPrice(r: Random, lo: number, hi: number): number {
  const p = lo * (hi / lo) ** (r.next() ** 1.3);
  const yuan = Math.max(1, Math.round(p / 100));
  return Math.max(100, yuan * 100 - r.pick([10, 10, 1, 0, 20, 50]));
}

/** One order line at the listing's current price (or one of its SKU prices). */
export function lineFor(w: World, r: Random, l: Listing, t: number, qtyP = 0.15): Line {
  let unit = w.priceAt(l, t);
  if (l.variants && r.chance(0.4)) unit = Math.round((unit * r.pick(l.variants)) / 10) * 10;
  const qty = l.item.qtyMax > 1 && r.chance(qtyP) ? r.int(2, l.item.qtyMax) : 1;
  return { listing: l, qty, unit };
}

/** Vose alias table: O(1) weighted draws over 100k buyers. */
class Alias {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(ws: ArrayLike<number>) {
    const n = ws.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += ws[i];
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = sum > 0 ? (ws[i] * n) / sum : 1;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(r: Random): number {
    const i = Math.floor(r.next() * this.prob.length);
    return r.next() < this.prob[i] ? i : this.alias[i];
  }
}

export class Honest {
  readonly r: Random;
  private buyerAlias!: Alias;
  /** The most popular shops, where rings place their camouflage orders. */
  popular: Merchant[] = [];
  private flash: { m: Merchant; day: number }[] = [];
  private households: Account[][] = [];
  private lightItems: Map<number, ItemType[]> = new Map();
  /** Later look-alikes (silent compensators), set once the schemes are planned. */
  removal: {
    handles(m: Merchant): boolean;
    lowReview(o: Placed, a: Account, reviewId: string, t: number): boolean;
  } | null = null;
  look: {
    compensates(m: Merchant): boolean;
    silentCompensation(o: Placed, a: Account, after: number): void;
  } | null = null;

  constructor(readonly w: World) {
    this.r = w.r.fork('honest');
  }

  populate(): void {
    const r = this.w.r.fork('population');
    this.makeNatPools(r);
    this.makeMerchants(r);
    this.makeBuyers(r);
    this.index();
  }

  private makeNatPools(r: Random): void {
    const o = this.w.opts;
    const total = PROVINCES.reduce((s, p) => s + p.weight, 0);
    for (const p of PROVINCES) {
      const n = Math.max(6, Math.round((o.buyers * o.baseline.mobileShare * p.weight) / total / 35));
      const pool: string[] = [];
      for (let i = 0; i < n; i++) pool.push(mobileIp(r));
      this.w.natPools.push(pool);
    }
  }

  private pickProv(r: Random): number {
    return searchCum(PROV_CUM, r.next());
  }

  private makeMerchants(r: Random): void {
    const w = this.w;
    const o = w.opts;
    const b = o.baseline;
    for (const [ci, c] of CATEGORIES.entries()) {
      this.lightItems.set(
        ci,
        c.items.filter((it) => it.light || it.virtual),
      );
    }
    for (let i = 0; i < o.merchants; i++) {
      let cat = searchCum(CAT_CUM, r.next());
      const light = r.chance(b.lightGoodsShare);
      if (light && (this.lightItems.get(cat) ?? []).length === 0) cat = 1;
      const isNew = r.chance(b.newMerchantShare);
      const reg = w.clock.timeBetween(
        r,
        isNew ? Math.floor(r.next() * 0.6 * o.days) : -r.int(30, 1100),
        9,
        21,
      );
      const prov = this.pickProv(r);
      const city = r.int(0, PROVINCES[prov].cities.length - 1);
      const officeIp = residentialIp(r);
      const ops: Account[] = [];
      const nOps = r.chance(0.5) ? 1 : r.chance(0.7) ? 2 : 3;
      for (let k = 0; k < nOps; k++) {
        const a = w.newAccount(r, w.clock.rhythm(r, reg - r.int(1, 10) * DAY), prov, deviceId(r), officeIp);
        a.city = city;
        a.flags |= Flag.Operator;
        ops.push(a);
      }
      const carriers = [CARRIERS[searchCum(CARRIER_CUM, r.next())]];
      if (r.chance(0.35)) carriers.push(CARRIERS[searchCum(CARRIER_CUM, r.next())]);
      const category = CATEGORIES[cat];
      const m: Merchant = {
        id: w.mints.merchant.next(),
        name: shopName(r, category),
        uscc: uscc(r, PROVINCES[prov].cities[city].uscc, r.chance(0.3)),
        cat,
        reg,
        ops,
        listings: [],
        listCum: new Float64Array(0),
        pop: lognormal(r, 1, 1.3),
        quality: Math.max(0.85, Math.min(0.997, 1 - lognormal(r, 0.025, 0.6))),
        shipMeanH: Math.max(3, Math.min(96, lognormal(r, 16, 0.6))),
        carriers,
        prov,
        city,
        compensator: r.chance(b.compensatorShare),
        light,
        abusive: false,
        protected: false,
        cashback: null,
        badBatch: null,
      };
      w.merchants.push(m);
      this.makeListings(r, m, isNew);
    }
  }

  private makeListings(r: Random, m: Merchant, isNew: boolean): void {
    const w = this.w;
    const b = w.opts.baseline;
    const cat = CATEGORIES[m.cat];
    const items = m.light ? (this.lightItems.get(m.cat) ?? cat.items) : cat.items;
    const n = inRange(r, b.listingsPerMerchant);
    const mainBrand = r.pick(cat.brands);
    const pops: number[] = [];
    const start = w.clock.start;
    for (let k = 0; k < n; k++) {
      const item = r.pick(items);
      let brand = r.chance(0.6) ? mainBrand : r.pick(cat.brands);
      const lawful = r.chance(b.lawfulSuperlativeRate);
      if (lawful && r.chance(0.15)) brand = r.pick(LAWFUL_BRANDS);
      let desc = listingDescription(r, cat, item);
      if (lawful) {
        const phrases = LAWFUL_PHRASES[cat.name] ?? LAWFUL_PHRASES.家居;
        desc = r.chance(0.5) ? r.pick(phrases) + desc : desc + r.pick(phrases);
      }
      // Most listings exist before the period; a few appear during it (always after the shop opens).
      const during = isNew || r.chance(0.04);
      const from = Math.max(m.reg + HOUR, during ? start : m.reg + HOUR);
      const to = during ? w.clock.end - DAY : start - HOUR;
      const pub =
        isNew && k < 2
          ? m.reg + r.int(HOUR, 6 * HOUR)
          : w.clock.awake(r, from + Math.floor(r.next() * Math.max(HOUR, to - from)));
      const l: Listing = {
        id: w.mints.listing.next(),
        m,
        item,
        brand,
        title: listingTitle(r, brand, item),
        desc,
        price: shopPrice(r, item.price[0], item.price[1]),
        pub,
        removed: Number.POSITIVE_INFINITY,
        unitWeight: item.virtual ? 0 : r.int(item.weight[0], item.weight[1]),
        variants: r.chance(0.15) ? [1, 1.2, 1.5] : null,
        pop: 1 / (k + 1) ** 1.1,
        pendingPrice: 0,
        pendingAt: 0,
        alt: null,
        lawful,
      };
      m.listings.push(l);
      w.listings.push(l);
      pops.push(l.pop);
    }
    m.listCum = cumulate(pops);
  }

  private traits(r: Random, a: Account, dormant: boolean): void {
    const b = this.w.opts.baseline;
    a.activity = dormant ? 0 : lognormal(r, 1, 1.0);
    a.reviewP = Math.max(0.03, Math.min(0.95, r.normal(0.42, 0.2)));
    if (r.chance(b.pickyShare)) {
      a.flags |= Flag.Picky;
      a.reviewP = 0.85;
      a.activity = Math.max(a.activity, 1.5);
    } else if (r.chance(b.quickReviewerShare)) a.flags |= Flag.Quick;
    const n = r.chance(0.5) ? 2 : 3;
    for (let k = 0; k < n; k++) a.cats.push(searchCum(CAT_CUM, r.next()));
    if (r.chance(0.15)) a.device2 = deviceId(r);
    if (r.chance(0.25)) a.addr2 = hex32(r);
    if (r.chance(0.4)) a.inst2 = hex32(r);
  }

  /** Sign-up time: mostly long before the period, some during it, at the hours people are awake. */
  private regTime(r: Random): number {
    const c = this.w.clock;
    if (r.chance(this.w.opts.baseline.newAccountShare)) {
      const t = c.rhythm(r, c.start + Math.floor(r.next() * (c.end - c.start - DAY)));
      return t < c.start ? t + DAY : t;
    }
    return c.rhythm(r, c.start - Math.floor(r.next() ** 1.4 * 2000 * DAY) - DAY);
  }

  private makeBuyers(r: Random): void {
    const w = this.w;
    const o = w.opts;
    const b = o.baseline;
    const n = o.buyers;
    let made = 0;
    const add = (a: Account) => {
      w.buyers.push(a);
      made++;
    };
    // Households: 2-5 people sharing a device, a home IP and an address (often one card too).
    const hhTarget = Math.round(n * b.householdShare);
    while (made < hhTarget) {
      const size = r.int(2, 5);
      const prov = this.pickProv(r);
      const dev = deviceId(r);
      const ip = residentialIp(r);
      const addr = hex32(r);
      const inst = r.chance(0.5) ? hex32(r) : null;
      const group: Account[] = [];
      let city = -1;
      let district = -1;
      for (let k = 0; k < size; k++) {
        const reg = this.regTime(r);
        const a = w.newAccount(r, reg, prov, dev, ip);
        if (city < 0) {
          city = a.city;
          district = a.district;
        }
        a.city = city;
        a.district = district;
        this.traits(r, a, r.chance(b.dormantShare));
        a.addr = addr;
        if (inst) a.inst = inst;
        a.flags |= Flag.Household;
        add(a);
        group.push(a);
      }
      this.households.push(group);
    }
    // Campuses: hundreds of students behind a few egress IPs, parcels to a few pickup points.
    const campusCap = Math.floor(n * 0.25);
    let campusMade = 0;
    for (let c = 0; c < b.campuses && campusMade < campusCap; c++) {
      const size = Math.min(inRange(r, b.campusSize), campusCap - campusMade);
      const prov = this.pickProv(r);
      const city = r.int(0, PROVINCES[prov].cities.length - 1);
      const district = r.int(0, PROVINCES[prov].cities[city].districts.length - 1);
      const ips: string[] = [];
      const nIps = r.int(1, 3);
      for (let k = 0; k < nIps; k++) ips.push(prefix24(r, 'campus') + r.int(2, 250));
      const points: string[] = [];
      const nPts = r.int(2, 6);
      for (let k = 0; k < nPts; k++) points.push(hex32(r));
      // Library and computer-lab PCs: one browser fingerprint shared by many students.
      const labs = Array.from({ length: r.int(2, 6) }, () => deviceId(r, 'web'));
      for (let k = 0; k < size; k++) {
        // Freshmen register in a burst a few weeks before the period (semester start).
        const reg = r.chance(0.4) ? w.clock.rhythm(r, w.clock.start - r.int(10, 30) * DAY) : this.regTime(r);
        const a = w.newAccount(r, reg, prov, deviceId(r), r.pick(ips));
        a.city = city;
        a.district = district;
        this.traits(r, a, r.chance(b.dormantShare * 0.6));
        a.net = Net.Campus;
        a.pool = ips;
        if (r.chance(0.35)) a.device2 = r.pick(labs);
        a.addr = r.pick(points);
        a.flags |= Flag.Campus;
        add(a);
        campusMade++;
      }
    }
    // Everyone else: home broadband, mobile data behind carrier NAT, some also from an office.
    let company: { ips: string[]; addr: string; card: string; left: number } | null = null;
    let store: { device: string; ip: string; left: number } | null = null;
    while (made < n) {
      const prov = this.pickProv(r);
      const reg = this.regTime(r);
      const mobile = r.chance(b.mobileShare);
      const dev = deviceId(r);
      const a = w.newAccount(r, reg, prov, dev, '');
      this.traits(r, a, r.chance(b.dormantShare));
      a.homeIp = residentialIp(r);
      if (mobile) {
        a.net = Net.Mobile;
        a.v6 = r.chance(0.2);
      } else if (r.chance(b.officeShare / (1 - b.mobileShare))) {
        if (!company || company.left <= 0) {
          const nIps = r.chance(0.7) ? 1 : 2;
          const ips: string[] = [];
          for (let k = 0; k < nIps; k++)
            ips.push(r.chance(0.3) ? prefix24(r, 'datacenter') + r.int(2, 250) : residentialIp(r));
          company = { ips, addr: hex32(r), card: hex32(r), left: r.int(15, 150) };
        }
        company.left--;
        a.net = Net.Office;
        a.pool = company.ips;
        if (r.chance(0.6)) a.addr2 = company.addr;
        // Some pay for office supplies with the company card, which coworkers share.
        if (r.chance(0.15)) a.inst2 = company.card;
      }
      a.regIp = w.ipFor(r, a, reg);
      if (reg < w.clock.start - DAY && r.chance(b.storeRegisteredShare)) {
        // Carrier or phone-shop staff sign customers up on the shop's phone, dozens per phone over months.
        if (!store || store.left <= 0)
          store = { device: deviceId(r, 'android'), ip: residentialIp(r), left: r.int(10, 60) };
        store.left--;
        a.regDevice = store.device;
        a.regIp = store.ip;
        a.reg = w.clock.timeBetween(r, Math.floor((reg - w.clock.start) / DAY), 10, 20);
        a.flags |= Flag.Store;
      } else if (w.buyers.length > 0 && r.chance(0.02)) {
        // A second-hand phone still carries its previous owner's device id.
        a.device2 = w.buyers[r.int(0, w.buyers.length - 1)].device;
      }
      add(a);
    }
    const power = Math.max(1, Math.round(n * 0.01));
    for (let k = 0; k < power; k++) {
      const a = w.buyers[r.int(0, w.buyers.length - 1)];
      if (a.activity > 0) a.activity *= 6;
    }
  }

  private index(): void {
    const w = this.w;
    w.byCat = CATEGORIES.map(() => []);
    for (const m of w.merchants) w.byCat[m.cat].push(m);
    w.catCum = w.byCat.map((ms) => cumulate(ms.map((m) => m.pop)));
    this.buyerAlias = new Alias(w.buyers.map((a) => a.activity));
    const sorted = w.merchants.filter((m) => m.reg < w.clock.start).sort((a, b) => b.pop - a.pop);
    this.popular = sorted.slice(0, Math.max(5, Math.ceil(sorted.length * 0.05)));
  }

  /** Honest merchants with a flash sale or a bad batch; chosen before schemes so schemes leave them honest. */
  chooseLookalikes(): void {
    const w = this.w;
    const r = this.w.r.fork('lookalikes');
    const candidates = r.shuffle(w.established().filter((m) => !m.protected));
    const b = w.opts.baseline;
    let i = 0;
    for (let k = 0; k < b.flashSales && i < candidates.length; k++) {
      const m = candidates[i++];
      m.protected = true;
      this.flash.push({ m, day: r.int(0, w.opts.days - 1) });
    }
    for (let k = 0; k < b.badBatches && i < candidates.length; k++) {
      const m = candidates[i++];
      m.protected = true;
      const from = w.clock.dayStart(r.int(0, Math.max(0, w.opts.days - 3)));
      m.badBatch = [from, from + r.int(3, 7) * DAY];
    }
  }

  /** Look-alike cohorts known at setup; abusive subjects are never in a cohort. */
  emitCohorts(): void {
    const w = this.w;
    for (const a of w.buyers) {
      if (a.abusive) continue;
      if (a.flags & Flag.Household) w.cohort('account', a.id, 'household');
      if (a.flags & Flag.Campus) w.cohort('account', a.id, 'campus');
      if (a.net === Net.Office) w.cohort('account', a.id, 'office');
      if (a.flags & Flag.Store) w.cohort('account', a.id, 'store_registered');
      if (a.flags & Flag.Picky) w.cohort('account', a.id, 'picky');
      if (a.flags & Flag.Quick && a.activity > 0) w.cohort('account', a.id, 'quick_reviewer');
      if (a.activity > 12) w.cohort('account', a.id, 'power_buyer');
    }
    for (const m of w.merchants) {
      if (m.abusive) continue;
      if (m.light) w.cohort('merchant', m.id, 'light_goods');
      if (m.badBatch) w.cohort('merchant', m.id, 'bad_batch');
      for (const l of m.listings) {
        if (!l.lawful) continue;
        w.cohort('listing', l.id, 'lawful_superlative');
        w.cohort('merchant', m.id, 'lawful_superlative');
      }
    }
    for (const f of this.flash) if (!f.m.abusive) w.cohort('merchant', f.m.id, 'flash_sale');
  }

  sampleBuyer(r: Random): Account {
    return this.w.buyers[this.buyerAlias.sample(r)];
  }

  /** Price changes, copy edits and removals of listings during day d. */
  beforeDay(d: number): void {
    const w = this.w;
    const r = this.r;
    const nUpd = Math.round(w.listings.length * 0.004 * (0.7 + 0.6 * r.next()));
    for (let k = 0; k < nUpd; k++) {
      const l = w.listings[r.int(0, w.listings.length - 1)];
      const t = w.clock.timeBetween(r, d, 8, 23);
      if (!w.available(l, t) || l.pendingAt > 0) continue;
      const factor = r.chance(0.6) ? 0.8 + 0.18 * r.next() : 1.02 + 0.15 * r.next();
      l.pendingPrice = Math.max(100, Math.round((l.price * factor) / 10) * 10);
      l.pendingAt = t;
      w.emit(t, 'listing.updated', w.listingData(l, t));
    }
    const nRem = scaledCount(r, w.listings.length * 0.0006);
    for (let k = 0; k < nRem; k++) {
      const l = w.listings[r.int(0, w.listings.length - 1)];
      const t = w.clock.timeBetween(r, d, 9, 22);
      if (!w.available(l, t) || l.m.listings.filter((x) => x.removed > t).length < 3) continue;
      l.removed = t;
      w.emit(t, 'listing.removed', { listing_id: l.id, reason: r.pick(LISTING_REMOVED) });
    }
  }

  afterDay(): void {
    for (const l of this.w.listings) {
      if (l.pendingAt > 0) {
        l.price = l.pendingPrice;
        l.pendingAt = 0;
      }
    }
  }

  day(d: number): void {
    const w = this.w;
    const r = this.r;
    const o = w.opts;
    const b = o.baseline;
    const mult = w.clock.dowWeight(d) * (1 + 0.05 * r.normal());
    const n = Math.round(((o.buyers * b.ordersPerBuyerMonth) / 30) * mult);
    for (let i = 0; i < n; i++) {
      const a = this.sampleBuyer(r);
      const t = w.clock.shopTime(r, d);
      if (a.reg + 600 > t) continue;
      this.order(r, a, t, null);
    }
    for (const f of this.flash) if (f.day === d) this.flashSale(r, f.m, d);
    const nl = Math.round(((o.buyers * b.loginsPerBuyerMonth) / 30) * mult);
    for (let i = 0; i < nl; i++) {
      const a = r.chance(0.7) ? this.sampleBuyer(r) : w.buyers[r.int(0, w.buyers.length - 1)];
      const t = w.clock.shopTime(r, d);
      if (a.reg + 60 < t) w.login(r, a, t, 1);
    }
    for (let i = 0; i < b.p2pTransfersPerDay; i++) this.p2p(r, d);
  }

  private p2p(r: Random, d: number): void {
    const w = this.w;
    const t = w.clock.shopTime(r, d);
    let from: Account;
    let to: Account;
    if (this.households.length && r.chance(0.35)) {
      const g = r.pick(this.households);
      from = r.pick(g);
      to = r.pick(g);
    } else {
      from = this.sampleBuyer(r);
      to = w.buyers[r.int(0, w.buyers.length - 1)];
    }
    if (from === to || from.reg >= t || to.reg >= t) return;
    w.transfer(
      from,
      to,
      t,
      Math.round(lognormal(r, 60, 0.9)) * 100 + r.pick([0, 0, 50, 88, 20]),
      r.pick(P2P_MEMO),
    );
  }

  private flashSale(r: Random, m: Merchant, d: number): void {
    const w = this.w;
    const l = w.pickListing(r, m, w.clock.timeBetween(r, d, 20, 20.1));
    if (!l) return;
    const n = Math.max(15, Math.round((300 * w.opts.buyers) / 100_000));
    for (let i = 0; i < n; i++) {
      const a = this.sampleBuyer(r);
      const t = w.clock.timeBetween(r, d, 20, 20 + 3 * r.next() ** 2 + 0.05);
      if (a.reg + 600 > t || !w.available(l, t)) continue;
      this.order(r, a, t, m, l, 0.3);
    }
  }

  /** One honest order by `a` at t (at a chosen shop or one picked by taste and popularity), with its aftermath. */
  order(
    r: Random,
    a: Account,
    t: number,
    forced: Merchant | null,
    forcedListing?: Listing,
    discountShare = 0,
  ): Placed | null {
    const w = this.w;
    const b = w.opts.baseline;
    let m: Merchant;
    if (forced) m = forced;
    else if (a.lastMerchant && r.chance(0.22)) m = a.lastMerchant;
    else
      m = w.pickMerchant(r, a.cats.length && r.chance(0.75) ? r.pick(a.cats) : searchCum(CAT_CUM, r.next()));
    const l = forcedListing ?? w.pickListing(r, m, t);
    if (!l) return null;
    const lines = [lineFor(w, r, l, t)];
    if (!forcedListing && r.chance(0.13)) {
      const extra = r.int(1, 2);
      for (let k = 0; k < extra; k++) {
        const x = w.pickListing(r, m, t);
        if (x && !lines.some((ln) => ln.listing === x)) lines.push(lineFor(w, r, x, t));
      }
    }
    const s = w.login(r, a, t);
    if (r.chance(0.06)) {
      const op = w.op(r, m);
      const q = t - r.int(12 * 60, 90 * 60);
      if (q > a.reg && q > m.reg && q >= w.floor) {
        const [question, answers] = r.pick(PRESALE);
        w.message(a, op, q, question);
        w.message(op, a, q + r.int(20, 9 * 60), r.pick(answers));
      }
    }
    const o = w.orderInput(r, a, m, lines, t, s.device, s.ip);
    let subtotal = 0;
    for (const ln of lines) subtotal += ln.unit * ln.qty;
    if (discountShare > 0)
      o.discount = Math.round((subtotal * discountShare * (0.6 + 0.4 * r.next())) / 100) * 100;
    else if (r.chance(b.couponRate)) o.discount = coupon(r, subtotal);
    if (r.chance(0.02))
      o.paidOff = Math.min(Math.floor(subtotal * 0.15), r.pick([100, 200, 500, 300, 1000, 50]));
    if (r.chance(b.cancelRate * 0.75)) o.unpaidCancel = true;
    else if (r.chance(b.cancelRate * 0.25)) o.paidCancel = true;
    if (r.chance(0.004)) o.lost = true;
    if (r.chance(0.03)) o.transit += r.int(3, 5) * DAY;
    const placed = w.placeOrder(r, o);
    a.lastMerchant = m;
    this.aftermath(r, placed, a);
    return placed;
  }

  /** What an honest buyer does after an order: chats, complaints, refunds, a review; merchants may compensate. */
  aftermath(r: Random, o: Placed, a: Account): void {
    const w = this.w;
    const b = w.opts.baseline;
    const m = o.input.m;
    const cat = CATEGORIES[m.cat];
    if (o.paidAt === 0 || o.input.paidCancel) return;
    const op = w.op(r, m);
    if (o.deliveredAt === 0) {
      // A lost parcel: the buyer asks, complains, and is refunded in full.
      const tq = w.clock.awake(r, o.shippedAt + r.int(4 * DAY, 6 * DAY));
      w.message(a, op, tq, r.pick(WHERE_Q), o.id);
      w.message(op, a, tq + r.int(120, 3 * HOUR), r.pick(WHERE_A), o.id);
      if (r.chance(b.complainRate)) this.complain(r, a, op, o, tq + r.int(DAY, 2 * DAY), Problem.Late);
      w.refund(o, tq + r.int(2 * DAY, 3 * DAY), o.paid, '未收到货', tq + r.int(3 * DAY, 4 * DAY));
      return;
    }
    let problem: Problem = Problem.None;
    if (o.deliveredAt - o.paidAt > 5 * DAY) problem = Problem.Late;
    let defect = 1 - m.quality;
    if (m.badBatch && o.input.t >= m.badBatch[0] && o.input.t < m.badBatch[1]) defect = 0.45;
    if (o.virtual) defect *= 0.4;
    if (r.chance(defect)) {
      const first = o.input.lines[0].listing.item;
      if (o.virtual) problem = Problem.Quality;
      else if (first.perishable) problem = r.chance(0.6) ? Problem.Spoiled : Problem.Quality;
      else problem = r.chance(0.35) ? Problem.Damaged : Problem.Quality;
    }
    let complainedAt = 0;
    if (problem === Problem.Late && r.chance(0.55)) {
      const tq = w.clock.awake(r, o.shippedAt + r.int(Math.floor(2.5 * DAY), 4 * DAY));
      if (tq < o.deliveredAt) {
        w.message(a, op, tq, r.pick(WHERE_Q), o.id);
        w.message(op, a, tq + r.int(120, 4 * HOUR), r.pick(WHERE_A), o.id);
        if (r.chance(b.complainRate))
          complainedAt = this.complain(r, a, op, o, tq + r.int(HOUR, 20 * HOUR), problem);
      }
    } else if (problem !== Problem.None && problem !== Problem.Late && r.chance(b.complainRate)) {
      complainedAt = this.complain(
        r,
        a,
        op,
        o,
        w.clock.awake(r, o.deliveredAt + r.int(1200, 30 * HOUR)),
        problem,
      );
    }
    this.refunds(r, o, problem);
    if (m.cashback && problem === Problem.None && cashbackAftermath(w, r, o, a)) return;
    const picky = (a.flags & Flag.Picky) !== 0;
    const quick = (a.flags & Flag.Quick) !== 0 && problem === Problem.None;
    const reviewP = Math.min(0.95, a.reviewP * (problem !== Problem.None ? 1.5 : 1));
    let reviewId: string | null = null;
    let rating = 0;
    let tr = 0;
    if (r.chance(reviewP)) {
      rating = honestRating(r, m.quality, problem, picky);
      const delay = quick
        ? r.int(300, 3 * HOUR)
        : Math.min(14 * DAY, lognormal(r, problem !== Problem.None ? 8 * HOUR : 30 * HOUR, 1.0));
      tr = w.clock.awake(r, o.deliveredAt + Math.max(120, Math.round(delay)));
      const images = quick
        ? 0
        : rating <= 2
          ? r.chance(0.5)
            ? r.int(1, 4)
            : 0
          : r.chance(0.22)
            ? r.int(1, 6)
            : 0;
      const s = w.login(r, a, tr, 0.3);
      reviewId = w.review(
        o,
        a,
        tr,
        rating,
        honestReview(r, cat, rating, problem, quick),
        images,
        s.device,
        s.ip,
        null,
      );
    }
    const unhappy = complainedAt > 0 || (reviewId !== null && rating <= 2);
    // Merchants buying off low reviews (review_removal) handle them in their own stream.
    if (reviewId && rating <= 2 && this.removal?.handles(m) && this.removal.lowReview(o, a, reviewId, tr))
      return;
    // Silent compensators draw from their own stream, so the honest stream is untouched when there are none.
    if (unhappy && this.look?.compensates(m)) this.look.silentCompensation(o, a, Math.max(complainedAt, tr));
    if (m.compensator && unhappy && r.chance(0.6)) {
      const tc = w.clock.awake(r, Math.max(complainedAt, tr) + r.int(1800, 18 * HOUR));
      const yuan = Math.max(3, Math.min(50, Math.round(o.paid / 100 / r.int(5, 20))));
      w.message(op, a, tc, compensationMsg(r, yuan), o.id);
      w.transfer(m.ops[0], a, tc + r.int(30, 1800), yuan * 100, r.pick(COMPENSATION_MEMO));
      if (!m.abusive) w.cohort('merchant', m.id, 'compensator');
      if (reviewId && rating <= 2 && r.chance(0.2)) {
        w.removeReview(reviewId, tc + r.int(HOUR, 30 * HOUR), 'buyer', r.pick(REVIEW_REMOVED_BUYER));
      }
    } else if (reviewId && rating <= 2 && r.chance(0.3)) {
      w.message(op, a, w.clock.awake(r, tr + r.int(1800, 12 * HOUR)), r.pick(APOLOGY), o.id);
    } else if (reviewId && r.chance(0.003)) {
      w.removeReview(reviewId, tr + r.int(HOUR, 10 * DAY), 'buyer', r.pick(REVIEW_REMOVED_BUYER));
    } else if (reviewId && r.chance(0.0005)) {
      w.removeReview(reviewId, tr + r.int(HOUR, 3 * DAY), 'platform', '含不当内容');
    }
  }

  /** A genuinely wronged buyer threatens a complaint or a bad review; returns when. */
  private complain(r: Random, a: Account, op: Account, o: Placed, t: number, problem: Problem): number {
    const w = this.w;
    w.message(a, op, t, complaint(r, problem), o.id);
    w.message(op, a, t + r.int(60, 3 * HOUR), r.pick(APOLOGY), o.id);
    a.flags |= Flag.Complainer;
    if (!a.abusive) w.cohort('account', a.id, 'complainer');
    return t;
  }

  /** Honest refunds: problems, refund-only for spoiled food, and no-reason returns within seven days. */
  private refunds(r: Random, o: Placed, problem: Problem): void {
    const w = this.w;
    const b = w.opts.baseline;
    if (problem === Problem.Damaged || problem === Problem.Quality) {
      if (!r.chance(0.55)) return;
      const t = w.clock.awake(r, o.deliveredAt + r.int(1800, 2 * DAY));
      const partial = r.chance(0.3);
      const amount = partial ? Math.round(o.paid * (0.2 + 0.3 * r.next())) : o.paid;
      w.refund(
        o,
        t,
        amount,
        r.pick(REFUND_PROBLEM[problem]),
        t + (partial ? r.int(HOUR, DAY) : r.int(DAY, 5 * DAY)),
      );
    } else if (problem === Problem.Spoiled) {
      if (!r.chance(0.8)) return;
      const t = w.clock.awake(r, o.deliveredAt + r.int(1800, 12 * HOUR));
      const amount = r.chance(0.5) ? o.paid : Math.round(o.paid * (0.3 + 0.4 * r.next()));
      w.refund(o, t, amount, r.pick(REFUND_PROBLEM[problem]), t + r.int(2 * HOUR, DAY));
    } else if (problem === Problem.None && !o.virtual && r.chance(b.returnRate)) {
      const t = w.clock.awake(r, o.deliveredAt + r.int(3 * HOUR, 6 * DAY));
      const done = r.chance(0.95) ? t + r.int(2 * DAY, 6 * DAY) : 0;
      w.refund(o, t, o.paid, r.pick(REFUND_RETURN), done);
    }
  }
}

function coupon(r: Random, subtotal: number): number {
  if (subtotal >= 20000) return r.pick([1000, 2000, 3000, 1500]);
  if (subtotal >= 5000) return r.pick([300, 500, 800, 1000]);
  return Math.min(Math.floor(subtotal / 5), r.pick([100, 200, 300]));
}

/** Honest rating: mostly 4-5, lower with real problems, lower for picky buyers and weaker shops. */
export function honestRating(r: Random, quality: number, problem: Problem, picky: boolean): number {
  let w: number[];
  if (problem === Problem.Damaged || problem === Problem.Quality || problem === Problem.Spoiled)
    w = [0.45, 0.22, 0.15, 0.1, 0.08];
  else if (problem === Problem.Late) w = [0.12, 0.13, 0.25, 0.25, 0.25];
  else {
    const q = Math.max(0, Math.min(1, (quality - 0.85) / 0.15));
    w = [0.015, 0.015, 0.06 - 0.03 * q, 0.2 - 0.06 * q, 0.7 + 0.09 * q];
  }
  if (picky) w = [w[0] + 0.15, w[1] + 0.2, w[2] + 0.25, w[3] * 0.6, w[4] * 0.25];
  let s = 0;
  for (const x of w) s += x;
  let u = r.next() * s;
  for (let i = 0; i < 5; i++) {
    u -= w[i];
    if (u < 0) return i + 1;
  }
  return 5;
}

function scaledCount(r: Random, x: number): number {
  const f = Math.floor(x);
  return f + (r.chance(x - f) ? 1 : 0);
}
