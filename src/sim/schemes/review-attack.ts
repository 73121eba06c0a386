// 恶意差评 / 反向刷单: a merchant hires fresh linked accounts to bury a competitor under one-star reviews in a
// short window. The instigator and attackers are abusive; the victim is an honest merchant (never in truth).
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, prefix24, residentialIp } from '../ids.ts';
import type { ReviewAttackKnobs } from '../options.ts';
import {
  attackReview,
  honestReview,
  PAYBACK_MEMO,
  Problem,
  REFUND_ONLY_CLAIM,
  REFUND_RETURN,
  RELAY_MEMO,
} from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  lognormal,
  type Merchant,
  Net,
  type Placed,
  type Tag,
  type World,
} from '../world.ts';
import { pickVictimAndRival } from './victims.ts';

export const REVIEW_ATTACK = 'review_attack';

interface Attack {
  victim: Merchant;
  instigator: Merchant;
  payer: Account;
  pay: number;
  tag: Tag;
}

interface Task {
  attack: Attack;
  acc: Account;
  t: number;
  camouflage: boolean;
}

export class ReviewAttack {
  private readonly tasks: Task[][];
  /** Victims, exported as a cohort and checked by tests. */
  readonly victims: Merchant[] = [];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: ReviewAttackKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled) return;
    for (let i = 0; i < k.attacks; i++) this.setup();
  }

  private setup(): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const mode = drawMode(r, k.adaptiveRate);
    const tag: Tag = { scheme: REVIEW_ATTACK, mode };
    // Victims are shops worth attacking: above-median popularity, with a rival in the same category.
    const picked = pickVictimAndRival(
      r,
      w.established().filter((m) => !m.protected),
      { skew: 1.5, top: 0.5, victimOk: (v) => !v.abusive && !v.protected, rivalOk: (m) => !m.protected },
    );
    if (!picked) return;
    const { victim, instigator } = picked;
    victim.protected = true;
    this.victims.push(victim);
    instigator.abusive = true;
    w.truth('merchant', instigator.id, REVIEW_ATTACK, mode);
    const days = w.opts.days;
    if (mode === 'adaptive') {
      this.setupAdaptive(victim, instigator, tag);
      return;
    }
    // Early enough that deliveries and reviews land inside the period.
    const day0 = r.int(0, Math.max(0, days - 8));
    const t0 = w.clock.dayStart(day0) + r.int(9 * HOUR, 20 * HOUR);
    const window = inRangeF(r, k.windowHours) * HOUR;
    const n = inRange(r, k.attackersPerAttack);
    const prov = r.int(0, w.natPools.length - 1);
    const devices = Array.from({ length: inRange(r, k.devicesPerAttack) }, () =>
      deviceId(r, r.chance(0.8) ? 'android' : 'ios'),
    );
    const netMode = r.next();
    const pool =
      netMode < 0.5
        ? Array.from({ length: r.int(1, 2) }, () => prefix24(r, r.chance(0.6) ? 'datacenter' : 'residential'))
        : null;
    const net = pool ? Net.Pool : netMode < 0.8 ? Net.Mobile : Net.Proxy;
    let payer = instigator.ops[0];
    if (r.chance(k.intermediaryRate)) {
      payer = w.newAccount(
        r,
        w.clock.start - r.int(60, 800) * DAY,
        instigator.prov,
        deviceId(r),
        residentialIp(r),
      );
      payer.abusive = true;
      w.truth('account', payer.id, REVIEW_ATTACK, mode);
    }
    const attack: Attack = { victim, instigator, payer, pay: inRange(r, k.payYuan) * 100, tag };
    // Fresh accounts, registered in a few tight bursts from the shared devices shortly before the attack.
    let regT = t0 - inRange(r, k.freshDays) * DAY;
    const attackers: Account[] = [];
    for (let i = 0; i < n; i++) {
      if (i % r.int(3, 8) === 0) regT += r.int(0, 2) * HOUR;
      regT += r.int(40, 20 * 60);
      const reg = Math.min(regT, t0 - 2 * HOUR);
      const dev = r.pick(devices);
      const a = w.newAccount(r, reg, prov, dev, '');
      a.net = net;
      a.pool = pool;
      a.regIp = w.ipFor(r, a, reg);
      a.device2 = r.chance(0.3) ? r.pick(devices) : null;
      a.reviewP = 0.3;
      a.cats = [victim.cat];
      a.abusive = true;
      w.truth('account', a.id, REVIEW_ATTACK, mode);
      attackers.push(a);
      const t = t0 + Math.floor(r.next() * window);
      const d = w.clock.dayOf(t);
      if (d < days) this.tasks[d].push({ attack, acc: a, t, camouflage: false });
      if (r.chance(0.15)) {
        const tc = Math.max(reg + HOUR, t - r.int(2 * HOUR, DAY));
        const dc = w.clock.dayOf(tc);
        if (dc >= 0 && dc < days) this.tasks[dc].push({ attack, acc: a, t: tc, camouflage: true });
      }
    }
    if (payer !== instigator.ops[0]) {
      // The intermediary is funded once, up front, for the whole attack.
      const lumpT = t0 - r.int(2 * HOUR, 2 * DAY);
      w.transfer(instigator.ops[0], payer, lumpT, n * (attack.pay + 3000), r.pick(RELAY_MEMO));
    }
  }

  /**
   * Adaptive: a mix of fresh and aged accounts, most on their own devices and home or mobile networks, ordering
   * over several days at ordinary hours; ratings of 1-3 with text like a disappointed buyer's; paid days later,
   * mostly through an intermediary.
   */
  private setupAdaptive(victim: Merchant, instigator: Merchant, tag: Tag): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const days = w.opts.days;
    const spread = Math.max(1, inRange(r, k.adaptiveWindowDays));
    const day0 = r.int(0, Math.max(0, days - spread - 6));
    const n = inRange(r, k.attackersPerAttack);
    const prov = r.int(0, w.natPools.length - 1);
    const devices = Array.from({ length: inRange(r, k.devicesPerAttack) }, () => deviceId(r));
    const aged = inRangeF(r, k.adaptiveAgedShare);
    const own = inRangeF(r, k.adaptiveOwnDeviceRate);
    let payer = instigator.ops[0];
    if (r.chance(Math.max(0.7, k.intermediaryRate))) {
      payer = w.newAccount(
        r,
        w.clock.start - r.int(60, 800) * DAY,
        r.int(0, w.natPools.length - 1),
        deviceId(r),
        residentialIp(r),
      );
      payer.abusive = true;
      w.truth('account', payer.id, REVIEW_ATTACK, tag.mode);
    }
    const attack: Attack = { victim, instigator, payer, pay: inRange(r, k.payYuan) * 100, tag };
    const t0 = w.clock.dayStart(day0);
    for (let i = 0; i < n; i++) {
      const d = Math.min(days - 1, day0 + r.int(0, spread - 1));
      const t = w.clock.shopTime(r, d);
      const isAged = r.chance(aged);
      const reg = isAged
        ? w.clock.start - r.int(90, 1500) * DAY - r.int(0, DAY)
        : w.clock.rhythm(r, t0 - inRange(r, k.freshDays) * DAY - r.int(0, 5 * DAY));
      const p = r.chance(0.5) ? prov : r.int(0, w.natPools.length - 1);
      const a = w.newAccount(
        r,
        Math.min(reg, t - 3 * HOUR),
        p,
        r.chance(own) ? deviceId(r) : r.pick(devices),
        '',
      );
      a.homeIp = residentialIp(r);
      a.net = r.chance(0.5) ? Net.Mobile : Net.Home;
      a.regIp = w.ipFor(r, a, a.reg);
      a.reviewP = 0.4;
      a.cats = [victim.cat, r.int(0, CATEGORIES.length - 1)];
      a.abusive = true;
      w.truth('account', a.id, REVIEW_ATTACK, tag.mode);
      this.tasks[d].push({ attack, acc: a, t, camouflage: false });
      for (let c = 0, nc = isAged ? r.int(1, 3) : r.chance(0.4) ? 1 : 0; c < nc; c++) {
        const dc = r.int(0, days - 1);
        this.tasks[dc].push({ attack, acc: a, t: w.clock.shopTime(r, dc), camouflage: true });
      }
    }
    if (payer !== instigator.ops[0]) {
      for (let i = 0, nl = r.int(1, 3); i < nl; i++) {
        const lumpT = t0 - r.int(2 * HOUR, 2 * DAY) + i * r.int(DAY, 3 * DAY);
        if (lumpT >= w.clock.start - 5 * DAY)
          w.transfer(
            instigator.ops[0],
            payer,
            lumpT,
            Math.round((n * (attack.pay + 3000)) / nl / 1000) * 1000,
            r.chance(0.6) ? '' : r.pick(RELAY_MEMO),
          );
      }
    }
  }

  cohorts(): void {
    for (const v of this.victims) if (!v.abusive) this.w.cohort('merchant', v.id, 'attack_victim');
  }

  day(d: number): void {
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 300 >= task.t) continue;
      if (task.camouflage) this.h.order(this.r, task.acc, task.t, null);
      else this.attackOrder(task);
    }
    this.tasks[d] = [];
  }

  private attackOrder(task: Task): void {
    const w = this.w;
    const r = this.r;
    const { attack, acc, t } = task;
    const v = attack.victim;
    const l = r.chance(0.7) ? w.cheapest(v, t) : w.pickListing(r, v, t);
    if (!l) return;
    const s = w.login(r, acc, t, 0.85);
    const o = w.orderInput(r, acc, v, [lineFor(w, r, l, t, 0)], t, s.device, s.ip);
    o.truth = attack.tag;
    const adaptive = attack.tag.mode === 'adaptive';
    if (!adaptive) o.payDelay = r.int(5, 300);
    const placed = w.placeOrder(r, o);
    if (!placed.deliveredAt) return;
    if (adaptive) {
      this.adaptiveReview(attack, acc, placed);
      return;
    }
    const tr = w.clock.awake(r, placed.deliveredAt + r.int(600, 5 * HOUR));
    const rs = w.login(r, acc, tr, 0.5);
    const rating = r.chance(0.85) ? 1 : 2;
    const images = r.chance(0.25) ? r.int(1, 2) : 0;
    w.review(
      placed,
      acc,
      tr,
      rating,
      attackReview(r, CATEGORIES[v.cat]),
      images,
      rs.device,
      rs.ip,
      attack.tag,
    );
    if (r.chance(this.k.refundRate)) {
      const tq = tr + r.int(600, DAY);
      const reason = r.chance(0.6) ? r.pick(REFUND_ONLY_CLAIM) : r.pick(REFUND_RETURN);
      w.refund(placed, tq, placed.paid, reason, r.chance(0.6) ? tq + r.int(2 * HOUR, 3 * DAY) : 0);
    }
    w.transfer(
      attack.payer,
      acc,
      tr + r.int(2 * HOUR, 2 * DAY),
      placed.paid + attack.pay,
      r.pick(PAYBACK_MEMO),
    );
  }

  private adaptiveReview(attack: Attack, acc: Account, placed: Placed): void {
    const w = this.w;
    const r = this.r;
    const cat = CATEGORIES[attack.victim.cat];
    const tr = w.clock.awake(
      r,
      placed.deliveredAt + Math.round(Math.min(6 * DAY, lognormal(r, 16 * HOUR, 0.9))) + 600,
    );
    const rs = w.login(r, acc, tr, 0.4);
    const rating = r.chance(0.5) ? 1 : r.chance(0.7) ? 2 : 3;
    const text = r.chance(0.6)
      ? honestReview(r, cat, rating, r.pick([Problem.Quality, Problem.Damaged, Problem.Late]), false)
      : attackReview(r, cat);
    const images = r.chance(0.35) ? r.int(1, 3) : 0;
    w.review(placed, acc, tr, rating, text, images, rs.device, rs.ip, attack.tag);
    if (r.chance(this.k.refundRate)) {
      const tq = tr + r.int(600, DAY);
      const reason = r.chance(0.5) ? r.pick(REFUND_ONLY_CLAIM) : r.pick(REFUND_RETURN);
      w.refund(placed, tq, placed.paid, reason, r.chance(0.6) ? tq + r.int(2 * HOUR, 3 * DAY) : 0);
    }
    const amount =
      Math.round((placed.paid + attack.pay) / 1000) * 1000 + (r.chance(0.4) ? r.int(1, 9) * 100 : 0);
    w.transfer(
      attack.payer,
      acc,
      w.clock.awake(r, tr + r.int(DAY, 4 * DAY)),
      amount,
      r.chance(0.7) ? '' : r.pick(PAYBACK_MEMO),
    );
  }
}
