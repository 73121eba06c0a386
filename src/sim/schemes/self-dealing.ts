// 自买自卖 / 商家自刷: a merchant's own or relatives' accounts buy from its shop and leave five-star reviews; the
// merchant's side pays them back. Some share phones, devices or addresses with the declared operator accounts,
// others are not linked at all. Honest look-alike: cohort staff_purchase (staff buying, no review pay-back).
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import { lineFor } from '../honest.ts';
import { deviceId, residentialIp } from '../ids.ts';
import type { SelfDealingKnobs } from '../options.ts';
import { genericPraise, honestReview, P2P_MEMO, Problem } from '../text.ts';
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

export const SELF_DEALING = 'self_dealing';

interface Plan {
  m: Merchant;
  tag: Tag;
  accounts: Account[];
  payer: Account;
  fourStar: number;
}

interface Task {
  p: Plan;
  acc: Account;
  t: number;
}

export class SelfDealing {
  private readonly tasks: Task[][];

  constructor(
    private readonly w: World,
    private readonly r: Random,
    private readonly k: SelfDealingKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled || k.merchants <= 0) return;
    const cands = r.shuffle(w.established().filter((m) => !m.protected && !m.abusive && !m.light));
    for (const m of cands.slice(0, k.merchants)) this.setup(m);
  }

  private setup(m: Merchant): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const mode = drawMode(r, k.adaptiveRate);
    const adaptive = mode === 'adaptive';
    const declared = r.chance(adaptive ? k.declaredRate / 2 : k.declaredRate);
    const p: Plan = { m, tag: { scheme: SELF_DEALING, mode }, accounts: [], payer: m.ops[0], fourStar: 0 };
    if (adaptive) p.fourStar = inRangeF(r, k.adaptiveFourStarRate);
    m.abusive = true;
    w.truth('merchant', m.id, SELF_DEALING, mode);
    const ops = m.ops;
    for (let i = 0, n = inRange(r, k.accountsPerMerchant); i < n; i++) {
      const op = r.pick(ops);
      const reg = Math.min(w.clock.start - DAY, m.reg + r.int(-300, 200) * DAY);
      const linked = declared && r.chance(0.7);
      const a = w.newAccount(r, reg, m.prov, linked && r.chance(0.5) ? op.device : deviceId(r), '');
      a.city = m.city;
      a.homeIp = linked && r.chance(0.6) ? op.homeIp : residentialIp(r);
      a.net = r.chance(0.6) ? Net.Home : Net.Mobile;
      a.regIp = w.ipFor(r, a, reg);
      if (linked) {
        // Relatives on the owner's phone contract, device or home address.
        if (r.chance(0.4)) a.phone = op.phone;
        if (r.chance(0.5)) a.device2 = op.device;
        if (r.chance(0.5)) a.addr = op.addr;
        if (r.chance(0.3)) a.inst = op.inst;
      }
      a.reviewP = 0.5;
      a.cats = [m.cat];
      a.abusive = true;
      w.truth('account', a.id, SELF_DEALING, mode);
      p.accounts.push(a);
    }
    // Adaptive merchants pay back through a relative's personal account, not an operator's.
    if (adaptive && p.accounts.length > 1) p.payer = p.accounts[0];
    const days = w.opts.days;
    for (const acc of p.accounts) {
      if (acc === p.payer) continue;
      for (let i = 0, n = Math.max(1, scaled(r, inRange(r, k.ordersPerAccount), days / 30)); i < n; i++) {
        const d = r.int(0, days - 1);
        const t = adaptive ? w.clock.shopTime(r, d) : w.clock.timeBetween(r, d, 10, 17);
        this.tasks[d].push({ p, acc, t });
      }
    }
  }

  day(d: number): void {
    const w = this.w;
    const r = this.r;
    for (const task of this.tasks[d]) {
      const { p, acc, t } = task;
      if (acc.reg + 600 >= t) continue;
      const adaptive = p.tag.mode === 'adaptive';
      const l = w.pickListing(r, p.m, t);
      if (!l) continue;
      const s = w.login(r, acc, t, 0.7);
      const o = w.orderInput(r, acc, p.m, [lineFor(w, r, l, t, 0.1)], t, s.device, s.ip);
      o.truth = p.tag;
      if (!adaptive) o.payDelay = r.int(5, 120);
      // Nothing real needs to travel: classic shops often hand the goods over or ship a light parcel.
      if (!adaptive && !l.item.virtual && r.chance(0.5)) o.weight = r.int(30, 200);
      const placed = w.placeOrder(r, o);
      if (!placed.paidAt) continue;
      let after = placed.paidAt;
      if (placed.deliveredAt && r.chance(this.k.reviewRate)) {
        const delay = adaptive ? lognormal(r, 28 * HOUR, 0.9) : r.int(600, 10 * HOUR);
        const tr = w.clock.awake(r, placed.deliveredAt + Math.round(Math.min(8 * DAY, delay)) + 300);
        const rs = w.login(r, acc, tr, 0.4);
        const rating = adaptive && r.chance(p.fourStar) ? 4 : 5;
        const text =
          adaptive || r.chance(0.5)
            ? honestReview(r, CATEGORIES[p.m.cat], rating, Problem.None, false)
            : genericPraise(r);
        const images = r.chance(adaptive ? 0.25 : 0.5) ? r.int(1, 4) : 0;
        if (w.review(placed, acc, tr, rating, text, images, rs.device, rs.ip, p.tag)) after = tr;
      }
      // Paid back from the shop's side, as household money rather than a refund.
      const payer = adaptive ? p.payer : w.op(r, p.m);
      const amount = adaptive ? Math.round(placed.paid / 1000) * 1000 + r.int(0, 9) * 100 : placed.paid;
      w.transfer(
        payer,
        acc,
        w.clock.awake(r, after + r.int(HOUR, adaptive ? 4 * DAY : DAY)),
        Math.max(100, amount),
        r.chance(0.5) ? '' : r.pick(P2P_MEMO),
      );
    }
    this.tasks[d] = [];
  }
}
