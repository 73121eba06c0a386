// 刷单: rings place fake orders for client merchants and are paid back with a commission. Two styles:
// phone farms (shared devices, empty parcels, templated quick praise) and careful rings (aged accounts, real goods,
// natural reviews, pay-back relayed through intermediaries). Both also shop genuinely as camouflage.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, hex32, prefix24, residentialIp, sequentialDevices, TrackingBatch } from '../ids.ts';
import type { BrushingCarefulKnobs, BrushingKnobs } from '../options.ts';
import {
  genericPraise,
  honestReview,
  PAYBACK_MEMO,
  Problem,
  RELAY_MEMO,
  ringTemplates,
  varyTemplate,
} from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  type Listing,
  lognormal,
  type Merchant,
  Net,
  type Placed,
  scaled,
  type Tag,
  type World,
} from '../world.ts';

type Style = 'farm' | 'careful';

interface Ring {
  style: Style;
  scheme: string;
  tag: Tag;
  /** Adaptive rings: share of four-star reviews, and of pay-backs split across two relays. */
  fourStar: number;
  splitPay: number;
  accounts: Account[];
  /** Farm leader, or the careful ring's relay chain (first receives from merchants). */
  relays: Account[];
  relayMode: 'direct' | 'leader' | 'relay';
  addrs: string[];
  instruments: string[];
  clients: Merchant[];
  targets: Map<Merchant, Listing[]>;
  templates: string[];
  emptyRate: number;
  emptyCarrier: string;
  batch: TrackingBatch | null;
  emptyWeight: [number, number] | null;
  imagesP: number;
  commission: [number, number];
  /** Pay-back right after payment (principal first) rather than after the review. */
  payEarly: boolean;
  /** Careful rings: the first relay forwards to a second one, which pays the accounts. */
  twoHop: boolean;
  /** Sum each client owes the ring's first relay for the current day. */
  owed: Map<Merchant, number>;
  /** Sum the first relay forwards to each paying relay for the current day. */
  forward: Map<Account, number>;
  lumpAt: number;
}

interface Task {
  ring: Ring;
  acc: Account;
  m: Merchant;
  t: number;
  fake: boolean;
}

const EMPTY_CARRIERS = ['韵达快递', '圆通速递', '申通快递', '中通快递', '极兔速递'];

export class Brushing {
  private readonly rings: Ring[] = [];
  private readonly tasks: Task[][];
  private readonly careful: BrushingCarefulKnobs | null;
  private readonly farm: BrushingKnobs | null;

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    readonly style: Style,
    knobs: BrushingKnobs | BrushingCarefulKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    this.farm = style === 'farm' ? (knobs as BrushingKnobs) : null;
    this.careful = style === 'careful' ? (knobs as BrushingCarefulKnobs) : null;
    if (!knobs.enabled) return;
    for (let i = 0; i < knobs.rings; i++) this.setupRing();
  }

  get scheme(): string {
    return this.style === 'farm' ? 'brushing' : 'brushing_careful';
  }

  private setupRing(): void {
    const w = this.w;
    const r = this.r;
    const k = this.farm ?? this.careful!;
    const mode = drawMode(r, k.adaptiveRate);
    const start = w.clock.start;
    const prov = r.int(0, w.natPools.length - 1);
    const n = inRange(r, k.accountsPerRing);
    const clients = this.pickClients(inRange(r, k.clientMerchantsPerRing));
    if (clients.length === 0) return;
    const ring: Ring = {
      style: this.style,
      scheme: this.scheme,
      tag: { scheme: this.scheme, mode },
      fourStar: 0,
      splitPay: 0,
      accounts: [],
      relays: [],
      relayMode: 'direct',
      addrs: [],
      instruments: [],
      clients,
      targets: new Map(),
      templates: ringTemplates(r, r.int(3, 6)),
      emptyRate: 0,
      emptyCarrier: r.pick(EMPTY_CARRIERS),
      batch: null,
      emptyWeight: null,
      imagesP: r.chance(0.5) ? r.next() * 0.6 : 0.05,
      commission: r.chance(0.5) ? [300, 800] : [600, 1500],
      payEarly: r.chance(0.35),
      twoHop: false,
      owed: new Map(),
      forward: new Map(),
      lumpAt: 0,
    };
    const baseAge = inRange(r, k.accountAgeDays);
    if (this.farm && mode === 'adaptive') this.adaptiveFarm(ring, n, prov, baseAge);
    else if (this.farm) {
      const f = this.farm;
      ring.emptyRate = inRangeF(r, f.emptyParcelRate);
      ring.batch = r.chance(0.5) ? new TrackingBatch(r, ring.emptyCarrier) : null;
      const mode = r.next();
      ring.emptyWeight = mode < 0.5 ? [15, 80] : mode < 0.8 ? [60, 200] : [0, 12];
      const nd = inRange(r, f.devicesPerRing);
      const devices = r.chance(f.sequentialDeviceRate)
        ? sequentialDevices(r, nd)
        : Array.from({ length: nd }, () => deviceId(r, r.chance(0.85) ? 'android' : 'ios'));
      for (let i = 0, ni = inRange(r, f.instrumentsPerRing); i < ni; i++) ring.instruments.push(hex32(r));
      const sharedAddrs = r.chance(0.6);
      for (let i = 0, na = r.int(2, 8); i < na; i++) ring.addrs.push(hex32(r));
      // Phone farms on 4G show carrier NAT addresses; others sit behind hosting ranges or residential proxies.
      const ipMode = r.next();
      const pool: string[] = [];
      if (ipMode < 0.35) for (let i = 0, np = r.int(1, 3); i < np; i++) pool.push(prefix24(r, 'datacenter'));
      else if (ipMode < 0.55)
        for (let i = 0, np = r.int(1, 2); i < np; i++) pool.push(prefix24(r, 'residential'));
      const net = ipMode < 0.55 ? Net.Pool : ipMode < 0.85 ? Net.Mobile : Net.Proxy;
      // Accounts are registered in batches, each batch from one farm device within minutes.
      let i = 0;
      while (i < n) {
        const size = Math.min(n - i, r.int(3, 12));
        const dev = devices[r.int(0, nd - 1)];
        let t = start - Math.max(1, baseAge + r.int(-15, 15)) * DAY + r.int(9 * HOUR, 20 * HOUR);
        const regIp =
          net === Net.Pool
            ? pool[0] + r.int(2, 253)
            : net === Net.Mobile
              ? w.natIp(r, prov)
              : residentialIp(r);
        for (let j = 0; j < size; j++, i++) {
          t += r.int(60, 15 * 60);
          const a = w.newAccount(r, t, prov, dev, regIp);
          a.device = r.chance(0.7) ? dev : devices[r.int(0, nd - 1)];
          a.device2 = r.chance(0.5) ? devices[r.int(0, nd - 1)] : null;
          a.net = net;
          a.pool = pool.length ? pool : null;
          a.inst = r.pick(ring.instruments);
          a.inst2 = r.chance(0.4) ? r.pick(ring.instruments) : null;
          if (sharedAddrs) a.addr = r.pick(ring.addrs);
          this.ringTraits(a);
          ring.accounts.push(a);
        }
      }
      if (r.chance(f.leaderPaybackRate)) {
        ring.relayMode = 'leader';
        ring.relays.push(ring.accounts[0]);
      }
    } else {
      const c = this.careful!;
      ring.emptyRate = c.emptyParcelRate;
      ring.emptyWeight = [40, 150];
      ring.imagesP = 0.22;
      ring.payEarly = false;
      let last: Account | null = null;
      for (let i = 0; i < n; i++) {
        const reg = start - Math.max(30, Math.round(inRangeF(r, k.accountAgeDays))) * DAY - r.int(0, DAY);
        const p = r.chance(0.6) ? prov : r.int(0, w.natPools.length - 1);
        const a = w.newAccount(r, reg, p, deviceId(r), '');
        a.homeIp = residentialIp(r);
        a.net = r.chance(0.45) ? Net.Mobile : Net.Home;
        a.regIp = w.ipFor(r, a, reg);
        if (last && mode === 'classic' && r.chance(c.deviceShareRate)) a.device2 = last.device;
        if (r.chance(0.3)) a.inst2 = hex32(r);
        this.ringTraits(a);
        ring.accounts.push(a);
        last = a;
      }
      ring.relayMode = 'relay';
      if (mode === 'adaptive') {
        // Adaptive careful rings: more four-star praise, and pay-backs split across relays.
        ring.fourStar = inRangeF(r, c.adaptiveFourStarRate);
        ring.splitPay = c.adaptiveSplitPayRate;
      }
      for (let i = 0, ni = inRange(r, c.intermediariesPerRing); i < ni; i++) {
        const reg = start - r.int(100, 900) * DAY;
        const a = w.newAccount(r, reg, r.int(0, w.natPools.length - 1), deviceId(r), residentialIp(r));
        this.ringTraits(a);
        ring.relays.push(a);
      }
      ring.twoHop = ring.relays.length > 1 && r.chance(c.twoHopRate);
    }
    for (const a of [...ring.accounts, ...ring.relays]) {
      if (a.abusive) continue;
      a.abusive = true;
      w.truth('account', a.id, this.scheme, mode);
    }
    for (const m of clients) {
      m.abusive = true;
      w.truth('merchant', m.id, this.scheme, mode);
      const own = m.listings.filter((l) => l.pub < start);
      // Adaptive farms push the shop's cheaper listings and ship them for real.
      if (mode === 'adaptive' && this.farm)
        own.sort((a, b) => a.price - b.price).splice(Math.max(2, Math.ceil(own.length / 2)));
      const pushed = r.shuffle(own).slice(0, r.int(1, 3));
      ring.targets.set(m, pushed);
    }
    this.rings.push(ring);
    this.plan(ring);
  }

  /**
   * Adaptive phone farm: accounts registered one by one on their own phones and home or mobile networks, with
   * their own cards and addresses; only a few still touch one of the ring's shared phones.
   */
  private adaptiveFarm(ring: Ring, n: number, prov: number, baseAge: number): void {
    const w = this.w;
    const r = this.r;
    const f = this.farm!;
    ring.emptyRate = inRangeF(r, f.adaptiveEmptyParcelRate);
    ring.emptyWeight = [60, 200];
    ring.imagesP = 0.22;
    ring.payEarly = false;
    ring.fourStar = inRangeF(r, f.adaptiveFourStarRate);
    const shared = Array.from({ length: r.int(1, 3) }, () => deviceId(r, 'android'));
    const shareP = inRangeF(r, f.adaptiveDeviceShare);
    for (let i = 0; i < 2; i++) ring.instruments.push(hex32(r));
    for (let i = 0; i < n; i++) {
      const age = Math.max(5, Math.round(baseAge * (0.5 + 1.5 * r.next())));
      const reg = w.clock.rhythm(r, w.clock.start - age * DAY);
      const p = r.chance(0.7) ? prov : r.int(0, w.natPools.length - 1);
      const dev = r.chance(shareP) ? r.pick(shared) : deviceId(r, r.chance(0.8) ? 'android' : 'ios');
      const a = w.newAccount(r, reg, p, dev, '');
      a.homeIp = residentialIp(r);
      a.net = r.chance(0.5) ? Net.Mobile : Net.Home;
      a.regIp = w.ipFor(r, a, reg);
      if (r.chance(shareP / 2)) a.device2 = r.pick(shared);
      if (r.chance(0.08)) a.inst2 = r.pick(ring.instruments);
      this.ringTraits(a);
      ring.accounts.push(a);
    }
    if (r.chance(f.leaderPaybackRate)) {
      ring.relayMode = 'leader';
      ring.relays.push(ring.accounts[0]);
    }
  }

  private ringTraits(a: Account): void {
    const r = this.r;
    a.reviewP = 0.25 + 0.35 * r.next();
    a.cats = [r.int(0, CATEGORIES.length - 1), r.int(0, CATEGORIES.length - 1)];
  }

  /** Clients are mostly small or mid shops that want to look busier. */
  private pickClients(n: number): Merchant[] {
    const r = this.r;
    const cands = this.w.established().filter((m) => !m.protected);
    if (cands.length === 0) return [];
    const sorted = cands.slice().sort((a, b) => a.pop - b.pop);
    const out = new Set<Merchant>();
    for (let tries = 0; out.size < n && tries < n * 20; tries++) {
      const m = r.chance(0.75) ? sorted[Math.floor(r.next() ** 1.3 * sorted.length * 0.7)] : r.pick(sorted);
      out.add(m);
    }
    return [...out];
  }

  private plan(ring: Ring): void {
    const w = this.w;
    const r = this.r;
    const k = this.farm ?? this.careful!;
    const days = w.opts.days;
    const factor = days / 30;
    // Each client brushes on some campaign days, each with a batch window when the tasks go out.
    const campaign = new Map<Merchant, { day: number; hour: number }[]>();
    for (const m of ring.clients) {
      const nDays = Math.max(1, Math.round(days * (0.25 + 0.45 * r.next())));
      const ds = r.shuffle(Array.from({ length: days }, (_, i) => i)).slice(0, nDays);
      campaign.set(
        m,
        ds.map((day) => ({ day, hour: r.int(9, 21) })),
      );
    }
    const used = new Map<string, number>();
    const camoRate = k.camouflageRate;
    for (const acc of ring.accounts) {
      const nFake = Math.max(1, scaled(r, inRange(r, k.ordersPerAccount), factor));
      for (let i = 0; i < nFake; i++) {
        let m = r.pick(ring.clients);
        for (let tries = 0; tries < 4 && (used.get(acc.id + m.id) ?? 0) >= 2; tries++)
          m = r.pick(ring.clients);
        used.set(acc.id + m.id, (used.get(acc.id + m.id) ?? 0) + 1);
        const c = r.pick(campaign.get(m)!);
        const t =
          ring.style === 'farm' && ring.tag.mode === 'classic'
            ? w.clock.timeBetween(r, c.day, c.hour, c.hour + Math.min(2.9, r.exp(1.2)))
            : w.clock.shopTime(r, c.day);
        this.tasks[c.day].push({ ring, acc, m, t, fake: true });
      }
      const nCamo = scaled(r, nFake, camoRate / Math.max(0.05, 1 - camoRate));
      for (let i = 0; i < nCamo; i++) {
        const d = r.int(0, days - 1);
        const m =
          ring.style === 'farm' && (ring.tag.mode === 'classic' || r.chance(0.6))
            ? r.pick(this.h.popular)
            : w.pickMerchant(r, r.pick(acc.cats));
        this.tasks[d].push({ ring, acc, m, t: w.clock.shopTime(r, d), fake: false });
      }
    }
    // Intermediaries keep a little ordinary shopping too.
    for (const a of ring.relays) {
      if (ring.relayMode === 'leader') continue;
      for (let i = 0, n = r.int(0, 3); i < n; i++) {
        const d = r.int(0, days - 1);
        this.tasks[d].push({
          ring,
          acc: a,
          m: w.pickMerchant(r, -1),
          t: w.clock.shopTime(r, d),
          fake: false,
        });
      }
    }
  }

  day(d: number): void {
    const w = this.w;
    const r = this.r;
    for (const ring of this.rings) {
      ring.owed.clear();
      ring.lumpAt = w.clock.dayStart(d + 1) + r.int(9 * HOUR, 13 * HOUR);
      // Farms keep their accounts warm with idle logins (养号).
      if (ring.style === 'farm' && ring.tag.mode === 'classic') {
        for (const a of ring.accounts) {
          if (r.chance(0.12)) {
            const t = w.clock.shopTime(r, d);
            if (t > a.reg) w.login(r, a, t, 1);
          }
        }
      }
    }
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 600 >= task.t) continue;
      if (task.fake) this.fakeOrder(task);
      else this.h.order(r, task.acc, task.t, task.m);
    }
    for (const ring of this.rings) this.payLumps(ring);
    this.tasks[d] = [];
  }

  private fakeOrder(task: Task): void {
    const w = this.w;
    const r = this.r;
    const { ring, acc, m, t } = task;
    const adaptive = ring.tag.mode === 'adaptive';
    // Adaptive farms behave like careful rings at order time: ordinary payment, parcels and reviews.
    const farm = ring.style === 'farm' && !adaptive;
    const targets = (ring.targets.get(m) ?? []).filter((l) => w.available(l, t));
    const l = targets.length ? r.pick(targets) : w.pickListing(r, m, t);
    if (!l) return;
    const s = w.login(r, acc, t, farm ? 0.9 : 0.7);
    const line = lineFor(w, r, l, t, farm ? 0.03 : 0.1);
    const lines = [line];
    // Careful rings sometimes add a second item, as real baskets do.
    if (!farm && r.chance(0.08)) {
      const x = w.pickListing(r, m, t);
      if (x && x !== l) lines.push(lineFor(w, r, x, t));
    }
    const o = w.orderInput(r, acc, m, lines, t, s.device, s.ip);
    o.truth = ring.tag;
    if (r.chance(farm ? 0.06 : 0.15))
      o.discount = Math.min(Math.floor(line.unit / 4), r.pick([100, 200, 300, 500]));
    if (r.chance(0.01)) o.unpaidCancel = true;
    if (farm) {
      o.payDelay = r.int(5, 120);
      if (ring.addrs.length && r.chance(0.5)) o.addr = r.pick(ring.addrs);
      if (r.chance(0.5)) o.inst = r.pick(ring.instruments);
      if (r.chance(this.farm!.priceOffRate)) {
        // Either the merchant edits the price before payment (改价) or a special-price link is used.
        if (r.chance(0.5)) o.paidOff = Math.floor(line.unit * line.qty * (0.05 + 0.55 * r.next()));
        else line.unit = Math.max(1, Math.round(line.unit * (0.4 + 0.55 * r.next())));
      }
    }
    const virtual = l.item.virtual === true;
    if (!virtual && r.chance(ring.emptyRate)) {
      const [lo, hi] = ring.emptyWeight ?? [15, 80];
      o.weight = r.int(lo, hi);
      o.omitWeight = farm && hi <= 12 && r.chance(0.3);
      o.carrier = farm ? ring.emptyCarrier : null;
      o.tracking = farm && ring.batch ? ring.batch.take(r) : null;
      o.shipDelay = farm ? r.int(20 * 60, 8 * HOUR) : o.shipDelay;
    } else if (!virtual && !farm && !adaptive && r.chance(this.careful!.cheapGoodsRate)) {
      // A cheap real item (socks, a towel, a phone stand) instead of the listed goods: a plausible parcel.
      o.weight = r.int(60, 450);
    } else if (!virtual && adaptive && ring.style === 'careful' && r.chance(this.careful!.cheapGoodsRate)) {
      o.weight = r.int(60, 450);
    }
    const placed = w.placeOrder(r, o);
    if (placed.paidAt === 0) return;
    let paidAfter = placed.paidAt;
    const reviewK = this.farm ?? this.careful!;
    if (placed.deliveredAt && r.chance(reviewK.reviewRate)) {
      const tr = this.reviewTime(ring, placed);
      const rs = w.login(r, acc, tr, farm ? 0.6 : 0.3);
      const rating = farm
        ? r.chance(0.97)
          ? 5
          : 4
        : adaptive
          ? r.chance(ring.fourStar)
            ? 4
            : 5
          : r.chance(0.85)
            ? 5
            : 4;
      let text: string | undefined;
      if (farm)
        text = r.chance(this.farm!.templateRate) ? varyTemplate(r, r.pick(ring.templates)) : genericPraise(r);
      else text = honestReview(r, CATEGORIES[m.cat], rating, Problem.None, false);
      const images = r.chance(ring.imagesP) ? r.int(farm ? 2 : 1, 5) : 0;
      if (w.review(placed, acc, tr, rating, text, images, rs.device, rs.ip, ring.tag)) paidAfter = tr;
    } else if (placed.deliveredAt) paidAfter = placed.deliveredAt;
    this.payBack(ring, placed, acc, ring.payEarly ? placed.paidAt : paidAfter);
  }

  private reviewTime(ring: Ring, o: Placed): number {
    const r = this.r;
    if (ring.style === 'farm' && ring.tag.mode === 'classic') {
      const delay = r.chance(0.7) ? r.int(300, 6 * HOUR) : r.int(6 * HOUR, 3 * DAY);
      return this.w.clock.awake(r, o.deliveredAt + delay);
    }
    return this.w.clock.awake(
      r,
      o.deliveredAt + Math.round(Math.min(10 * DAY, lognormal(r, 30 * HOUR, 0.9))) + 600,
    );
  }

  private payBack(ring: Ring, o: Placed, acc: Account, after: number): void {
    const w = this.w;
    const r = this.r;
    const m = o.input.m;
    const amount = o.paid + r.int(ring.commission[0], ring.commission[1]);
    const t = w.clock.awake(r, after + r.int(600, ring.payEarly ? 6 * HOUR : 20 * HOUR));
    if (ring.relayMode === 'direct') {
      w.transfer(w.op(r, m), acc, t, amount, r.pick(PAYBACK_MEMO));
      return;
    }
    // Relayed: the client pays the first relay a daily lump; the last relay pays each account.
    ring.owed.set(m, (ring.owed.get(m) ?? 0) + amount);
    const payer = ring.twoHop ? ring.relays[r.int(1, ring.relays.length - 1)] : ring.relays[0];
    if (ring.twoHop) ring.forward.set(payer, (ring.forward.get(payer) ?? 0) + amount);
    if (payer === acc) return;
    const payAt = Math.max(t, ring.lumpAt + r.int(ring.twoHop ? 3 * HOUR : 1800, 9 * HOUR));
    if (ring.splitPay > 0 && ring.relays.length > 1 && r.chance(ring.splitPay)) {
      // Principal and commission arrive separately, from two relays, hours or days apart.
      const other = ring.relays.find((x) => x !== payer && x !== acc) ?? payer;
      w.transfer(payer, acc, payAt, o.paid, r.chance(0.6) ? '' : r.pick(RELAY_MEMO));
      w.transfer(
        other,
        acc,
        payAt + r.int(2 * HOUR, 3 * DAY),
        amount - o.paid,
        r.chance(0.7) ? '' : r.pick(RELAY_MEMO),
      );
      return;
    }
    w.transfer(payer, acc, payAt, amount, r.pick(ring.relayMode === 'leader' ? PAYBACK_MEMO : RELAY_MEMO));
  }

  private payLumps(ring: Ring): void {
    const w = this.w;
    const r = this.r;
    if (ring.relayMode === 'direct' || ring.relays.length === 0) return;
    const first = ring.relays[0];
    for (const [m, sum] of ring.owed)
      w.transfer(m.ops[0], first, ring.lumpAt + r.int(0, 40 * 60), sum, r.pick(PAYBACK_MEMO));
    // The first relay forwards what the second pays out, plus a little (it keeps no books per order).
    for (const [payer, sum] of ring.forward) {
      w.transfer(
        first,
        payer,
        ring.lumpAt + r.int(50 * 60, 2.5 * HOUR),
        Math.round(sum * (1 + 0.03 * r.next())),
        r.pick(RELAY_MEMO),
      );
    }
    ring.forward.clear();
  }
}
