// 恶意仅退款 / 职业索赔: linked accounts buy cheap food and cosmetics across many shops, claim refund-only over
// label defects or "false advertising", demand punitive compensation (退一赔十 under the Food Safety Law, 退一赔三
// under the Consumer Rights Law), leave low ratings; some shops pay. Honest look-alike: cohort genuine_claim.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import type { Honest } from '../honest.ts';
import { lineFor } from '../honest.ts';
import { deviceId, hex32, residentialIp } from '../ids.ts';
import type { RefundAbuseKnobs } from '../options.ts';
import {
  CLAIM_REFUND,
  CLAIM_REVIEW,
  honestReview,
  LOOKALIKE_LABEL_REFUND,
  MERCHANT_GIVE_IN,
  MERCHANT_REFUSAL,
  Problem,
  punitiveDemand,
} from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  type Merchant,
  Net,
  scaled,
  type Tag,
  type World,
} from '../world.ts';

export const REFUND_ABUSE = 'refund_abuse';

const TARGET_CATS = new Set(['食品', '美妆', '母婴']);

interface Group {
  members: Account[];
  tag: Tag;
  chatRate: number;
}

interface Task {
  g: Group;
  acc: Account;
  m: Merchant;
  t: number;
  claim: boolean;
}

export class RefundAbuse {
  private readonly tasks: Task[][];

  constructor(
    private readonly w: World,
    private readonly h: Honest,
    private readonly r: Random,
    private readonly k: RefundAbuseKnobs,
  ) {
    this.tasks = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled) return;
    const shops = w.established().filter((m) => !m.protected && TARGET_CATS.has(CATEGORIES[m.cat].name));
    if (shops.length === 0) return;
    for (let i = 0; i < k.groups; i++) this.setup(shops);
  }

  private setup(shops: Merchant[]): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const mode = drawMode(r, k.adaptiveRate);
    const adaptive = mode === 'adaptive';
    const g: Group = { members: [], tag: { scheme: REFUND_ABUSE, mode }, chatRate: 1 };
    if (adaptive) g.chatRate = inRangeF(r, k.adaptiveChatRate);
    const prov = r.int(0, w.natPools.length - 1);
    const n = inRange(r, k.accountsPerGroup);
    const devices = Array.from({ length: Math.max(1, Math.ceil(n / 2)) }, () => deviceId(r));
    const ip = residentialIp(r);
    // Claimants often share one delivery address (a pickup point or an office), and one or two cards.
    const addr = hex32(r);
    for (let i = 0; i < n; i++) {
      const reg = w.clock.start - (adaptive ? r.int(120, 1500) : r.int(10, 400)) * DAY - r.int(0, DAY);
      const shared = r.chance(adaptive ? k.sharedDeviceRate / 2 : k.sharedDeviceRate);
      const a = w.newAccount(
        r,
        reg,
        prov,
        shared ? r.pick(devices) : deviceId(r),
        adaptive ? residentialIp(r) : ip,
      );
      a.homeIp = a.regIp;
      a.net = r.chance(0.6) ? Net.Home : Net.Mobile;
      if (r.chance(adaptive ? 0.3 : 0.7)) a.addr2 = addr;
      if (r.chance(0.4)) a.device2 = r.pick(devices);
      a.reviewP = 0.4;
      a.cats = [r.int(0, CATEGORIES.length - 1)];
      a.abusive = true;
      w.truth('account', a.id, REFUND_ABUSE, mode);
      g.members.push(a);
    }
    const days = w.opts.days;
    for (const acc of g.members) {
      const nC = Math.max(1, scaled(r, inRange(r, k.claimsPerAccount), days / 30));
      const seen = new Set<Merchant>();
      for (let i = 0; i < nC; i++) {
        let m = r.pick(shops);
        for (let tries = 0; tries < 6 && seen.has(m); tries++) m = r.pick(shops);
        seen.add(m);
        const d = r.int(0, Math.max(0, days - 4));
        this.tasks[d].push({ g, acc, m, t: w.clock.shopTime(r, d), claim: true });
      }
      const camo = scaled(
        r,
        nC,
        (adaptive ? 2 : 1) * (k.camouflageRate / Math.max(0.05, 1 - k.camouflageRate)),
      );
      for (let i = 0; i < camo; i++) {
        const d = r.int(0, days - 1);
        this.tasks[d].push({ g, acc, m: w.pickMerchant(r, -1), t: w.clock.shopTime(r, d), claim: false });
      }
    }
  }

  day(d: number): void {
    for (const task of this.tasks[d]) {
      if (task.acc.reg + 600 >= task.t) continue;
      if (task.claim) this.claim(task);
      else this.h.order(this.r, task.acc, task.t, task.m);
    }
    this.tasks[d] = [];
  }

  private claim(task: Task): void {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const { g, acc, m, t } = task;
    const adaptive = g.tag.mode === 'adaptive';
    const l = w.cheapest(m, t) ?? w.pickListing(r, m, t);
    if (!l) return;
    const s = w.login(r, acc, t, 0.8);
    const line = lineFor(w, r, l, t, 0);
    // Classic claimants stock up (more units means more compensation); adaptive ones buy one or two.
    if (l.item.qtyMax > 1 && r.chance(adaptive ? 0.2 : 0.6))
      line.qty = r.int(2, Math.min(l.item.qtyMax, adaptive ? 2 : 6));
    const o = w.orderInput(r, acc, m, [line], t, s.device, s.ip);
    o.truth = g.tag;
    const placed = w.placeOrder(r, o);
    if (!placed.deliveredAt) return;
    const food = CATEGORIES[m.cat].name === '食品';
    const tq = w.clock.awake(r, placed.deliveredAt + r.int(2 * HOUR, 2 * DAY));
    const reason = adaptive && r.chance(0.6) ? r.pick(LOOKALIKE_LABEL_REFUND) : r.pick(CLAIM_REFUND);
    w.refund(placed, tq, placed.paid, reason, r.chance(0.55) ? tq + r.int(HOUR, 3 * DAY) : 0);
    const tr = w.clock.awake(r, tq + r.int(HOUR, DAY));
    const rs = w.login(r, acc, tr, 0.4);
    const rating = adaptive ? (r.chance(0.6) ? 1 : r.chance(0.7) ? 2 : 3) : r.chance(0.8) ? 1 : 2;
    const text =
      adaptive && r.chance(0.6)
        ? honestReview(r, CATEGORIES[m.cat], rating, Problem.Quality, false)
        : r.pick(CLAIM_REVIEW);
    w.review(placed, acc, tr, rating, text, r.chance(0.6) ? r.int(1, 4) : 0, rs.device, rs.ip, g.tag);
    const op = w.op(r, m);
    const yuan =
      Math.round(Math.max(inRange(r, k.compensationYuan), (placed.paid / 100) * (food ? 10 : 3)) / 10) * 10;
    const chat = r.chance(k.punitiveRate) && r.chance(g.chatRate);
    const tc = tq + r.int(600, 6 * HOUR);
    if (chat) w.message(acc, op, tc, punitiveDemand(r, food, yuan), placed.id);
    if (!r.chance(k.payRate)) {
      if (chat)
        w.message(op, acc, w.clock.awake(r, tc + r.int(600, 8 * HOUR)), r.pick(MERCHANT_REFUSAL), placed.id);
      return;
    }
    const tp = w.clock.awake(r, tc + r.int(2 * HOUR, 3 * DAY));
    if (chat) w.message(op, acc, tp - r.int(60, 1800), r.pick(MERCHANT_GIVE_IN), placed.id);
    const to = adaptive && r.chance(0.4) ? r.pick(g.members) : acc;
    w.transfer(m.ops[0], to, tp, yuan * 100, r.pick(['赔偿', '', '协商赔偿', '售后补偿', '']));
  }
}
