// 好评返现: merchants pay real buyers for five-star reviews, offered in chat or on a card in the parcel.
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY, HOUR } from '../clock.ts';
import { deviceId, residentialIp } from '../ids.ts';
import type { CashbackKnobs } from '../options.ts';
import { CASHBACK_CLAIM, CASHBACK_MEMO, cashbackOffer, honestReview, Problem } from '../text.ts';
import { type Account, inRange, inRangeF, lognormal, type Placed, type World } from '../world.ts';

export const CASHBACK = 'cashback';

export function setupCashback(w: World, r: Random, k: CashbackKnobs): void {
  if (!k.enabled || k.merchants <= 0) return;
  const virtual = CATEGORIES.findIndex((c) => c.name === '虚拟商品');
  const cands = r.shuffle(w.established().filter((m) => !m.protected && !m.cashback && m.cat !== virtual));
  for (const m of cands.slice(0, k.merchants)) {
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
      w.truth('account', payer.id, CASHBACK);
    }
    const lo = inRange(r, k.amountYuan);
    const hi = Math.min(Math.round(k.amountYuan[1]), lo + r.int(0, 5));
    m.cashback = {
      offerRate: inRangeF(r, k.offerRate),
      uptake: k.uptakeRate,
      yuan: [lo, Math.max(lo, hi)],
      payer,
      cardOnly: r.chance(k.cardOnlyRate),
    };
    m.abusive = true;
    w.truth('merchant', m.id, CASHBACK);
  }
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
  }
  if (!r.chance(plan.uptake)) return false;
  const tr = w.clock.awake(
    r,
    Math.max(offered, o.deliveredAt) + Math.round(lognormal(r, 5 * HOUR, 1.0)) + 300,
  );
  const s = w.login(r, a, tr, 0.3);
  let text = honestReview(r, CATEGORIES[m.cat], 5, Problem.None, false);
  // Offers often demand 15+ characters; buyers pad to get there.
  if (text !== undefined && text.length < 15 && r.chance(0.6))
    text += r.pick(['，质量很好，物流也快，推荐购买', '，非常满意，五星好评', '，客服服务态度很好']);
  const images = r.chance(0.65) ? r.int(1, 4) : 0;
  const rid = w.review(o, a, tr, 5, text, images, s.device, s.ip, CASHBACK);
  if (!rid) return true;
  if (!plan.cardOnly || r.chance(0.8)) w.message(a, op, tr + r.int(60, HOUR), r.pick(CASHBACK_CLAIM), o.id);
  if (r.chance(0.92))
    w.transfer(
      plan.payer,
      a,
      w.clock.awake(r, tr + r.int(600, 36 * HOUR)),
      yuan * 100,
      r.pick(CASHBACK_MEMO),
    );
  return true;
}
