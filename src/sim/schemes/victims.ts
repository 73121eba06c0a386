// A shop worth hurting and a competitor of it in the same category: the victim and instigator of the schemes
// that one shop runs against another (review attacks, reverse brushing, stock locking).
import type { Random } from '../../platform/random.ts';
import type { Merchant } from '../world.ts';

export interface VictimPick {
  /** Victims are drawn from the most popular shops: index ⌊u^skew · n · top⌋ of those sorted by popularity. */
  skew: number;
  top: number;
  victimOk: (m: Merchant) => boolean;
  /** Default: any other shop of the victim's category. */
  rivalOk?: (m: Merchant) => boolean;
}

/** An honest shop nobody else has picked: not abusive, not already a victim, not paying for reviews. */
export const honestTarget = (v: Merchant) => !v.abusive && !v.protected && !v.cashback;

/** Up to 30 tries; null when no popular shop of `candidates` has an acceptable rival. */
export function pickVictimAndRival(
  r: Random,
  candidates: Merchant[],
  o: VictimPick,
): { victim: Merchant; instigator: Merchant } | null {
  const sorted = candidates.slice().sort((a, b) => b.pop - a.pop);
  for (let tries = 0; tries < 30; tries++) {
    const v = sorted[Math.floor(r.next() ** o.skew * sorted.length * o.top)];
    if (!v || !o.victimOk(v)) continue;
    const rivals = candidates.filter((m) => m.cat === v.cat && m !== v && (o.rivalOk?.(m) ?? true));
    if (rivals.length === 0) continue;
    return { victim: v, instigator: r.pick(rivals) };
  }
  return null;
}
