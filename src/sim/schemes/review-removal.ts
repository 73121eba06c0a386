// 花钱删差评: a merchant pays unhappy reviewers small sums, often through an intermediary and with an empty memo,
// shortly before they remove their own low reviews. The reviewers are honest buyers; the merchant, its paying
// intermediaries and the removed reviews are labelled. Look-alikes: cohorts fixed_then_removed (a genuine fix,
// no money) and compensating_merchant / compensator (compensation without a removal deal).
import type { Random } from '../../platform/random.ts';
import { DAY, HOUR } from '../clock.ts';
import { deviceId, residentialIp } from '../ids.ts';
import type { ReviewRemovalKnobs } from '../options.ts';
import { REVIEW_REMOVED_BUYER, removalOffer } from '../text.ts';
import {
  type Account,
  drawMode,
  inRange,
  inRangeF,
  type Merchant,
  type Placed,
  type Tag,
  type World,
} from '../world.ts';

export const REVIEW_REMOVAL = 'review_removal';

interface Plan {
  tag: Tag;
  offerRate: number;
  payers: Account[];
}

export class ReviewRemoval {
  private readonly plans = new Map<Merchant, Plan>();

  constructor(
    private readonly w: World,
    private readonly r: Random,
    private readonly k: ReviewRemovalKnobs,
  ) {
    if (!k.enabled || k.merchants <= 0) return;
    const cands = r.shuffle(w.established().filter((m) => !m.protected && !m.abusive && !m.cashback));
    for (const m of cands.slice(0, k.merchants)) {
      const mode = drawMode(r, k.adaptiveRate);
      const adaptive = mode === 'adaptive';
      const payers: Account[] = [];
      if (r.chance(adaptive ? Math.max(0.8, k.intermediaryRate) : k.intermediaryRate)) {
        for (let i = 0, n = adaptive ? r.int(1, 3) : 1; i < n; i++) {
          const a = w.newAccount(
            r,
            w.clock.start - r.int(30, 900) * DAY,
            m.prov,
            deviceId(r),
            residentialIp(r),
          );
          a.abusive = true;
          payers.push(a);
        }
      }
      // In truth from its first offer that shows (a chat or a payment): a planned merchant that never
      // offered did nothing to find.
      m.abusive = true;
      this.plans.set(m, {
        tag: { scheme: REVIEW_REMOVAL, mode },
        offerRate: inRangeF(r, k.offerRate),
        payers,
      });
    }
  }

  handles(m: Merchant): boolean {
    return this.plans.has(m);
  }

  /** An honest low review at a planned merchant: maybe an offer, a payment, then the buyer removes it. */
  lowReview(o: Placed, a: Account, reviewId: string, t: number): boolean {
    const w = this.w;
    const r = this.r;
    const k = this.k;
    const m = o.input.m;
    const p = this.plans.get(m)!;
    if (!r.chance(p.offerRate)) return false;
    const adaptive = p.tag.mode === 'adaptive';
    const yuan = inRange(r, k.payYuan);
    const op = w.op(r, m);
    const to = w.clock.awake(r, t + r.int(HOUR, 20 * HOUR));
    if (!adaptive && r.chance(k.chatRate)) {
      w.message(op, a, to, removalOffer(r, yuan), o.id);
      w.truth('merchant', m.id, REVIEW_REMOVAL, p.tag.mode);
    }
    if (!r.chance(k.acceptRate)) return true;
    const payer = p.payers.length ? r.pick(p.payers) : m.ops[0];
    const tp = to + r.int(600, adaptive ? DAY : 6 * HOUR);
    const fen = adaptive ? yuan * 100 + r.pick([0, 0, 50, 88, 66, 20]) : yuan * 100;
    const memo = adaptive || r.chance(0.6) ? '' : r.pick(['补偿', '红包', '售后']);
    // An intermediary is in truth once it has paid for a removal: one that never paid did nothing to find.
    if (w.transfer(payer, a, tp, fen, memo)) {
      w.truth('merchant', m.id, REVIEW_REMOVAL, p.tag.mode);
      if (payer.abusive) w.truth('account', payer.id, REVIEW_REMOVAL, p.tag.mode);
    }
    const delay = adaptive ? Math.round(inRangeF(r, k.adaptivePayDelayHours) * HOUR) : r.int(600, 12 * HOUR);
    const kept = w.removeReview(
      reviewId,
      tp + delay,
      'buyer',
      r.chance(0.5) ? '' : r.pick(REVIEW_REMOVED_BUYER),
    );
    if (kept) w.truth('review', reviewId, REVIEW_REMOVAL, p.tag.mode);
    return true;
  }
}
