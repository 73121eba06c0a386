// 好评返现: merchants pay real buyers for five-star reviews, offered in chat or on a card in the parcel.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import { deviceId, residentialIp } from '../ids.ts';
import type { CashbackKnobs } from '../options.ts';
import { CASHBACK_CLAIM, CASHBACK_MEMO, cashbackOffer, honestReview, Problem } from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  lognormal,
  type Merchant,
  type Placed,
  type World,
} from '../world.ts';

export const CASHBACK = 'cashback';

export function setupCashback(w: World, r: Random, k: CashbackKnobs): void {
  if (!k.enabled || k.merchants <= 0) return;
  const virtual = CATEGORIES.findIndex((c) => c.name === '虚拟商品');
  const cands = r.shuffle(w.established().filter((m) => !m.protected && !m.cashback && m.cat !== virtual));
  for (const m of cands.slice(0, k.merchants)) {
    const mode = drawMode(r, k.adaptiveRate);
    const staff = () => {
      const a = w.newAccount(
        r,
        Math.min(m.reg + r.int(0, 200) * DAY, w.clock.start - r.int(1, 20) * DAY),
        m.prov,
        deviceId(r),
        residentialIp(r),
      );
      // In truth once it has paid a reviewer (see pay below): a staff account that never paid did nothing.
      a.abusive = true;
      return a;
    };
    if (mode === 'adaptive') {
      // Adaptive: the offer never appears in chat (a card in the parcel or an off-platform group), and
      // staff or intermediary accounts pay days later, in odd amounts, mostly without a memo.
      const payers = Array.from({ length: r.int(1, 3) }, staff);
      const lo = inRange(r, k.amountYuan);
      m.cashback = {
        offerRate: inRangeF(r, k.offerRate),
        uptake: k.uptakeRate,
        yuan: [lo, Math.max(lo, Math.min(Math.round(k.amountYuan[1]) + 5, lo + r.int(2, 10)))],
        payer: payers[0],
        cardOnly: true,
        mode,
        payers,
        payDelayDays: [k.adaptivePayDelayDays[0], k.adaptivePayDelayDays[1]],
        offPlatform: r.chance(k.adaptiveOffPlatformRate),
      };
      m.abusive = true;
      continue;
    }
    let payer = m.ops[0];
    if (r.chance(k.intermediaryRate)) {
      // A staff member's personal account, not listed among the shop's operator accounts.
      payer = w.newAccount(
        r,
        Math.min(m.reg + r.int(0, 200) * DAY, w.clock.start - r.int(1, 20) * DAY),
        m.prov,
        deviceId(r),
        residentialIp(r),
      );
      payer.abusive = true;
    }
    const lo = inRange(r, k.amountYuan);
    const hi = Math.min(Math.round(k.amountYuan[1]), lo + r.int(0, 5));
    m.cashback = {
      offerRate: inRangeF(r, k.offerRate),
      uptake: k.uptakeRate,
      yuan: [lo, Math.max(lo, hi)],
      payer,
      cardOnly: r.chance(k.cardOnlyRate),
      mode,
      payers: [],
      payDelayDays: null,
      offPlatform: false,
    };
    // The merchant enters truth at its first act (an offer in chat, a review bought, a payment), not when
    // planned: a shop whose offers nobody took, by card or off the platform, did nothing to find.
    m.abusive = true;
  }
}

/** A cash-back payment; the shop and a payer of its own (not a declared operator) enter truth with it. */
function pay(w: World, m: Merchant, payer: Account, to: Account, t: number, fen: number, memo: string) {
  if (!w.transfer(payer, to, t, fen, memo)) return;
  const mode = m.cashback!.mode;
  w.truth('merchant', m.id, CASHBACK, mode);
  if (payer.abusive) w.truth('account', payer.id, CASHBACK, mode);
}

/** Runs the offer on a delivered order of a cash-back merchant; true when it decided the buyer's review. */
export function cashbackAftermath(w: World, r: Random, o: Placed, a: Account): boolean {
  const m = o.input.m;
  const plan = m.cashback;
  if (!plan || !r.chance(plan.offerRate)) return false;
  const op = w.op(r, m);
  const yuan = r.int(plan.yuan[0], plan.yuan[1]);
  let offered = o.deliveredAt;
  if (!plan.cardOnly) {
    offered = r.chance(0.3)
      ? o.shippedAt + r.int(300, 3 * HOUR)
      : w.clock.awake(r, o.deliveredAt + r.int(600, 8 * HOUR));
    w.message(op, a, offered, cashbackOffer(r, yuan), o.id);
    w.truth('merchant', m.id, CASHBACK, plan.mode);
  }
  if (!r.chance(plan.uptake)) return false;
  const tr = w.clock.awake(
    r,
    Math.max(offered, o.deliveredAt) +
      Math.round(lognormal(r, plan.offPlatform ? 28 * HOUR : 5 * HOUR, 1.0)) +
      300,
  );
  const s = w.login(r, a, tr, 0.3);
  let text = honestReview(r, CATEGORIES[m.cat], 5, Problem.None, false);
  // Offers often demand 15+ characters; buyers pad to get there.
  if (text !== undefined && text.length < 15 && r.chance(0.6))
    text += r.pick(['，质量很好，物流也快，推荐购买', '，非常满意，五星好评', '，客服服务态度很好']);
  const images = r.chance(0.65) ? r.int(1, 4) : 0;
  const tag = { scheme: CASHBACK, mode: plan.mode };
  const rid = w.review(o, a, tr, 5, text, images, s.device, s.ip, tag);
  if (!rid) return true;
  w.truth('merchant', m.id, CASHBACK, plan.mode);
  if (plan.payDelayDays) {
    // Adaptive: no claim in chat; paid days later by one of the staff accounts, odd amounts, few memos.
    if (!r.chance(0.9)) return true;
    const fen = yuan * 100 + r.pick([0, 0, 88, 66, 20, 50, 18, 99]) - (r.chance(0.3) ? r.int(1, 60) : 0);
    const delay = Math.round(inRangeF(r, plan.payDelayDays) * DAY);
    pay(
      w,
      m,
      r.pick(plan.payers),
      a,
      w.clock.awake(r, tr + delay),
      fen,
      r.chance(0.75) ? '' : r.pick(['红包', '谢谢', '活动', '售后']),
    );
    return true;
  }
  if (!plan.cardOnly || r.chance(0.8)) w.message(a, op, tr + r.int(60, HOUR), r.pick(CASHBACK_CLAIM), o.id);
  if (r.chance(0.92))
    pay(w, m, plan.payer, a, w.clock.awake(r, tr + r.int(600, 36 * HOUR)), yuan * 100, r.pick(CASHBACK_MEMO));
  return true;
}
