// Honest look-alikes added with the adaptive modes: silent compensators, angry buyers in a bad week, friends who
// share a phone, buyers who remove a low review after a genuine fix, genuine label complaints, staff purchases and
// ordinary listing refreshes. They draw from their own stream, forked after the schemes, and plant nothing at 0.
import type { Random } from '../platform/random.ts';
import { CATEGORIES } from './catalog.ts';
import { DAY, HOUR } from './clock.ts';
import { type Honest, lineFor } from './honest.ts';
import { deviceId } from './ids.ts';
import { DaySchedule } from './schedule.ts';
import {
  APOLOGY,
  CANCEL_SELF,
  complaint,
  honestReview,
  LOOKALIKE_FIX,
  LOOKALIKE_LABEL_REFUND,
  Problem,
  REFUND_PROBLEM,
  REVIEW_REMOVED_BUYER,
  TITLE_REFRESH,
} from './text.ts';
import { type Account, type Listing, type Merchant, type Placed, scaled, type World } from './world.ts';

const FOOD_OR_BEAUTY = new Set(['食品', '美妆', '母婴']);

/** What every kind of look-alike below has: the world, the honest buyers, its own stream and its planned days. */
abstract class LookalikeActor {
  protected readonly jobs: DaySchedule;

  constructor(
    protected readonly w: World,
    protected readonly h: Honest,
    protected readonly r: Random,
  ) {
    this.jobs = new DaySchedule(w.opts.days);
  }

  /** Runs what was planned for day `d`. */
  day(d: number): void {
    this.jobs.run(d);
  }
}

export class Lookalikes extends LookalikeActor {
  /** Merchants that compensate by transfer without a word in chat. */
  private readonly silent = new Set<Merchant>();

  constructor(w: World, h: Honest, r: Random) {
    super(w, h, r);
    const b = w.opts.baseline;
    if (!b.moreLookalikes) return;
    const days = w.opts.days;
    const f = days / 30;
    const honestMerchants = w.established().filter((m) => !m.abusive && !m.cashback);
    if (b.silentCompensatorShare > 0) {
      for (const m of honestMerchants)
        if (r.chance(b.silentCompensatorShare) && !m.compensator) this.silent.add(m);
      for (const m of this.silent) m.protected = true;
    }
    const buyers = () => this.honestBuyer();
    for (let i = 0, n = scaled(r, b.angryBuyers, f); i < n; i++) this.angry(buyers());
    for (let i = 0, n = scaled(r, b.sharedDeviceFriends, f); i < n; i++) this.friends();
    for (let i = 0, n = scaled(r, b.fixedReviewRemovals, f); i < n; i++)
      this.jobs.at(r.int(0, days - 1), (d) => this.fixed(d));
    for (let i = 0, n = scaled(r, b.genuineClaims, f); i < n; i++)
      this.jobs.at(r.int(0, days - 1), (d) => this.claim(d));
    if (honestMerchants.length) {
      for (let i = 0; i < b.staffPurchases; i++) this.staff(r.pick(honestMerchants));
      for (let i = 0; i < b.listingRefreshes; i++) this.refresh(r.pick(honestMerchants));
    }
  }

  private honestBuyer(): Account {
    for (let k = 0; k < 20; k++) {
      const a = this.h.sampleBuyer(this.r);
      if (!a.abusive && a.reg < this.w.clock.start) return a;
    }
    return this.w.buyers.find((a) => !a.abusive && a.reg < this.w.clock.start) ?? this.w.buyers[0];
  }

  private honestShop(cats?: Set<string>): Merchant | null {
    const w = this.w;
    for (let k = 0; k < 20; k++) {
      const m = w.pickMerchant(this.r, -1);
      if (m.abusive || m.reg >= w.clock.start) continue;
      if (cats && !cats.has(CATEGORIES[m.cat].name) && k < 15) continue;
      return m;
    }
    return null;
  }

  /** A plain order by `a` at `m`, on `device` if given, without the honest aftermath. */
  private place(a: Account, m: Merchant, t: number, device?: string, cheap = false): Placed | null {
    const w = this.w;
    const r = this.r;
    if (a.reg + 600 >= t) return null;
    const l: Listing | null = cheap ? w.cheapest(m, t) : w.pickListing(r, m, t);
    if (!l) return null;
    const s = w.login(r, a, t);
    return w.placeOrder(r, w.orderInput(r, a, m, [lineFor(w, r, l, t)], t, device ?? s.device, s.ip));
  }

  /** Compensation without chat: a small transfer, usually with no memo. Called from the honest aftermath. */
  compensates(m: Merchant): boolean {
    return this.silent.has(m);
  }

  silentCompensation(o: Placed, a: Account, after: number): void {
    const w = this.w;
    const r = this.r;
    if (!r.chance(0.6)) return;
    const m = o.input.m;
    const yuan = Math.max(2, Math.min(40, Math.round(o.paid / 100 / r.int(4, 20))));
    const fen = yuan * 100 + (r.chance(0.3) ? r.pick([50, 88, 66]) : 0);
    w.transfer(
      m.ops[0],
      a,
      w.clock.awake(r, after + r.int(HOUR, 2 * DAY)),
      fen,
      r.chance(0.75) ? '' : '补偿',
    );
    w.cohort('merchant', m.id, 'compensating_merchant');
    if (!a.abusive) w.cohort('account', a.id, 'compensated_buyer');
  }

  /** A bad week: several orders at different shops, low ratings, refund claims, complaints but no demands. */
  private angry(a: Account): void {
    const r = this.r;
    const days = this.w.opts.days;
    const d0 = r.int(0, Math.max(0, days - 7));
    this.w.cohort('account', a.id, 'bad_week_buyer');
    for (let i = 0, n = r.int(3, 6); i < n; i++) {
      this.jobs.at(d0 + r.int(0, Math.min(6, days - 1 - d0)), (d) => {
        const m = this.honestShop();
        if (!m) return;
        const o = this.place(a, m, this.w.clock.shopTime(r, d));
        if (o) this.unhappy(a, o, r.chance(0.6), r.chance(0.5));
      });
    }
  }

  /** A low review after a real problem, maybe a complaint in chat and a refund; returns the review id. */
  private unhappy(a: Account, o: Placed, refund: boolean, complain: boolean): [string, number] | null {
    const w = this.w;
    const r = this.r;
    if (!o.deliveredAt) return null;
    const m = o.input.m;
    const problem = o.virtual ? Problem.Quality : r.pick([Problem.Quality, Problem.Damaged, Problem.Quality]);
    const op = w.op(r, m);
    if (complain) {
      const tc = w.clock.awake(r, o.deliveredAt + r.int(1800, 20 * HOUR));
      w.message(a, op, tc, complaint(r, problem), o.id);
      w.message(op, a, tc + r.int(60, 3 * HOUR), r.pick(APOLOGY), o.id);
    }
    if (refund) {
      const t = w.clock.awake(r, o.deliveredAt + r.int(HOUR, 2 * DAY));
      w.refund(o, t, o.paid, r.pick(REFUND_PROBLEM[problem]), r.chance(0.8) ? t + r.int(HOUR, 3 * DAY) : 0);
    }
    const tr = w.clock.awake(r, o.deliveredAt + r.int(2 * HOUR, 3 * DAY));
    const rating = r.chance(0.6) ? 1 : 2;
    const s = w.login(r, a, tr, 0.3);
    const images = r.chance(0.5) ? r.int(1, 3) : 0;
    const id = w.review(
      o,
      a,
      tr,
      rating,
      honestReview(r, CATEGORIES[m.cat], rating, problem, false),
      images,
      s.device,
      s.ip,
      null,
    );
    return id ? [id, tr] : null;
  }

  /** Friends or family on one phone, buying at the same shop within a few days. */
  private friends(): void {
    const w = this.w;
    const r = this.r;
    const group = Array.from({ length: r.int(2, 4) }, () => this.honestBuyer());
    const uniq = [...new Set(group)];
    if (uniq.length < 2) return;
    const phone = deviceId(r);
    for (const a of uniq) {
      a.device2 = phone;
      w.cohort('account', a.id, 'shared_phone_friends');
    }
    const m = this.honestShop();
    if (!m) return;
    const d0 = r.int(0, w.opts.days - 1);
    for (const a of uniq) {
      this.jobs.at(Math.min(w.opts.days - 1, d0 + r.int(0, 3)), (d) => {
        const o = this.place(a, m, w.clock.shopTime(r, d), phone);
        if (o) this.h.aftermath(r, o, a);
      });
    }
  }

  /** A genuine problem, fixed by a refund or a resend (no money to the buyer), then the buyer removes the review. */
  private fixed(d: number): void {
    const w = this.w;
    const r = this.r;
    const a = this.honestBuyer();
    const m = this.honestShop();
    if (!m) return;
    const o = this.place(a, m, w.clock.shopTime(r, d));
    if (!o?.deliveredAt) return;
    const posted = this.unhappy(a, o, false, false);
    if (!posted) return;
    const [rid, tr] = posted;
    const op = w.op(r, m);
    const tf = w.clock.awake(r, tr + r.int(2 * HOUR, 2 * DAY));
    if (r.chance(0.5)) {
      w.refund(
        o,
        tf,
        r.chance(0.5) ? o.paid : Math.round(o.paid * 0.4),
        r.pick(REFUND_PROBLEM[Problem.Quality]),
        tf + r.int(HOUR, DAY),
      );
    }
    if (r.chance(0.6)) w.message(op, a, tf + r.int(60, HOUR), r.pick(LOOKALIKE_FIX), o.id);
    w.removeReview(rid, tf + r.int(DAY, 4 * DAY), 'buyer', r.chance(0.5) ? '' : r.pick(REVIEW_REMOVED_BUYER));
    w.cohort('account', a.id, 'fixed_then_removed');
  }

  /** Cheap food or cosmetics with a real label problem; one refund request, no compensation demand. */
  private claim(d: number): void {
    const w = this.w;
    const r = this.r;
    const a = this.honestBuyer();
    const m = this.honestShop(FOOD_OR_BEAUTY);
    if (!m) return;
    const o = this.place(a, m, w.clock.shopTime(r, d), undefined, true);
    if (!o?.deliveredAt) return;
    const t = w.clock.awake(r, o.deliveredAt + r.int(2 * HOUR, 3 * DAY));
    w.refund(o, t, o.paid, r.pick(LOOKALIKE_LABEL_REFUND), r.chance(0.7) ? t + r.int(HOUR, 3 * DAY) : 0);
    if (r.chance(0.5)) {
      const tr = w.clock.awake(r, t + r.int(HOUR, DAY));
      const rating = r.int(1, 3);
      const s = w.login(r, a, tr, 0.3);
      w.review(
        o,
        a,
        tr,
        rating,
        honestReview(r, CATEGORIES[m.cat], rating, Problem.Quality, false),
        0,
        s.device,
        s.ip,
        null,
      );
    }
    w.cohort('account', a.id, 'genuine_claim');
  }

  /** A shop's staff or their family buy from it on a phone an operator also uses; no review pay-back. */
  private staff(m: Merchant): void {
    const w = this.w;
    const r = this.r;
    const op = m.ops[0];
    const a = this.honestBuyer();
    a.device2 = op.device;
    w.cohort('merchant', m.id, 'staff_purchase');
    w.cohort('account', a.id, 'staff_purchase');
    for (let i = 0, n = r.int(1, 3); i < n; i++) {
      this.jobs.at(r.int(0, w.opts.days - 1), (d) => {
        const o = this.place(a, m, w.clock.shopTime(r, d), op.device);
        if (o) this.h.aftermath(r, o, a);
      });
    }
  }

  /** Ordinary title and price edits of a listing that sells well (新款, 包邮, a price cut). */
  private refresh(m: Merchant): void {
    const w = this.w;
    const r = this.r;
    const ls = m.listings.filter((l) => l.pub < w.clock.start && !l.alt && !l.flagged);
    if (!ls.length) return;
    const l = r.pick(ls);
    w.cohort('listing', l.id, 'listing_refresh');
    this.jobs.at(r.int(0, w.opts.days - 1), (d) => {
      const t = w.clock.timeBetween(r, d, 9, 22);
      if (!w.available(l, t) || l.pendingAt > 0 || l.alt || l.flagged) return;
      l.title = r.chance(0.5) ? `${r.pick(TITLE_REFRESH)}${l.title}` : `${l.title} ${r.pick(TITLE_REFRESH)}`;
      if (r.chance(0.6)) {
        l.pendingPrice = Math.max(100, Math.round((l.price * (0.85 + 0.25 * r.next())) / 10) * 10);
        l.pendingAt = t;
      }
      w.emit(t, 'listing.updated', w.listingData(l, t));
    });
  }
}

/**
 * Honest look-alikes of 恶意拍下不付款: buyers who often leave orders unpaid or cancel them (comparing shops,
 * failed payments, a favourite shop they hesitate at) and limited-stock releases where many honest buyers order
 * at once and a large share time out unpaid. Their own stream, forked after every scheme's; nothing at 0.
 */
export class UnpaidLookalikes extends LookalikeActor {
  private readonly abandoners: Account[] = [];
  private readonly drops: Merchant[] = [];

  constructor(w: World, h: Honest, r: Random) {
    super(w, h, r);
    const b = w.opts.baseline;
    if (!b.moreLookalikes) return;
    const days = w.opts.days;
    const shops = r.shuffle(
      w.established().filter((m) => !m.abusive && !m.protected && !m.cashback && !m.light),
    );
    for (let i = 0; i < b.hotDrops && i < shops.length; i++) {
      const m = shops[i];
      m.protected = true;
      this.drops.push(m);
      const d = r.int(0, days - 1);
      this.jobs.at(d, (dd) => this.hotDrop(m, dd));
    }
    for (let i = 0, n = scaled(r, b.cartAbandoners, days / 30); i < n; i++) {
      const a = this.h.sampleBuyer(r);
      if (a.abusive || a.reg >= w.clock.start || this.abandoners.includes(a)) continue;
      this.abandoners.push(a);
      // A favourite shop some of them hesitate at again and again.
      const fav = r.chance(0.4) ? w.pickMerchant(r, a.cats.length ? r.pick(a.cats) : -1) : null;
      for (let k = 0, ns = r.int(3, 8); k < ns; k++) {
        const d = r.int(0, days - 1);
        this.jobs.at(d, (dd) => this.abandon(a, fav, dd));
      }
    }
  }

  cohorts(): void {
    for (const a of this.abandoners) if (!a.abusive) this.w.cohort('account', a.id, 'cart_abandoner');
    for (const m of this.drops) if (!m.abusive) this.w.cohort('merchant', m.id, 'hot_drop');
  }

  /** An order left unpaid: cancelled by the buyer (an ordinary reason) or by the payment timeout. */
  private unpaid(a: Account, l: Listing, t: number, timeoutMin: [number, number], qtyP = 0.2): void {
    const w = this.w;
    const r = this.r;
    if (a.reg + 600 >= t || !w.available(l, t)) return;
    const s = w.login(r, a, t);
    const o = w.orderInput(r, a, l.m, [lineFor(w, r, l, t, qtyP)], t, s.device, s.ip);
    o.unpaidCancel = true;
    if (r.chance(0.45)) {
      o.cancelAt = t + r.int(60, 2 * HOUR);
      o.cancelReason = r.pick(CANCEL_SELF);
    } else {
      o.cancelAt = t + r.int(timeoutMin[0] * 60, timeoutMin[1] * 60);
      o.cancelReason = r.chance(0.7) ? '超时未支付' : '买家未付款';
    }
    w.placeOrder(r, o);
  }

  /** A session of a buyer who leaves orders unpaid: comparing shops, a failed payment, or hesitation. */
  private abandon(a: Account, fav: Merchant | null, d: number): void {
    const w = this.w;
    const r = this.r;
    const t = w.clock.shopTime(r, d);
    const u = r.next();
    if (fav && u < 0.35) {
      // Hesitation at the favourite shop: one or two orders there, left unpaid.
      for (let i = 0, n = r.int(1, 2); i < n; i++) {
        const l = w.pickListing(r, fav, t);
        if (l) this.unpaid(a, l, t + i * r.int(60, 900), [15, 24 * 60], 0.3);
      }
      return;
    }
    if (u < 0.7) {
      // Comparing: the same kind of goods ordered at two or three shops, at most one of them paid.
      const cat = a.cats.length && r.chance(0.8) ? r.pick(a.cats) : -1;
      const shops = new Set<Merchant>();
      for (let i = 0, n = r.int(2, 3); i < n; i++) shops.add(w.pickMerchant(r, cat));
      let at = t;
      const list = [...shops];
      const keep = r.chance(0.6) ? r.int(0, list.length - 1) : -1;
      for (let i = 0; i < list.length; i++) {
        at += r.int(60, 20 * 60);
        if (i === keep) this.h.order(r, a, at, list[i]);
        else {
          const l = w.pickListing(r, list[i], at);
          if (l) this.unpaid(a, l, at, [15, 24 * 60]);
        }
      }
      return;
    }
    // A failed payment: the order times out, and the buyer orders again and pays (or gives up).
    const m = a.lastMerchant ?? w.pickMerchant(r, a.cats.length ? r.pick(a.cats) : -1);
    const l = w.pickListing(r, m, t);
    if (!l) return;
    this.unpaid(a, l, t, [15, 60]);
    if (r.chance(0.7)) this.h.order(r, a, t + r.int(HOUR + 600, 5 * HOUR), m, l);
  }

  /** A limited-stock release: many honest buyers order within minutes, a large share time out unpaid. */
  private hotDrop(m: Merchant, d: number): void {
    const w = this.w;
    const r = this.r;
    const start = w.clock.timeBetween(r, d, r.chance(0.5) ? 10 : 20, 20.01);
    const l = m.listings.filter((x) => w.available(x, start)).sort((x, y) => y.pop - x.pop)[0];
    if (!l) return;
    const n = Math.max(40, Math.round((250 * w.opts.buyers) / 100_000));
    const unpaidShare = 0.35 + 0.35 * r.next();
    for (let i = 0; i < n; i++) {
      const a = this.h.sampleBuyer(r);
      const t = start + Math.floor(r.next() ** 2 * 40 * 60);
      if (a.reg + 600 >= t) continue;
      if (r.chance(unpaidShare)) {
        this.unpaid(a, l, t, [15, 30], 0.3);
        // Some try again once the held stock comes back.
        if (r.chance(0.25)) this.h.order(r, a, t + r.int(40 * 60, 3 * HOUR), m, l);
      } else this.h.order(r, a, t, m, l);
    }
  }
}

/**
 * Regular customers (回购): an honest buyer who reorders the same cheap everyday item at one favourite shop every
 * few days, on its own phone, and reviews as honest buyers do. Every order of theirs at the shop is one of
 * few, cheap and from one buyer: what a brushing account's orders look like at its client shop. Their own
 * stream, forked after every other; nothing at 0.
 */
export class RegularBuyers extends LookalikeActor {
  private readonly regulars: Array<[Account, Merchant]> = [];

  constructor(w: World, h: Honest, r: Random) {
    super(w, h, r);
    const b = w.opts.baseline;
    if (!b.moreLookalikes) return;
    const days = w.opts.days;
    const taken = new Set<Account>();
    const n = scaled(r, b.regularBuyers, days / 30);
    for (let tries = 0; this.regulars.length < n && tries < 20 * n; tries++) {
      const a = h.sampleBuyer(r);
      if (a.abusive || a.reg >= w.clock.start || taken.has(a)) continue;
      const m = w.pickMerchant(r, a.cats.length ? r.pick(a.cats) : -1);
      if (m.abusive || m.reg >= w.clock.start) continue;
      taken.add(a);
      this.regulars.push([a, m]);
      // Every 3–9 days from a random start, so a 30-day market has three to eight orders of each.
      const every = r.int(3, 9);
      for (let d = r.int(0, every); d < days; d += every + r.int(-1, 1))
        this.jobs.at(d, (dd) => this.reorder(a, m, dd));
    }
  }

  cohorts(): void {
    for (const [a, m] of this.regulars) {
      this.w.cohort('account', a.id, 'regular_buyer');
      if (!m.abusive) this.w.cohort('merchant', m.id, 'regular_customers');
    }
  }

  private reorder(a: Account, m: Merchant, d: number): void {
    const w = this.w;
    const r = this.r;
    const t = w.clock.shopTime(r, d);
    const l = w.cheapest(m, t);
    if (!l || a.reg + 600 >= t) return;
    const s = w.login(r, a, t);
    const o = w.placeOrder(r, w.orderInput(r, a, m, [lineFor(w, r, l, t)], t, s.device, s.ip));
    if (o) this.h.aftermath(r, o, a);
  }
}
