// 反向刷单 (reverse brushing): a merchant hires a brushing ring to place fake orders with obvious brushing marks on
// a rival's shop, so that the platform punishes the rival for 刷单; the ring often asks for refunds afterwards.
// The victim ships real goods and pays nobody: the ring's money comes from the instigator's side (its operator,
// or an intermediary it funds). The instigator, its intermediary, the ring accounts and their fake orders and
// reviews at the victim are abusive; the victim is honest (cohort reverse_brushing_victim, never in truth).
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, hex32, prefix24, residentialIp } from '../ids.ts';
import type { ReverseBrushingKnobs } from '../options.ts';
import {
  genericPraise,
  honestReview,
  PAYBACK_MEMO,
  Problem,
  REFUND_ONLY_CLAIM,
  REFUND_RETURN,
  RELAY_MEMO,
  ringTemplates,
  varyTemplate,
} from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  lognormal,
  type Merchant,
  Net,
  type Tag,
  type World,
} from '../world.ts';
import { honestTarget, pickVictimAndRival } from './victims.ts';

export const REVERSE_BRUSHING = 'reverse_brushing';

interface Attack {
  victim: Merchant;
  instigator: Merchant;
  tag: Tag;
  /** Who pays the ring: the instigator's operator, or an intermediary it funds. */
  payer: Account;
  fee: [number, number];
  refundRate: number;
  templates: string[];
  addrs: string[];
  instruments: string[];
}

interface Task {
  attack: Attack;
  acc: Account;
  t: number;
  /** A camouflage purchase at another shop (the instigator's competitors or anywhere). */
  camouflage: Merchant | null;
}

export class ReverseBrushing {
  private readonly tasks: Task[][];
  /** Victims, exported as a cohort and checked by tests. */
  readonly victims: Merchant[] = [];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: ReverseBrushingKnobs,
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
    const adaptive = mode === 'adaptive';
    const tag: Tag = { scheme: REVERSE_BRUSHING, mode };
    // A rival worth hurting: an established honest shop with a competitor in its category.
    const picked = pickVictimAndRival(
      r,
      w.established().filter((m) => !m.protected && !m.light),
      { skew: 1.3, top: 0.7, victimOk: honestTarget },
    );
    if (!picked) return;
    const { victim, instigator } = picked;
    victim.protected = true;
    this.victims.push(victim);
    instigator.abusive = true;
    const days = w.opts.days;
    const spread = adaptive ? Math.max(1, inRange(r, k.adaptiveWindowDays)) : 1;
    const day0 = r.int(0, Math.max(0, days - spread - 7));
    const t0 = adaptive ? w.clock.dayStart(day0) : w.clock.dayStart(day0) + r.int(9 * HOUR, 20 * HOUR);
    let payer = instigator.ops[0];
    if (r.chance(adaptive ? Math.max(0.8, k.intermediaryRate) : k.intermediaryRate)) {
      payer = w.newAccount(
        r,
        w.clock.start - r.int(60, 900) * DAY,
        adaptive ? r.int(0, w.natPools.length - 1) : instigator.prov,
        deviceId(r),
        residentialIp(r),
      );
      payer.abusive = true;
    }
    const attack: Attack = {
      victim,
      instigator,
      tag,
      payer,
      fee: [inRange(r, k.feeYuan) * 100, 0],
      refundRate: adaptive ? inRangeF(r, k.adaptiveRefundRate) : k.refundRate,
      templates: ringTemplates(r, r.int(3, 6)),
      addrs: [],
      instruments: [],
    };
    attack.fee[1] = attack.fee[0] + r.int(0, 10) * 100;
    const n = inRange(r, k.accountsPerAttack);
    const ring = adaptive ? this.adaptiveRing(attack, n, t0) : this.classicRing(attack, n, t0);
    const window = inRangeF(r, k.windowHours) * HOUR;
    let fakes = 0;
    for (const a of ring) {
      const nFake = Math.max(1, inRange(r, k.ordersPerAccount));
      for (let i = 0; i < nFake; i++) {
        const d = adaptive ? Math.min(days - 1, day0 + r.int(0, spread - 1)) : 0;
        const t = adaptive ? w.clock.shopTime(r, d) : t0 + Math.floor(r.next() * window);
        const dd = w.clock.dayOf(t);
        if (dd < 0 || dd >= days) continue;
        this.tasks[dd].push({ attack, acc: a, t, camouflage: null });
        fakes++;
      }
      // Camouflage: ordinary purchases at the instigator's competitors (the ring knows the category) or anywhere.
      const camo = k.camouflageRate * (adaptive ? 2 : 1);
      for (
        let i = 0, nc = Math.round(nFake * (camo / Math.max(0.05, 1 - Math.min(0.9, camo))));
        i < nc;
        i++
      ) {
        const dc = r.int(0, days - 1);
        let m = w.pickMerchant(r, r.chance(0.6) ? instigator.cat : -1);
        if (m === victim || m === instigator) m = r.pick(this.h.popular);
        if (m === victim || m === instigator) continue;
        this.tasks[dc].push({ attack, acc: a, t: w.clock.shopTime(r, dc), camouflage: m });
      }
    }
    if (payer !== instigator.ops[0]) {
      // The intermediary is funded before the ring is paid: in one lump, or (adaptive) a few round sums.
      const unit = w.cheapest(victim, t0)?.price ?? 5000;
      const budget = fakes * (unit * (adaptive ? 1.5 : 4) + attack.fee[1]);
      const lumps = adaptive ? r.int(1, 3) : 1;
      for (let i = 0; i < lumps; i++) {
        const at = t0 - r.int(2 * HOUR, 2 * DAY) + i * r.int(DAY, 2 * DAY);
        const amount = Math.round(budget / lumps / 10_000) * 10_000 + 10_000;
        const memo = adaptive && r.chance(0.6) ? '' : r.pick(RELAY_MEMO);
        // In truth from its first payment: the instigator acts when the money leaves its side.
        if (w.transfer(instigator.ops[0], payer, at, amount, memo))
          w.truth('merchant', instigator.id, REVERSE_BRUSHING, mode);
      }
    }
  }

  /** Classic ring: a phone farm registered in batches on shared devices, with shared cards and addresses. */
  private classicRing(attack: Attack, n: number, t0: number): Account[] {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const prov = r.int(0, w.natPools.length - 1);
    const devices = Array.from({ length: inRange(r, k.devicesPerAttack) }, () =>
      deviceId(r, r.chance(0.85) ? 'android' : 'ios'),
    );
    for (let i = 0, ni = r.int(1, 4); i < ni; i++) attack.instruments.push(hex32(r));
    for (let i = 0, na = r.int(1, 4); i < na; i++) attack.addrs.push(hex32(r));
    const ipMode = r.next();
    const pool =
      ipMode < 0.5
        ? Array.from({ length: r.int(1, 2) }, () => prefix24(r, r.chance(0.6) ? 'datacenter' : 'residential'))
        : null;
    const net = pool ? Net.Pool : ipMode < 0.8 ? Net.Mobile : Net.Proxy;
    const out: Account[] = [];
    let regT = t0 - r.int(10, 120) * DAY;
    for (let i = 0; i < n; i++) {
      if (i % r.int(3, 8) === 0) regT += r.int(0, 3) * HOUR;
      regT += r.int(60, 15 * 60);
      const dev = r.pick(devices);
      const a = w.newAccount(r, Math.min(regT, t0 - DAY), prov, dev, '');
      a.net = net;
      a.pool = pool;
      a.regIp = w.ipFor(r, a, a.reg);
      a.device2 = r.chance(0.4) ? r.pick(devices) : null;
      a.inst = r.pick(attack.instruments);
      if (r.chance(0.6)) a.addr = r.pick(attack.addrs);
      a.reviewP = 0.3;
      a.cats = [attack.victim.cat];
      a.abusive = true;
      out.push(a);
    }
    return out;
  }

  /** Adaptive ring: aged accounts, mostly on their own phones, cards and addresses, across provinces. */
  private adaptiveRing(attack: Attack, n: number, t0: number): Account[] {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const prov = r.int(0, w.natPools.length - 1);
    const shared = Array.from({ length: r.int(1, 3) }, () => deviceId(r));
    const own = inRangeF(r, k.adaptiveOwnDeviceRate);
    const out: Account[] = [];
    for (let i = 0; i < n; i++) {
      const reg = w.clock.rhythm(r, Math.min(t0 - 20 * DAY, w.clock.start - r.int(60, 1200) * DAY));
      const p = r.chance(0.4) ? prov : r.int(0, w.natPools.length - 1);
      const a = w.newAccount(r, reg, p, r.chance(own) ? deviceId(r) : r.pick(shared), '');
      a.homeIp = residentialIp(r);
      a.net = r.chance(0.5) ? Net.Mobile : Net.Home;
      a.regIp = w.ipFor(r, a, reg);
      a.reviewP = 0.4;
      a.cats = [attack.victim.cat, r.int(0, CATEGORIES.length - 1)];
      a.abusive = true;
      out.push(a);
    }
    return out;
  }

  cohorts(): void {
    for (const v of this.victims) if (!v.abusive) this.w.cohort('merchant', v.id, 'reverse_brushing_victim');
  }

  day(d: number): void {
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 600 >= task.t) continue;
      if (task.camouflage) this.h.order(this.r, task.acc, task.t, task.camouflage);
      else this.fakeOrder(task);
    }
    this.tasks[d] = [];
  }

  private fakeOrder(task: Task): void {
    const w = this.w;
    const r = this.r;
    const { attack, acc, t } = task;
    const v = attack.victim;
    const adaptive = attack.tag.mode === 'adaptive';
    // Cheap goods, often in bulk in classic mode: cheap to buy, and an obvious 刷单 mark.
    const l = r.chance(adaptive ? 0.4 : 0.7) ? w.cheapest(v, t) : w.pickListing(r, v, t);
    if (!l) return;
    const s = w.login(r, acc, t, adaptive ? 0.7 : 0.9);
    const line = lineFor(w, r, l, t, adaptive ? 0.1 : 0);
    if (!adaptive && r.chance(this.k.bulkRate)) line.qty = r.int(5, 20);
    const o = w.orderInput(r, acc, v, [line], t, s.device, s.ip);
    o.truth = attack.tag;
    if (!adaptive) {
      o.payDelay = r.int(5, 120);
      if (attack.addrs.length && r.chance(0.5)) o.addr = r.pick(attack.addrs);
    }
    const placed = w.placeOrder(r, o);
    w.truth('account', acc.id, REVERSE_BRUSHING, attack.tag.mode);
    if (!placed.paidAt) return;
    let after = placed.deliveredAt || placed.paidAt;
    if (placed.deliveredAt && r.chance(adaptive ? 0.8 : 0.92)) {
      const tr = adaptive
        ? w.clock.awake(
            r,
            placed.deliveredAt + Math.round(Math.min(8 * DAY, lognormal(r, 28 * HOUR, 0.9))) + 600,
          )
        : w.clock.awake(r, placed.deliveredAt + r.int(300, 5 * HOUR));
      const rs = w.login(r, acc, tr, adaptive ? 0.4 : 0.6);
      const rating = adaptive && r.chance(0.25) ? 4 : 5;
      const text = adaptive
        ? honestReview(r, CATEGORIES[v.cat], rating, Problem.None, false)
        : r.chance(0.85)
          ? varyTemplate(r, r.pick(attack.templates))
          : genericPraise(r);
      const images = r.chance(adaptive ? 0.22 : 0.3) ? r.int(1, 4) : 0;
      if (w.review(placed, acc, tr, rating, text, images, rs.device, rs.ip, attack.tag)) after = tr;
    }
    // Refunds after the praise: the goods go back or are kept, and the victim's numbers suffer twice.
    let refunded = false;
    if (placed.deliveredAt && r.chance(attack.refundRate)) {
      const tq = after + r.int(HOUR, 2 * DAY);
      const reason = r.chance(0.5) ? r.pick(REFUND_RETURN) : r.pick(REFUND_ONLY_CLAIM);
      const done = r.chance(0.7) ? tq + r.int(2 * HOUR, 3 * DAY) : 0;
      w.refund(placed, tq, placed.paid, reason, done);
      refunded = done > 0;
      if (done) after = Math.max(after, done);
    }
    // The instigator's side pays the ring its fee, plus the goods' money unless the victim refunded it.
    const fee = r.int(attack.fee[0], attack.fee[1]);
    const owed = (refunded ? 0 : placed.paid) + fee;
    const at = adaptive
      ? w.clock.awake(r, after + r.int(DAY, 4 * DAY))
      : w.clock.awake(r, after + r.int(HOUR, 20 * HOUR));
    const amount = adaptive ? Math.max(500, Math.round(owed / 1000) * 1000) : owed;
    const memo = adaptive ? (r.chance(0.8) ? '' : r.pick(RELAY_MEMO)) : r.pick(PAYBACK_MEMO);
    if (w.transfer(attack.payer, acc, at, amount, memo)) {
      w.truth('merchant', attack.instigator.id, REVERSE_BRUSHING, attack.tag.mode);
      if (attack.payer !== attack.instigator.ops[0])
        w.truth('account', attack.payer.id, REVERSE_BRUSHING, attack.tag.mode);
    }
  }
}
