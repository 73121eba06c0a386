// Runs the simulation day by day: setup, pre-period registrations, then each day's honest and abusive activity.
import { Honest } from './honest.ts';
import { Lookalikes, RegularBuyers, UnpaidLookalikes } from './lookalikes.ts';
import { type SimOptions, validateOptions } from './options.ts';
import { BannedClaims } from './schemes/banned-claims.ts';
import { Brushing } from './schemes/brushing.ts';
import { setupCashback } from './schemes/cashback.ts';
import { Extortion } from './schemes/extortion.ts';
import { ListingHijack } from './schemes/listing-hijack.ts';
import { MutualBrushing, MutualLookalikes } from './schemes/mutual-brushing.ts';
import { RefundAbuse } from './schemes/refund-abuse.ts';
import { ReverseBrushing } from './schemes/reverse-brushing.ts';
import { ReviewAttack } from './schemes/review-attack.ts';
import { ReviewRemoval } from './schemes/review-removal.ts';
import { SelfDealing } from './schemes/self-dealing.ts';
import { UnpaidOrders } from './schemes/unpaid-orders.ts';
import { type SimSink, World } from './world.ts';

export type { CohortRecord, Mode, SimSink, TruthKind, TruthRecord } from './world.ts';

export interface SimProgress {
  /** Days finished (0 after the pre-period registrations). */
  day: number;
  days: number;
  events: number;
}

export interface SimSummary {
  events: number;
  truth: number;
  byType: Record<string, number>;
  truthByScheme: Record<string, number>;
  /** Truth counts by `scheme.kind`, e.g. `brushing.account`. */
  truthByKind: Record<string, number>;
  /** Truth counts by mode (`classic`, `adaptive`). */
  truthByMode: Record<string, number>;
}

/** Generates the marketplace one day at a time, yielding after each day's events reached the sink. */
export function* simulateDays(opts: SimOptions, sink: SimSink): Generator<SimProgress, SimSummary, void> {
  validateOptions(opts);
  const w = new World(opts, sink);
  const h = new Honest(w);
  h.populate();
  h.chooseLookalikes();
  const s = opts.schemes;
  // Fixed order and one random stream per scheme, so one scheme's knobs do not reshuffle the others.
  const attack = new ReviewAttack(w, h, w.r.fork('review_attack'), s.review_attack);
  const banned = new BannedClaims(w, w.r.fork('banned_claims'), s.banned_claims);
  const farms = new Brushing(w, h, w.r.fork('brushing'), 'farm', s.brushing);
  const careful = new Brushing(w, h, w.r.fork('brushing_careful'), 'careful', s.brushing_careful);
  setupCashback(w, w.r.fork('cashback'), s.cashback);
  const extortion = new Extortion(w, h, w.r.fork('extortion'), s.extortion);
  // Forked after the original schemes, so their plans (and a classic run's files) stay as they were.
  const refundAbuse = new RefundAbuse(w, h, w.r.fork('refund_abuse'), s.refund_abuse);
  const selfDealing = new SelfDealing(w, w.r.fork('self_dealing'), s.self_dealing);
  const removal = new ReviewRemoval(w, w.r.fork('review_removal'), s.review_removal);
  h.removal = removal;
  const hijack = new ListingHijack(w, w.r.fork('listing_hijack'), s.listing_hijack);
  const lookR = w.r.fork('lookalikes_more');
  // Forked after the look-alikes' stream (which stays as it was) but planned before them, so no look-alike
  // picks an instigator (abusive) and the victims are protected first.
  const reverse = new ReverseBrushing(w, h, w.r.fork('reverse_brushing'), s.reverse_brushing);
  // Forked after every stream above; the scheme is planned before its look-alikes so none of them is abusive.
  const unpaid = new UnpaidOrders(w, h, w.r.fork('unpaid_orders'), s.unpaid_orders);
  const unpaidLook = new UnpaidLookalikes(w, h, w.r.fork('unpaid_lookalikes'));
  // Forked after every stream above, so their plans stay as they were; planned before the look-alikes, so
  // none of those picks a member shop, and the scheme's own look-alikes after its members.
  const mutual = new MutualBrushing(w, h, w.r.fork('mutual_brushing'), s.mutual_brushing);
  const mutualLook = new MutualLookalikes(w, h, w.r.fork('mutual_brushing_lookalikes'), s.mutual_brushing);
  const look = new Lookalikes(w, h, lookR);
  // Forked after every stream above, so the other plans stay as they were.
  const regulars = new RegularBuyers(w, h, w.r.fork('regular_buyers'));
  h.look = look;
  h.emitCohorts();
  attack.cohorts();
  reverse.cohorts();
  mutualLook.cohorts();
  unpaid.cohorts();
  unpaidLook.cohorts();
  regulars.cohorts();
  w.emitStanding();
  w.flush(-1);
  yield { day: 0, days: opts.days, events: w.events };
  for (let d = 0; d < opts.days; d++) {
    h.beforeDay(d);
    banned.beforeDay(d);
    hijack.beforeDay(d);
    h.day(d);
    farms.day(d);
    careful.day(d);
    attack.day(d);
    extortion.day(d);
    refundAbuse.day(d);
    mutual.day(d);
    mutualLook.day(d);
    selfDealing.day(d);
    reverse.day(d);
    unpaid.day(d);
    look.day(d);
    unpaidLook.day(d);
    regulars.day(d);
    h.afterDay();
    w.flush(d);
    yield { day: d + 1, days: opts.days, events: w.events };
  }
  extortion.finish();
  return {
    events: w.events,
    truth: w.truthCount,
    byType: { ...w.byType },
    truthByScheme: { ...w.truthByScheme },
    truthByKind: { ...w.truthByKind },
    truthByMode: { ...w.truthByMode },
  };
}

/** Runs the whole simulation into a sink, in memory. */
export function simulate(opts: SimOptions, sink: SimSink): SimSummary {
  const g = simulateDays(opts, sink);
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
  }
}
