// 职业差评师: gangs buy across many shops, post fabricated one-star reviews, claim refund-only, and demand money
// in chat to remove the review; some merchants pay, after which the review disappears.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, hex32, residentialIp } from '../ids.ts';
import type { ExtortionKnobs } from '../options.ts';
import {
  EXTORTION_FOLLOWUP,
  extortionDemand,
  extortionReview,
  honestReview,
  MERCHANT_GIVE_IN,
  MERCHANT_REFUSAL,
  Problem,
  REFUND_ONLY_CLAIM,
  REVIEW_REMOVED_BUYER,
} from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  type Listing,
  type Merchant,
  type Mode,
  Net,
  type Placed,
  scaled,
  type Tag,
  type World,
} from '../world.ts';

export const EXTORTION = 'extortion';

interface Gang {
  members: Account[];
  tag: Tag;
  /** Adaptive gangs: the one or two members who ever write in chat (others negotiate off the platform). */
  talkers: Set<Account>;
}

interface Task {
  gang: Gang;
  acc: Account;
  m: Merchant;
  t: number;
  target: boolean;
}

/** Categories where claims of fakes, harm or defects sound plausible get targeted more. */
const TARGET_WEIGHT: Record<string, number> = {
  食品: 3,
  美妆: 3,
  母婴: 2.5,
  服装: 1.5,
  数码: 1.5,
  家居: 1,
  运动: 1,
  图书: 0.5,
  虚拟商品: 0.2,
};

export class Extortion {
  private readonly tasks: Task[][];
  /** Targets another scheme planned as abusive: victims after all if they never acted (see cohorts()). */
  private readonly plannedTargets = new Set<Merchant>();

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: ExtortionKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled) return;
    const targets = this.targets();
    if (targets.length === 0) return;
    for (let g = 0; g < k.gangs; g++) this.setupGang(targets);
  }

  private targets(): Merchant[] {
    const ms = this.w.established().filter((m) => !m.protected);
    const out: Merchant[] = [];
    // Small and mid shops are softer targets; weight by category plausibility.
    const sorted = ms.slice().sort((a, b) => a.pop - b.pop);
    const cut = Math.max(1, Math.floor(sorted.length * 0.85));
    for (const m of sorted.slice(0, cut)) {
      const wgt = TARGET_WEIGHT[CATEGORIES[m.cat].name] ?? 1;
      for (let i = 0; i < Math.round(wgt * 2); i++) out.push(m);
    }
    return out;
  }

  private setupGang(targets: Merchant[]): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const mode: Mode = drawMode(r, k.adaptiveRate);
    const start = w.clock.start;
    const prov = r.int(0, w.natPools.length - 1);
    const n = inRange(r, k.membersPerGang);
    const devices = Array.from({ length: Math.max(1, Math.round(n / 2)) }, () => deviceId(r));
    const homeIps = Array.from({ length: Math.max(1, Math.round(n / 2)) }, () => residentialIp(r));
    const instruments = Array.from({ length: Math.max(1, Math.round(n / 3)) }, () => hex32(r));
    const gang: Gang = { members: [], tag: { scheme: EXTORTION, mode }, talkers: new Set() };
    let city = -1;
    for (let i = 0; i < n; i++) {
      const reg = start - (r.chance(0.2) ? r.int(3, 30) : r.int(30, 700)) * DAY - r.int(0, DAY);
      const shared = r.chance(k.sharedDeviceRate);
      const a = w.newAccount(r, reg, prov, shared ? r.pick(devices) : deviceId(r), r.pick(homeIps));
      if (city < 0) city = a.city;
      a.city = city;
      a.homeIp = a.regIp;
      a.net = r.chance(0.6) ? Net.Home : Net.Mobile;
      if (r.chance(0.5)) a.device2 = r.pick(devices);
      if (r.chance(0.5)) a.inst = r.pick(instruments);
      a.reviewP = 0.3 + 0.3 * r.next();
      a.cats = [r.int(0, CATEGORIES.length - 1), r.int(0, CATEGORIES.length - 1)];
      a.abusive = true;
      w.truth('account', a.id, EXTORTION, mode);
      gang.members.push(a);
    }
    const days = w.opts.days;
    if (mode === 'adaptive') {
      this.planAdaptive(gang, targets);
      return;
    }
    for (const acc of gang.members) {
      const nT = Math.max(1, scaled(r, inRange(r, k.ordersPerMember), days / 30));
      const seen = new Set<Merchant>();
      for (let i = 0; i < nT; i++) {
        let m = r.pick(targets);
        for (let tries = 0; tries < 5 && seen.has(m); tries++) m = r.pick(targets);
        seen.add(m);
        const d = r.int(0, days - 1);
        this.tasks[d].push({ gang, acc, m, t: w.clock.shopTime(r, d), target: true });
      }
      const nC = scaled(r, nT, k.camouflageRate / Math.max(0.05, 1 - k.camouflageRate));
      for (let i = 0; i < nC; i++) {
        const d = r.int(0, days - 1);
        this.tasks[d].push({ gang, acc, m: w.pickMerchant(r, -1), t: w.clock.shopTime(r, d), target: false });
      }
    }
  }

  /**
   * Adaptive gangs cannot hide that they work together: they pick a handful of shops and several members hit
   * each one within a few days, from the gang's shared devices and networks. Only the talkers ever chat.
   */
  private planAdaptive(gang: Gang, targets: Merchant[]): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const days = w.opts.days;
    const nTalk = Math.min(gang.members.length, inRange(r, k.adaptiveTalkers));
    for (const a of r.shuffle(gang.members.slice()).slice(0, nTalk)) gang.talkers.add(a);
    const shops: { m: Merchant; day: number; len: number }[] = [];
    const nShops = Math.max(1, inRange(r, k.adaptiveShopsPerGang));
    for (let tries = 0; shops.length < nShops && tries < nShops * 10; tries++) {
      const m = r.pick(targets);
      if (shops.some((s) => s.m === m)) continue;
      const len = Math.max(1, inRange(r, k.adaptiveHitWindowDays));
      shops.push({ m, day: r.int(0, Math.max(0, days - len)), len });
    }
    for (const acc of gang.members) {
      const nT = Math.max(1, scaled(r, inRange(r, k.ordersPerMember), days / 30));
      const seen = new Set<Merchant>();
      for (let i = 0; i < nT; i++) {
        let s = r.pick(shops);
        for (let tries = 0; tries < 5 && seen.has(s.m); tries++) s = r.pick(shops);
        seen.add(s.m);
        const d = Math.min(days - 1, s.day + r.int(0, s.len - 1));
        this.tasks[d].push({ gang, acc, m: s.m, t: w.clock.shopTime(r, d), target: true });
      }
      const nC = scaled(r, nT, k.camouflageRate / Math.max(0.05, 1 - k.camouflageRate));
      for (let i = 0; i < nC; i++) {
        const d = r.int(0, days - 1);
        this.tasks[d].push({ gang, acc, m: w.pickMerchant(r, -1), t: w.clock.shopTime(r, d), target: false });
      }
    }
  }

  /**
   * At the end: a target another scheme planned but that never acted (so never entered truth) is one more
   * honest victim (a merchant enters truth at its first act, e.g. review_removal's first offer).
   */
  finish(): void {
    for (const m of this.plannedTargets)
      if (!this.w.inTruth('merchant', m.id)) this.w.cohort('merchant', m.id, 'extortion_victim');
  }

  day(d: number): void {
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 600 >= task.t) continue;
      if (task.target && task.gang.tag.mode === 'adaptive') this.adaptiveTarget(task);
      else if (task.target) this.targeted(task);
      else this.h.order(this.r, task.acc, task.t, task.m);
    }
    this.tasks[d] = [];
  }

  /** The gang member's order at the target, labelled; null when it is not delivered in the period. */
  private placeAtTarget(task: Task, l: Listing): Placed | null {
    const w = this.w;
    const r = this.r;
    const { acc, m, t, gang } = task;
    const s = w.login(r, acc, t, 0.8);
    const o = w.orderInput(r, acc, m, [lineFor(w, r, l, t, 0.05)], t, s.device, s.ip);
    o.truth = gang.tag;
    const placed = w.placeOrder(r, o);
    if (!placed.deliveredAt) return null;
    if (!m.abusive) w.cohort('merchant', m.id, 'extortion_victim');
    else this.plannedTargets.add(m);
    return placed;
  }

  private targeted(task: Task): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const { acc, m, t, gang } = task;
    // Cheap to mid-priced goods: pick the cheaper of a few listings.
    let l = w.pickListing(r, m, t);
    const alt = w.pickListing(r, m, t);
    if (l && alt && alt.price < l.price) l = alt;
    if (!l) return;
    const placed = this.placeAtTarget(task, l);
    if (!placed) return;
    const op = w.op(r, m);
    const cat = CATEGORIES[m.cat];
    const demand = r.chance(k.demandRate);
    const threatFirst = demand && r.chance(0.3);
    const pays = demand && r.chance(k.payRate);
    let tReview = 0;
    let reviewId: string | null = null;
    const tDemand = w.clock.awake(r, placed.deliveredAt + r.int(HOUR, 2 * DAY));
    // Some threaten before reviewing and never post if paid; most post first and then ask.
    if (!(threatFirst && pays) && r.chance(0.9)) {
      tReview = threatFirst
        ? tDemand + r.int(6 * HOUR, 2 * DAY)
        : w.clock.awake(r, placed.deliveredAt + r.int(2 * HOUR, 2 * DAY));
      const rs = w.login(r, acc, tReview, 0.4);
      const images = r.chance(0.4) ? r.int(1, 3) : 0;
      reviewId = w.review(
        placed,
        acc,
        tReview,
        r.chance(0.85) ? 1 : 2,
        extortionReview(r, cat),
        images,
        rs.device,
        rs.ip,
        gang.tag,
      );
    }
    if (r.chance(k.refundOnlyRate)) {
      const tr = w.clock.awake(r, placed.deliveredAt + r.int(HOUR, 36 * HOUR));
      const done = r.chance(0.45) ? tr + r.int(HOUR, 2 * DAY) : 0;
      w.refund(placed, tr, placed.paid, r.pick(REFUND_ONLY_CLAIM), done);
    }
    if (!demand) return;
    const at = threatFirst ? tDemand : Math.max(tDemand, tReview + r.int(600, 12 * HOUR));
    const yuan = Math.round(inRange(r, k.demandYuan) / 10) * 10;
    w.message(acc, op, at, extortionDemand(r, yuan), placed.id);
    if (r.chance(0.4)) w.message(acc, op, at + r.int(2 * HOUR, DAY), r.pick(EXTORTION_FOLLOWUP), placed.id);
    const tReply = w.clock.awake(r, at + r.int(600, 8 * HOUR));
    if (!pays) {
      w.message(op, acc, tReply, r.pick(MERCHANT_REFUSAL), placed.id);
      return;
    }
    w.message(op, acc, tReply, r.pick(MERCHANT_GIVE_IN), placed.id);
    // Money sometimes goes to another member's account ("转到这个账号").
    const to = gang.members.length > 1 && r.chance(0.25) ? r.pick(gang.members) : acc;
    const paidAt = tReply + r.int(30, 1800);
    w.transfer(m.ops[0], to, paidAt, yuan * 100, r.pick(['协商补偿', '补偿', '', '赔偿', '售后', '']));
    if (reviewId && tReview < paidAt)
      w.removeReview(reviewId, paidAt + r.int(600, 12 * HOUR), 'buyer', r.pick(REVIEW_REMOVED_BUYER));
  }

  /**
   * Adaptive: buys the cheapest goods, posts a low review that reads like a wronged buyer's, often claims
   * refund-only; the demand happens off the platform unless the member is a talker. A shop that pays sends money
   * to someone in the gang, and the review is then removed by the buyer.
   */
  private adaptiveTarget(task: Task): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const { acc, m, t, gang } = task;
    const l = r.chance(0.7) ? w.cheapest(m, t) : w.pickListing(r, m, t);
    if (!l) return;
    const placed = this.placeAtTarget(task, l);
    if (!placed) return;
    const cat = CATEGORIES[m.cat];
    const tReview = w.clock.awake(r, placed.deliveredAt + r.int(3 * HOUR, 3 * DAY));
    const rs = w.login(r, acc, tReview, 0.4);
    const rating = r.chance(0.6) ? 1 : r.chance(0.8) ? 2 : 3;
    const text = r.chance(0.65)
      ? honestReview(r, cat, rating, r.chance(0.5) ? Problem.Quality : Problem.Damaged, false)
      : extortionReview(r, cat);
    const images = r.chance(0.5) ? r.int(1, 3) : 0;
    const reviewId = w.review(placed, acc, tReview, rating, text, images, rs.device, rs.ip, gang.tag);
    if (r.chance(k.refundOnlyRate)) {
      const tr = w.clock.awake(r, placed.deliveredAt + r.int(HOUR, 36 * HOUR));
      const done = r.chance(0.45) ? tr + r.int(HOUR, 2 * DAY) : 0;
      w.refund(placed, tr, placed.paid, r.pick(REFUND_ONLY_CLAIM), done);
    }
    if (!reviewId || !r.chance(k.demandRate)) return;
    const op = w.op(r, m);
    const at = tReview + r.int(2 * HOUR, 2 * DAY);
    const yuan = Math.round(inRange(r, k.demandYuan) / 10) * 10;
    const talker = gang.talkers.has(acc);
    if (talker) {
      w.message(acc, op, at, extortionDemand(r, yuan), placed.id);
      if (r.chance(0.3)) w.message(acc, op, at + r.int(2 * HOUR, DAY), r.pick(EXTORTION_FOLLOWUP), placed.id);
    }
    if (!r.chance(k.payRate)) {
      if (talker) w.message(op, acc, w.clock.awake(r, at + r.int(600, 8 * HOUR)), r.pick(MERCHANT_REFUSAL));
      return;
    }
    // Paid off the chat record: to the member, or to a collector (a talker or another member).
    const collectors = gang.talkers.size ? [...gang.talkers] : gang.members;
    const to = r.chance(0.5) ? acc : r.pick(collectors);
    const paidAt = w.clock.awake(r, at + r.int(HOUR, 30 * HOUR));
    w.transfer(
      w.op(r, m),
      to,
      paidAt,
      yuan * 100 + (r.chance(0.3) ? r.int(1, 99) : 0),
      r.chance(0.7) ? '' : r.pick(['补偿', '售后', '协商']),
    );
    w.removeReview(
      reviewId,
      paidAt + r.int(600, 20 * HOUR),
      'buyer',
      r.chance(0.6) ? '' : r.pick(REVIEW_REMOVED_BUYER),
    );
  }
}
