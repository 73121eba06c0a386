// 好评返现 paid by anyone: an account that sends money to several buyers of one shop in the days after each of
// them posted a good review there is paying for those reviews, whoever it is (a declared operator, staff the
// shop never declared, an intermediary) and however the transfer is worded. The money has to reach the
// reviewers, so this cannot be left out the way a chat offer can. Compensation follows low reviews and
// complaints, not good ones, and a friend's one-off transfer pays one reviewer, not several of one shop.
import type { MarketState, ReviewState } from './stream/state.ts';

export interface PaidReviewOptions {
  /** Ratings at or above this are good. */
  goodRatingMin: number;
  /** A transfer counts this long after the review. */
  windowMs: number;
}

export class PaidGoodReviews {
  /** payer → merchant → reviewers it paid soon after their good review there */
  private readonly byPayer = new Map<string, Map<string, Set<string>>>();
  /** merchant → payer → its good reviewers that payer paid */
  private readonly byMerchant = new Map<string, Map<string, Set<string>>>();
  /** good review id → the accounts that paid its reviewer soon after it */
  private readonly payersOf = new Map<string, string[]>();

  constructor(state: MarketState, o: PaidReviewOptions) {
    for (const r of state.reviews.values()) {
      if (r.rating < o.goodRatingMin) continue;
      const end = r.at + o.windowMs;
      let payers: string[] | undefined;
      for (const t of state.accounts.get(r.buyer)?.transfersIn ?? []) {
        if (t.at < r.at || t.at > end || t.from === r.buyer) continue;
        payers ??= [];
        if (!payers.includes(t.from)) payers.push(t.from);
        add(this.byPayer, t.from, r.merchant, r.buyer);
        add(this.byMerchant, r.merchant, t.from, r.buyer);
      }
      if (payers) this.payersOf.set(r.id, payers);
    }
  }

  /** The most reviewers of one shop this account paid after their good reviews, and at how many shops it paid 2+. */
  payer(account: string): { maxAtShop: number; shops: number } {
    let maxAtShop = 0;
    let shops = 0;
    for (const reviewers of this.byPayer.get(account)?.values() ?? []) {
      maxAtShop = Math.max(maxAtShop, reviewers.size);
      if (reviewers.size >= 2) shops++;
    }
    return { maxAtShop, shops };
  }

  /**
   * Of a shop's good reviewers: the most that one account paid soon after their reviews, and how many were
   * paid by an account that paid two or more of them.
   */
  merchant(id: string): { maxByOne: number; byRepeatPayers: number } {
    let maxByOne = 0;
    const repeat = new Set<string>();
    for (const reviewers of this.byMerchant.get(id)?.values() ?? []) {
      maxByOne = Math.max(maxByOne, reviewers.size);
      if (reviewers.size >= 2) for (const b of reviewers) repeat.add(b);
    }
    return { maxByOne, byRepeatPayers: repeat.size };
  }

  /** The most good reviewers of this review's shop that any one of its reviewer's payers paid (0 if unpaid). */
  review(r: ReviewState): number {
    let most = 0;
    const at = this.byMerchant.get(r.merchant);
    for (const p of this.payersOf.get(r.id) ?? []) most = Math.max(most, at?.get(p)?.size ?? 0);
    return most;
  }
}

function add(m: Map<string, Map<string, Set<string>>>, a: string, b: string, c: string) {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  let set = inner.get(b);
  if (!set) inner.set(b, (set = new Set()));
  set.add(c);
}
