// 互刷 (mutual brushing): merchants join a 互刷群 and their own staff, or relatives' and friends' accounts they
// control, buy at the OTHER member shops and praise them, so no shop is ever seen buying from itself. The money
// comes back indirectly: the receiving shop returns the principal to the buyer, or the group settles in rounds
// between members' accounts, or nothing moves at all (A's side buys at B as much as B's side buys at A).
// What stays: a closed group of shops whose buyers are each other's side, reciprocity, good reviews from those
// accounts, cheap goods bought again and again.
// Honest look-alikes (cohorts, never in truth): operator_shopper, staff who genuinely shop at other shops now and
// then (not reciprocal, any rating), and supplier_pair, two shops whose operators pay each other 货款 without
// buying from or reviewing each other.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, residentialIp } from '../ids.ts';
import type { MutualBrushingKnobs } from '../options.ts';
import { DaySchedule } from '../schedule.ts';
import { genericPraise, honestReview, P2P_MEMO, PAYBACK_MEMO, Problem, RELAY_MEMO } from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  lognormal,
  type Merchant,
  Net,
  scaled,
  type Tag,
  type World,
} from '../world.ts';

export const MUTUAL_BRUSHING = 'mutual_brushing';

/** How the buyer shop gets its money back. */
type Money = 'return' | 'settle' | 'treasurer' | 'none';

interface Member {
  m: Merchant;
  /** Accounts of the shop's side that buy at the other members (staff, relatives, sometimes an operator). */
  buyers: Account[];
  /** Money this member's side paid at the others since the last settlement, minus what it took in, fen. */
  balance: number;
}

interface Group {
  tag: Tag;
  members: Member[];
  money: Money;
  fourStar: number;
  /** Adaptive settlement: one member's non-operator account that collects and pays out, and its member. */
  treasurer: Account | null;
  keeper: Member | null;
}

interface Task {
  g: Group;
  buyer: Member;
  seller: Member;
  acc: Account;
  t: number;
}

export class MutualBrushing {
  private readonly tasks: Task[][];
  private readonly schedule: DaySchedule;
  readonly groups: Group[] = [];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: MutualBrushingKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    this.schedule = new DaySchedule(w.opts.days);
    if (!k.enabled || k.groups <= 0) return;
    // Small and mid-sized shops that are no one's victim or look-alike; a group often shares a category.
    const cands = r.shuffle(
      w.established().filter((m) => !m.protected && !m.abusive && !m.cashback && m.ops.length > 0),
    );
    const used = new Set<Merchant>();
    for (let i = 0; i < k.groups; i++) this.setup(cands, used);
  }

  private setup(cands: Merchant[], used: Set<Merchant>): void {
    const r = this.r;
    const k = this.k;
    const free = cands.filter((m) => !used.has(m));
    const n = Math.min(free.length, inRange(r, k.shopsPerGroup));
    if (n < 3) return;
    const mode = drawMode(r, k.adaptiveRate);
    const adaptive = mode === 'adaptive';
    const first = free[0];
    const same = free.filter((m) => m !== first && m.cat === first.cat);
    const rest = free.filter((m) => m !== first && m.cat !== first.cat);
    const shops = [first];
    while (shops.length < n && (same.length || rest.length)) {
      const pool = same.length && (r.chance(0.6) || !rest.length) ? same : rest;
      shops.push(pool.splice(r.int(0, pool.length - 1), 1)[0]);
    }
    if (shops.length < 3) return;
    let money: Money;
    if (adaptive) money = r.chance(k.adaptiveReciprocalRate) ? 'none' : 'treasurer';
    else {
      const u = r.next();
      money = u < k.returnRate ? 'return' : u < k.returnRate + k.settleRate ? 'settle' : 'none';
    }
    const g: Group = {
      tag: { scheme: MUTUAL_BRUSHING, mode },
      members: [],
      money,
      fourStar: adaptive ? inRangeF(r, k.adaptiveFourStarRate) : 0,
      treasurer: null,
      keeper: null,
    };
    const linkRate = adaptive ? inRangeF(r, k.adaptiveLinkedRate) : k.linkedRate;
    for (const m of shops) {
      used.add(m);
      m.abusive = true;
      const mem: Member = { m, buyers: [], balance: 0 };
      for (let i = 0, ns = inRange(r, k.staffPerShop); i < ns; i++) mem.buyers.push(this.staff(m, linkRate));
      // Classic shops sometimes send a declared operator account shopping too.
      if (!adaptive && r.chance(k.operatorBuyRate)) mem.buyers.push(m.ops[0]);
      g.members.push(mem);
    }
    if (money === 'treasurer') {
      // A member's staff account that is not declared: settlement never touches an operator account.
      const keeper = r.pick(g.members);
      g.keeper = keeper;
      g.treasurer = keeper.buyers.find((a) => !keeper.m.ops.includes(a)) ?? this.staff(keeper.m, 0);
    }
    this.groups.push(g);
    this.plan(g, adaptive);
  }

  /** A staff member's or relative's account, sometimes on an operator's phone, address or card. */
  private staff(m: Merchant, linkRate: number): Account {
    const w = this.w;
    const r = this.r;
    const op = r.pick(m.ops);
    const reg = Math.min(w.clock.start - 7 * DAY, m.reg + r.int(-300, 200) * DAY);
    const linked = r.chance(linkRate);
    const a = w.newAccount(r, w.clock.rhythm(r, reg), m.prov, deviceId(r), '');
    a.city = m.city;
    a.homeIp = residentialIp(r);
    a.net = r.chance(0.6) ? Net.Home : Net.Mobile;
    if (linked) {
      // One or two of: the owner's spare phone, the shop's address, its card, the phone contract, the shop Wi-Fi.
      const ways = r.shuffle([0, 1, 2, 3, 4]).slice(0, r.int(1, 2));
      for (const x of ways) {
        if (x === 0) a.device2 = op.device;
        else if (x === 1) a.addr = op.addr;
        else if (x === 2) a.inst = op.inst;
        else if (x === 3) a.phone = op.phone;
        else a.homeIp = op.homeIp;
      }
    }
    a.regIp = w.ipFor(r, a, a.reg);
    a.reviewP = 0.4;
    a.cats = [m.cat, r.int(0, CATEGORIES.length - 1)];
    a.abusive = true;
    return a;
  }

  private plan(g: Group, adaptive: boolean): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const days = w.opts.days;
    const ms = g.members;
    // Which pairs of members trade; each member trades with at least one other, and every pair both ways.
    const share = inRangeF(r, k.pairShare);
    const pairs: [number, number][] = [];
    const has = new Set<number>();
    for (let i = 0; i < ms.length; i++)
      for (let j = i + 1; j < ms.length; j++)
        if (r.chance(share)) {
          pairs.push([i, j]);
          has.add(i).add(j);
        }
    for (let i = 0; i < ms.length; i++) {
      if (has.has(i)) continue;
      let j = r.int(0, ms.length - 2);
      if (j >= i) j++;
      pairs.push([Math.min(i, j), Math.max(i, j)]);
      has.add(i).add(j);
    }
    // Classic groups brush in rounds (a day or two when the 群 posts its list); adaptive ones spread over weeks.
    const rounds = Array.from(
      { length: Math.max(1, scaled(r, inRange(r, k.roundsPerMonth), days / 30)) },
      () => r.int(0, Math.max(0, days - 2)),
    );
    const when = (): number => {
      if (adaptive) return r.int(0, days - 1);
      return Math.min(days - 1, r.pick(rounds) + (r.chance(0.3) ? 1 : 0));
    };
    for (const [i, j] of pairs) {
      // The same number both ways keeps the sums roughly even when no money moves.
      const n = Math.max(1, scaled(r, inRange(r, k.ordersPerPair), days / 30));
      for (const [b, s] of [
        [i, j],
        [j, i],
      ]) {
        for (let x = 0; x < n; x++) {
          const d = when();
          const acc = r.pick(ms[b].buyers);
          const t = adaptive ? w.clock.shopTime(r, d) : w.clock.timeBetween(r, d, 9, 23);
          this.tasks[d].push({ g, buyer: ms[b], seller: ms[s], acc, t });
        }
      }
    }
    // Staff accounts also shop for themselves (adaptive ones more), so not every order is at a member.
    const camo = k.camouflageRate * (adaptive ? 2 : 1);
    for (const mem of ms)
      for (const a of mem.buyers) {
        if (mem.m.ops.includes(a)) continue;
        for (let x = 0, nc = scaled(r, camo * 6, days / 30); x < nc; x++) {
          const d = r.int(0, days - 1);
          this.schedule.at(d, (dd) => {
            const t = w.clock.shopTime(r, dd);
            if (a.reg + 600 < t) this.h.order(r, a, t, null);
          });
        }
      }
    if (g.money === 'settle' || g.money === 'treasurer') {
      const every = adaptive ? r.int(7, 14) : 7;
      for (let d = every - 1; d < days; d += every) this.schedule.at(d, (dd) => this.settle(g, dd));
    }
  }

  day(d: number): void {
    for (const task of this.tasks[d]) if (task.acc.reg + 600 < task.t) this.fakeOrder(task);
    this.tasks[d] = [];
    this.schedule.run(d);
  }

  private fakeOrder(task: Task): void {
    const w = this.w;
    const r = this.r;
    const { g, buyer, seller, acc, t } = task;
    const adaptive = g.tag.mode === 'adaptive';
    const m = seller.m;
    // Cheap goods: the buyer shop pays for them first, so members keep the sums small.
    const l = r.chance(adaptive ? 0.45 : 0.7) ? w.cheapest(m, t) : w.pickListing(r, m, t);
    if (!l) return;
    const s = w.login(r, acc, t, adaptive ? 0.7 : 0.85);
    const o = w.orderInput(r, acc, m, [lineFor(w, r, l, t, adaptive ? 0.1 : 0)], t, s.device, s.ip);
    o.truth = g.tag;
    if (!adaptive) {
      o.payDelay = r.int(5, 180);
      // Nothing needs to travel between shops that know each other: often a light token parcel.
      if (!l.item.virtual && r.chance(0.3)) o.weight = r.int(30, 200);
    }
    const placed = w.placeOrder(r, o);
    w.truth('account', acc.id, MUTUAL_BRUSHING, g.tag.mode);
    w.truth('merchant', buyer.m.id, MUTUAL_BRUSHING, g.tag.mode);
    if (!placed.paidAt) return;
    buyer.balance += placed.paid;
    seller.balance -= placed.paid;
    let after = placed.paidAt;
    if (placed.deliveredAt && r.chance(this.k.reviewRate)) {
      const delay = adaptive ? lognormal(r, 30 * HOUR, 0.9) : r.int(600, 12 * HOUR);
      const tr = w.clock.awake(r, placed.deliveredAt + Math.round(Math.min(8 * DAY, delay)) + 300);
      const rs = w.login(r, acc, tr, 0.4);
      const rating = adaptive && r.chance(g.fourStar) ? 4 : 5;
      const text =
        adaptive || r.chance(0.5)
          ? honestReview(r, CATEGORIES[m.cat], rating, Problem.None, false)
          : genericPraise(r);
      const images = r.chance(adaptive ? 0.24 : 0.4) ? r.int(1, 4) : 0;
      if (w.review(placed, acc, tr, rating, text, images, rs.device, rs.ip, g.tag)) after = tr;
    }
    if (g.money !== 'return') return;
    // The receiving shop hands the principal back to the buyer (not a refund: the order stays a sale).
    const at = w.clock.awake(r, after + r.int(HOUR, 2 * DAY));
    if (w.transfer(w.op(r, m), acc, at, placed.paid, r.pick(PAYBACK_MEMO))) {
      w.truth('merchant', m.id, MUTUAL_BRUSHING, g.tag.mode);
      buyer.balance -= placed.paid;
      seller.balance += placed.paid;
    }
  }

  /** Nets the group's balances: members that took in more than their side spent pay those that spent more. */
  private settle(g: Group, d: number): void {
    const w = this.w;
    const r = this.r;
    const adaptive = g.tag.mode === 'adaptive';
    const owe = g.members.filter((x) => x.balance < -500).sort((a, b) => a.balance - b.balance);
    const due = g.members.filter((x) => x.balance > 500).sort((a, b) => b.balance - a.balance);
    // Classic: operator to operator; adaptive: through the treasurer, from and to non-operator accounts.
    const side = (x: Member): Account =>
      adaptive ? (x.buyers.find((a) => !x.m.ops.includes(a)) ?? x.m.ops[0]) : x.m.ops[0];
    let t = w.clock.timeBetween(r, d, 20, 23);
    const pay = (from: Account, to: Account, amount: number, payer: Member): boolean => {
      if (from === to) return true;
      t += r.int(60, 40 * 60);
      const fen = adaptive ? Math.max(100, Math.round(amount / 1000) * 1000) : amount;
      if (!w.transfer(from, to, t, fen, r.pick(adaptive ? P2P_MEMO : RELAY_MEMO))) return false;
      w.truth('merchant', payer.m.id, MUTUAL_BRUSHING, g.tag.mode);
      if (!payer.m.ops.includes(from)) w.truth('account', from.id, MUTUAL_BRUSHING, g.tag.mode);
      return true;
    };
    for (const debtor of owe) {
      for (const creditor of due) {
        if (debtor.balance >= 0) break;
        const amount = Math.min(-debtor.balance, creditor.balance);
        if (amount <= 500) continue;
        const keeper = g.keeper;
        if (g.treasurer && keeper) {
          if (!pay(side(debtor), g.treasurer, amount, debtor)) continue;
          pay(g.treasurer, side(creditor), amount, keeper);
        } else if (!pay(side(debtor), side(creditor), amount, debtor)) continue;
        debtor.balance += amount;
        creditor.balance -= amount;
      }
    }
  }
}

/**
 * Honest look-alikes of 互刷, on their own stream: staff (linked to a declared operator as often as brushing
 * staff are) who shop at other shops now and then, not reciprocated, rated like anyone; and pairs of shops
 * whose operators pay each other for goods (货款) without buying from or reviewing each other.
 */
export class MutualLookalikes {
  private readonly schedule: DaySchedule;
  private readonly planted: ['account' | 'merchant', string, string][] = [];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    k: MutualBrushingKnobs,
  ) {
    this.schedule = new DaySchedule(w.opts.days);
    if (!k.enabled) return;
    const honest = r.shuffle(
      w.established().filter((m) => !m.protected && !m.abusive && !m.cashback && m.ops.length > 0),
    );
    let i = 0;
    for (let n = 0; n < k.operatorShoppers && i < honest.length; n++) this.shopper(honest[i++]);
    for (let n = 0; n < k.supplierPairs && i + 1 < honest.length; n++)
      this.suppliers(honest[i++], honest[i++]);
  }

  /** A shop's staff account that shops elsewhere for itself: a few shops, sometimes a favourite one. */
  private shopper(m: Merchant): void {
    const w = this.w;
    const r = this.r;
    const op = r.pick(m.ops);
    const a = w.newAccount(
      r,
      w.clock.rhythm(r, w.clock.start - r.int(30, 900) * DAY),
      m.prov,
      deviceId(r),
      '',
    );
    a.city = m.city;
    a.homeIp = residentialIp(r);
    a.net = r.chance(0.6) ? Net.Home : Net.Mobile;
    for (const x of r.shuffle([0, 1, 2, 3, 4]).slice(0, r.chance(0.75) ? r.int(1, 2) : 0)) {
      if (x === 0) a.device2 = op.device;
      else if (x === 1) a.addr = op.addr;
      else if (x === 2) a.inst = op.inst;
      else if (x === 3) a.phone = op.phone;
      else a.homeIp = op.homeIp;
    }
    a.regIp = w.ipFor(r, a, a.reg);
    a.cats = [m.cat, r.int(0, CATEGORIES.length - 1)];
    this.planted.push(['account', a.id, 'operator_shopper'], ['merchant', m.id, 'operator_shopper']);
    let favourite: Merchant | null = null;
    if (r.chance(0.4)) {
      const f = w.pickMerchant(r, r.chance(0.5) ? m.cat : -1);
      if (f !== m) favourite = f;
    }
    const days = w.opts.days;
    for (let x = 0, n = scaled(r, r.int(2, 6), days / 30); x < n; x++) {
      this.schedule.at(r.int(0, days - 1), (d) => {
        const t = w.clock.shopTime(r, d);
        if (a.reg + 600 >= t) return;
        const to = favourite && r.chance(0.5) ? favourite : w.pickMerchant(r, r.pick(a.cats));
        // An operator's own account now and then (the order is a sale like any other).
        this.h.order(r, r.chance(0.2) ? op : a, t, to === m ? null : to);
      });
    }
  }

  /** Two shops in business with each other: goods paid for between operators, both ways, no orders. */
  private suppliers(a: Merchant, b: Merchant): void {
    const w = this.w;
    const r = this.r;
    a.protected = true;
    b.protected = true;
    this.planted.push(['merchant', a.id, 'supplier_pair'], ['merchant', b.id, 'supplier_pair']);
    const days = w.opts.days;
    for (const [from, to, n] of [
      [a, b, r.int(2, 5)],
      [b, a, r.int(1, 3)],
    ] as const) {
      for (let x = 0, nx = scaled(r, n, days / 30); x < nx; x++) {
        this.schedule.at(r.int(0, days - 1), (d) => {
          const yuan = Math.round(lognormal(r, 3000, 0.9));
          w.transfer(
            w.op(r, from),
            w.op(r, to),
            w.clock.timeBetween(r, d, 9, 19),
            Math.max(10_000, yuan * 100),
            r.pick(SUPPLIER_MEMO),
          );
        });
      }
    }
  }

  /** Cohorts; no subject a scheme put in truth is ever emitted. */
  cohorts(): void {
    for (const [kind, id, cohort] of this.planted)
      if (!this.w.inTruth(kind, id)) this.w.cohort(kind, id, cohort);
  }

  day(d: number): void {
    this.schedule.run(d);
  }
}

const SUPPLIER_MEMO = ['货款', '货款', '结算', '对账', '', '进货款', '退货款', '预付款'];
