// 恶意拍下不付款 / 恶意占库存 (malicious unpaid orders): during a rival's promotion, or on its best sellers, a
// merchant hires accounts to place many orders there, often for many pieces, and never pay. The orders hold the
// stock until the payment timeout cancels them, so honest buyers see 'sold out' and the rival's conversion
// collapses; some gangs place again after each timeout. The instigator (from its first payment to the hired
// accounts), its intermediary, the hired accounts (from their first unpaid order) and the unpaid orders are
// abusive; the victim is honest (cohort stock_lock_victim, never in truth).
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, prefix24, residentialIp } from '../ids.ts';
import type { UnpaidOrdersKnobs } from '../options.ts';
import { CANCEL_SELF, PAYBACK_MEMO, RELAY_MEMO } from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  type Listing,
  type Merchant,
  Net,
  type Tag,
  type World,
} from '../world.ts';
import { honestTarget, pickVictimAndRival } from './victims.ts';

export const UNPAID_ORDERS = 'unpaid_orders';

interface Attack {
  victim: Merchant;
  instigator: Merchant;
  tag: Tag;
  targets: Listing[];
  /** Who pays the hired accounts: the instigator's operator, or an intermediary it funds. */
  payer: Account;
  fee: number;
  /** Classic: how many more times an order is placed again after its timeout. */
  repeats: number;
  selfCancel: number;
  /** Unpaid orders per hired account not yet paid for. */
  placed: Map<Account, number>;
  /** Latest unpaid-order time per hired account, after which it is paid. */
  last: Map<Account, number>;
}

interface Task {
  attack: Attack;
  acc: Account;
  t: number;
  /** An ordinary purchase elsewhere (camouflage), not an unpaid order. */
  camouflage: Merchant | null;
}

export class UnpaidOrders {
  private readonly tasks: Task[][];
  private readonly attacks: Attack[] = [];
  /** Victims, exported as a cohort and checked by tests. */
  readonly victims: Merchant[] = [];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: UnpaidOrdersKnobs,
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
    const tag: Tag = { scheme: UNPAID_ORDERS, mode };
    // A rival worth hurting: an established honest shop that sells well, with a competitor in its category.
    const picked = pickVictimAndRival(
      r,
      w.established().filter((m) => !m.protected && !m.light),
      { skew: 1.4, top: 0.6, victimOk: honestTarget },
    );
    if (!picked) return;
    const { victim, instigator } = picked;
    const days = w.opts.days;
    const spread = adaptive ? Math.max(1, inRange(r, k.adaptiveWindowDays)) : 1;
    const day0 = r.int(0, Math.max(0, days - spread - 2));
    const t0 = w.clock.dayStart(day0) + (adaptive ? 0 : r.int(9 * HOUR, 20 * HOUR));
    // Its best sellers (the listings a promotion pushes), available when the attack starts.
    const live = victim.listings.filter((l) => w.available(l, t0)).sort((a, b) => b.pop - a.pop);
    if (live.length === 0) return;
    victim.protected = true;
    this.victims.push(victim);
    instigator.abusive = true;
    const targets = live.slice(0, Math.max(1, Math.min(live.length, inRange(r, k.listingsPerAttack))));
    let payer = instigator.ops[0];
    if (r.chance(adaptive ? Math.max(0.7, k.intermediaryRate) : k.intermediaryRate)) {
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
      targets,
      payer,
      fee: inRange(r, k.feeYuan) * 100,
      repeats: !adaptive && r.chance(k.repeatRate) ? r.int(1, 3) : 0,
      selfCancel: adaptive ? inRangeF(r, k.adaptiveSelfCancelRate) : 0,
      placed: new Map(),
      last: new Map(),
    };
    this.attacks.push(attack);
    const n = inRange(r, k.accountsPerAttack);
    const crew = adaptive ? this.adaptiveCrew(attack, n, t0) : this.classicCrew(attack, n, t0);
    const window = inRangeF(r, k.windowHours) * HOUR;
    for (const a of crew) {
      const nOrders = Math.max(1, inRange(r, k.ordersPerAccount));
      for (let i = 0; i < nOrders; i++) {
        const d = adaptive ? Math.min(days - 1, day0 + r.int(0, spread - 1)) : 0;
        const t = adaptive ? w.clock.shopTime(r, d) : t0 + Math.floor(r.next() * window);
        const dd = w.clock.dayOf(t);
        if (dd < 0 || dd >= days) continue;
        this.tasks[dd].push({ attack, acc: a, t, camouflage: null });
      }
      // Camouflage: ordinary purchases elsewhere; adaptive accounts also pay a few small orders.
      const nc =
        Math.round(nOrders * (k.camouflageRate / Math.max(0.05, 1 - Math.min(0.9, k.camouflageRate)))) +
        (adaptive ? inRange(r, k.adaptivePaidCamouflage) : 0);
      for (let i = 0; i < nc; i++) {
        const dc = r.int(0, days - 1);
        let m = w.pickMerchant(r, r.chance(0.5) ? victim.cat : -1);
        if (m === victim || m === instigator) m = r.pick(this.h.popular);
        if (m === victim || m === instigator) continue;
        this.tasks[dc].push({ attack, acc: a, t: w.clock.shopTime(r, dc), camouflage: m });
      }
    }
  }

  /** Classic crew: fresh accounts registered in batches on a few farm devices, behind shared networks. */
  private classicCrew(attack: Attack, n: number, t0: number): Account[] {
    const w = this.w;
    const r = this.r;
    const devices = Array.from({ length: inRange(r, this.k.devicesPerAttack) }, () =>
      deviceId(r, r.chance(0.85) ? 'android' : 'ios'),
    );
    const prov = r.int(0, w.natPools.length - 1);
    const ipMode = r.next();
    const pool =
      ipMode < 0.5
        ? Array.from({ length: r.int(1, 2) }, () => prefix24(r, r.chance(0.6) ? 'datacenter' : 'residential'))
        : null;
    const net = pool ? Net.Pool : ipMode < 0.8 ? Net.Mobile : Net.Proxy;
    const out: Account[] = [];
    let regT = t0 - r.int(5, 90) * DAY;
    for (let i = 0; i < n; i++) {
      if (i % r.int(3, 8) === 0) regT += r.int(0, 3) * HOUR;
      regT += r.int(60, 15 * 60);
      const a = w.newAccount(r, Math.min(regT, t0 - HOUR), prov, r.pick(devices), '');
      a.net = net;
      a.pool = pool;
      a.regIp = w.ipFor(r, a, a.reg);
      a.device2 = r.chance(0.4) ? r.pick(devices) : null;
      a.cats = [attack.victim.cat];
      a.abusive = true;
      out.push(a);
    }
    return out;
  }

  /** Adaptive crew: aged accounts, mostly on their own phones and home networks, across provinces. */
  private adaptiveCrew(attack: Attack, n: number, t0: number): Account[] {
    const w = this.w;
    const r = this.r;
    const prov = r.int(0, w.natPools.length - 1);
    const shared = Array.from({ length: r.int(1, 3) }, () => deviceId(r));
    const own = inRangeF(r, this.k.adaptiveOwnDeviceRate);
    const out: Account[] = [];
    for (let i = 0; i < n; i++) {
      const reg = w.clock.rhythm(r, Math.min(t0 - 30 * DAY, w.clock.start - r.int(60, 1200) * DAY));
      const p = r.chance(0.4) ? prov : r.int(0, w.natPools.length - 1);
      const a = w.newAccount(r, reg, p, r.chance(own) ? deviceId(r) : r.pick(shared), '');
      a.homeIp = residentialIp(r);
      a.net = r.chance(0.5) ? Net.Mobile : Net.Home;
      a.regIp = w.ipFor(r, a, reg);
      a.cats = [attack.victim.cat, r.int(0, CATEGORIES.length - 1)];
      a.abusive = true;
      out.push(a);
    }
    return out;
  }

  cohorts(): void {
    for (const v of this.victims) if (!v.abusive) this.w.cohort('merchant', v.id, 'stock_lock_victim');
  }

  day(d: number): void {
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 600 >= task.t) continue;
      if (task.camouflage) this.camouflage(task.acc, task.t, task.camouflage);
      else this.lock(task);
    }
    this.tasks[d] = [];
    // Pay a hired account for its unpaid orders so far once the last of them timed out.
    for (const attack of this.attacks) {
      for (const [acc, last] of attack.last) {
        if (this.w.clock.dayOf(last) !== d) continue;
        this.pay(attack, acc, last);
      }
    }
  }

  /** An ordinary purchase: small and paid when the account pays for camouflage. */
  private camouflage(acc: Account, t: number, m: Merchant): void {
    this.h.order(this.r, acc, t, m);
  }

  /** One unpaid order (and, classic, its re-placements after each timeout) on a target listing. */
  private lock(task: Task): void {
    const w = this.w;
    const r = this.r;
    const { attack, acc } = task;
    const adaptive = attack.tag.mode === 'adaptive';
    let t = task.t;
    for (let cycle = 0; cycle <= attack.repeats; cycle++) {
      if (t >= w.clock.end) return;
      const l = r.pick(attack.targets);
      if (!w.available(l, t)) return;
      const s = w.login(r, acc, t, adaptive ? 0.7 : 0.9);
      const line = lineFor(w, r, l, t, 0);
      line.qty = adaptive ? inRange(r, this.k.adaptiveQuantity) : inRange(r, this.k.quantity);
      const o = w.orderInput(r, acc, attack.victim, [line], t, s.device, s.ip);
      o.truth = attack.tag;
      o.unpaidCancel = true;
      if (adaptive && r.chance(attack.selfCancel)) {
        // Cancelled by the account itself with an ordinary reason, before the timeout.
        o.cancelAt = t + r.int(5 * 60, 3 * HOUR);
        o.cancelReason = r.pick(CANCEL_SELF);
      } else {
        // Left to the payment timeout, holding the stock as long as the platform allows.
        o.cancelAt = t + Math.round(inRangeF(r, this.k.holdHours) * HOUR);
        o.cancelReason = r.chance(0.7) ? '超时未支付' : '买家未付款';
      }
      w.placeOrder(r, o);
      w.truth('account', acc.id, UNPAID_ORDERS, attack.tag.mode);
      attack.placed.set(acc, (attack.placed.get(acc) ?? 0) + 1);
      attack.last.set(acc, Math.max(attack.last.get(acc) ?? 0, o.cancelAt));
      t = o.cancelAt + r.int(60, 30 * 60);
    }
  }

  /** The instigator's side pays the account its fee, on the platform at `payRate`, else off it. */
  private pay(attack: Attack, acc: Account, last: number): void {
    const w = this.w;
    const r = this.r;
    const adaptive = attack.tag.mode === 'adaptive';
    attack.last.delete(acc);
    const n = attack.placed.get(acc) ?? 0;
    attack.placed.set(acc, 0);
    if (n === 0 || !r.chance(this.k.payRate)) return;
    const owed = n * attack.fee;
    const at = adaptive
      ? w.clock.awake(r, last + r.int(DAY, 5 * DAY))
      : w.clock.awake(r, last + r.int(HOUR, 20 * HOUR));
    const amount = adaptive ? Math.max(1000, Math.round(owed / 1000) * 1000) : owed;
    const memo = adaptive ? (r.chance(0.8) ? '' : r.pick(RELAY_MEMO)) : r.pick(PAYBACK_MEMO);
    if (attack.payer !== attack.instigator.ops[0]) {
      // The intermediary is funded from the instigator's side first (a round sum covering a few accounts).
      const fund = at - r.int(2 * HOUR, 2 * DAY);
      if (fund >= w.floor && r.chance(adaptive ? 0.5 : 0.8)) {
        const sum = Math.round((owed * r.int(2, 5)) / 10_000) * 10_000 + 10_000;
        if (w.transfer(attack.instigator.ops[0], attack.payer, fund, sum, r.pick(RELAY_MEMO)))
          w.truth('merchant', attack.instigator.id, UNPAID_ORDERS, attack.tag.mode);
      }
    }
    if (w.transfer(attack.payer, acc, at, amount, memo)) {
      w.truth('merchant', attack.instigator.id, UNPAID_ORDERS, attack.tag.mode);
      if (attack.payer !== attack.instigator.ops[0])
        w.truth('account', attack.payer.id, UNPAID_ORDERS, attack.tag.mode);
    }
  }
}
