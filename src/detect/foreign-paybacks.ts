// Pay-backs from another shop's side (反向刷单): a competitor hires a ring to brush a rival's shop so the platform
// punishes the rival, and pays the ring itself. The money has to reach the ring, and it comes from the
// instigator's side (its operators, or an intermediary they fund), not from the shop the orders were placed at.
// A brushing client pays its own ring: there the money is the shop's side. So for the shop, buyers paid back
// by someone else's side speak for it, and for the payer, buyers of a shop that is not its own speak against it.
// A transfer the payer's own shop owes the buyer (a pay-back or compensation for an order there) is not counted.
import { addNested, addTo } from './paid-reviews.ts';
import type { MarketState, OrderState } from './stream/state.ts';

export interface ForeignPaybackOptions {
  /** Money counts from this long before an order… */
  beforeMs: number;
  /** …to this long after it. */
  afterMs: number;
  /** Whether the account is the merchant's own side (its operators, or money-linked to them). */
  isSideOf: (account: string, merchant: string) => boolean;
  /** The merchants whose side the account is on. */
  sidesOf: (account: string) => readonly string[];
}

export class ForeignPaybacks {
  /** merchant → foreign payer → that shop's buyers it paid around their orders there */
  private readonly byMerchant = new Map<string, Map<string, Set<string>>>();
  /** payer → merchant (not its side) → buyers there it paid */
  private readonly byPayer = new Map<string, Map<string, Set<string>>>();
  /** order → its buyer's foreign payers around it */
  private readonly payersOf = new Map<string, string[]>();
  /** merchant → its buyers paid around an order there by the shop's own side */
  private readonly own = new Map<string, Set<string>>();

  constructor(state: MarketState, o: ForeignPaybackOptions) {
    for (const a of state.accounts.values()) {
      if (a.transfersIn.length === 0 || a.orders.length === 0) continue;
      for (const ord of a.orders) {
        if (ord.paidAt === undefined) continue;
        const from = ord.createdAt - o.beforeMs;
        const to = ord.createdAt + o.afterMs;
        for (const t of a.transfersIn) {
          if (t.at < from || t.at > to || t.from === a.id) continue;
          if (o.isSideOf(t.from, ord.merchant)) {
            addTo(this.own, ord.merchant, a.id);
            continue;
          }
          // Another shop's side, unless that shop owes the buyer for an order of its own near the money.
          const foreign = o
            .sidesOf(t.from)
            .some((m) => m !== ord.merchant && !orderedNear(a.orders, m, t.at, o.afterMs, o.beforeMs));
          if (!foreign) continue;
          addNested(this.byMerchant, ord.merchant, t.from, a.id);
          addNested(this.byPayer, t.from, ord.merchant, a.id);
          const l = this.payersOf.get(ord.id);
          if (!l) this.payersOf.set(ord.id, [t.from]);
          else if (!l.includes(t.from)) l.push(t.from);
        }
      }
    }
  }

  /**
   * A shop's buyers paid around their orders there by another shop's side, counting only payers that paid
   * two or more of them (a ring's paymaster, not one friend), and those paid by the shop's own side.
   */
  merchant(id: string): { foreignBuyers: number; ownBuyers: number } {
    const foreign = new Set<string>();
    for (const buyers of this.byMerchant.get(id)?.values() ?? [])
      if (buyers.size >= 2) for (const b of buyers) foreign.add(b);
    return { foreignBuyers: foreign.size, ownBuyers: this.own.get(id)?.size ?? 0 };
  }

  /** Whether a repeat foreign payer paid this buyer around an order at the shop. */
  foreignPaid(merchant: string, buyer: string): boolean {
    for (const buyers of this.byMerchant.get(merchant)?.values() ?? [])
      if (buyers.size >= 2 && buyers.has(buyer)) return true;
    return false;
  }

  /** Whether the shop's own side paid this buyer around an order there. */
  ownPaid(merchant: string, buyer: string): boolean {
    return this.own.get(merchant)?.has(buyer) ?? false;
  }

  /**
   * The payer's side: the most buyers of one shop (not its own side) it paid around their orders there, and
   * at how many shops it paid two or more. `exceptShop` leaves out the payer's own merchant.
   */
  payer(account: string, exceptShop?: string): { maxAtShop: number; shops: number } {
    let maxAtShop = 0;
    let shops = 0;
    for (const [shop, buyers] of this.byPayer.get(account) ?? []) {
      if (shop === exceptShop) continue;
      maxAtShop = Math.max(maxAtShop, buyers.size);
      if (buyers.size >= 2) shops++;
    }
    return { maxAtShop, shops };
  }

  /** The most buyers of this order's shop that one of its buyer's foreign payers paid (0: none). */
  order(o: OrderState): number {
    let most = 0;
    const at = this.byMerchant.get(o.merchant);
    for (const p of this.payersOf.get(o.id) ?? []) most = Math.max(most, at?.get(p)?.size ?? 0);
    return most;
  }
}

/** Whether the buyer ordered at `merchant` in the span a transfer at `at` could be owed for. */
export function orderedNear(
  orders: OrderState[],
  merchant: string,
  at: number,
  afterMs: number,
  beforeMs: number,
) {
  for (const o of orders)
    if (o.merchant === merchant && o.createdAt >= at - afterMs && o.createdAt <= at + beforeMs) return true;
  return false;
}
