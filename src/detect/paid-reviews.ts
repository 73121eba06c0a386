// Reviews someone paid for, found by where the money goes, which no wording can hide: it has to reach the
// reviewers.
// - 好评返现: one account (a declared operator, staff the shop never declared, an intermediary) sends money to
//   several buyers of one shop soon after each of them posted a good review there.
// - 反向刷单 / 恶意差评: one account that is not the shop's side pays several buyers of a shop soon after each
//   left it a low review (the attackers' fee). A shop's own compensation of its unhappy buyers comes from the
//   shop's side, so it does not count here.
// A friend's one-off transfer pays one reviewer, not several of one shop.
import type { MarketState, ReviewState } from './stream/state.ts';

export interface PaidReviewOptions {
  /** Ratings at or above this are good. */
  goodRatingMin: number;
  /** Ratings at or below this are low. */
  lowRatingMax: number;
  /** A transfer counts this long after the review. */
  windowMs: number;
  /** Whether the account is the merchant's own side (its operators, or money-linked to them). */
  isSideOf: (account: string, merchant: string) => boolean;
}

export type Band = 'good' | 'low';

/** Who paid which shop's reviewers soon after their reviews, for one band of ratings. */
class PaidBand {
  /** payer → merchant → reviewers it paid soon after their review there */
  readonly byPayer = new Map<string, Map<string, Set<string>>>();
  /** merchant → payer → its reviewers that payer paid */
  readonly byMerchant = new Map<string, Map<string, Set<string>>>();
  /** review id → the accounts that paid its reviewer soon after it */
  readonly payersOf = new Map<string, string[]>();

  add(r: ReviewState, payer: string) {
    let payers = this.payersOf.get(r.id);
    if (!payers) this.payersOf.set(r.id, (payers = []));
    if (!payers.includes(payer)) payers.push(payer);
    addNested(this.byPayer, payer, r.merchant, r.buyer);
    addNested(this.byMerchant, r.merchant, payer, r.buyer);
  }
}

export class PaidReviews {
  private readonly bands: Record<Band, PaidBand> = { good: new PaidBand(), low: new PaidBand() };

  constructor(state: MarketState, o: PaidReviewOptions) {
    for (const r of state.reviews.values()) {
      const band = r.rating >= o.goodRatingMin ? 'good' : r.rating <= o.lowRatingMax ? 'low' : null;
      if (!band) continue;
      const end = r.at + o.windowMs;
      for (const t of state.accounts.get(r.buyer)?.transfersIn ?? []) {
        if (t.at < r.at || t.at > end || t.from === r.buyer) continue;
        if (band === 'low' && o.isSideOf(t.from, r.merchant)) continue;
        this.bands[band].add(r, t.from);
      }
    }
  }

  /** The most reviewers of one shop this account paid after their reviews, and at how many shops it paid 2+. */
  payer(account: string, band: Band, exceptShop?: string): { maxAtShop: number; shops: number } {
    let maxAtShop = 0;
    let shops = 0;
    for (const [shop, reviewers] of this.bands[band].byPayer.get(account) ?? []) {
      if (shop === exceptShop) continue;
      maxAtShop = Math.max(maxAtShop, reviewers.size);
      if (reviewers.size >= 2) shops++;
    }
    return { maxAtShop, shops };
  }

  /**
   * Of a shop's reviewers in the band: the most that one account paid soon after their reviews, and how many
   * were paid by an account that paid two or more of them.
   */
  merchant(id: string, band: Band): { maxByOne: number; byRepeatPayers: number } {
    let maxByOne = 0;
    const repeat = new Set<string>();
    for (const reviewers of this.bands[band].byMerchant.get(id)?.values() ?? []) {
      maxByOne = Math.max(maxByOne, reviewers.size);
      if (reviewers.size >= 2) for (const b of reviewers) repeat.add(b);
    }
    return { maxByOne, byRepeatPayers: repeat.size };
  }

  /** The most reviewers of this review's shop (same band) that any one of its reviewer's payers paid. */
  review(r: ReviewState, band: Band): number {
    let most = 0;
    const b = this.bands[band];
    const at = b.byMerchant.get(r.merchant);
    for (const p of b.payersOf.get(r.id) ?? []) most = Math.max(most, at?.get(p)?.size ?? 0);
    return most;
  }
}

/** Adds `c` under `a` → `b` (nested maps of sets: no key string built per lookup). */
export function addNested(m: Map<string, Map<string, Set<string>>>, a: string, b: string, c: string) {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  addTo(inner, b, c);
}

/** Adds `b` to the set under `a`. */
export function addTo(m: Map<string, Set<string>>, a: string, b: string) {
  const set = m.get(a);
  if (set) set.add(b);
  else m.set(a, new Set([b]));
}
