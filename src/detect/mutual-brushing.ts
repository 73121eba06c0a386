// 互刷 (mutual brushing between merchants): shops in a group have their own side (operators, staff, relatives'
// accounts) buy at the OTHER shops of the group and praise them, so no shop is seen buying from itself. What
// the group cannot hide is who the buyers are and that it goes both ways: the buyers at shop B act for shop A
// (a declared or found operator of A, or an account in a small pool with one), A's buyers act for B, and the
// shops that do this to each other form a small closed group. Buyers the platform cannot tie to any shop still
// show by buying again and again within that group, and by praising the same few shops as the others: two
// small shops praised by the same several accounts are far likelier than their sizes allow. An operator
// shopping somewhere now and then, or two shops paying each other for goods, goes one way or involves no orders.
import { addTo } from './paid-reviews.ts';
import type { MarketState, OrderState } from './stream/state.ts';

export interface MutualBrushingOptions {
  /** Ratings at or above this are good. */
  goodRatingMin: number;
  /** Accounts sharing a small pool (device, address, card, phone, network) with this one. */
  linked: (account: string) => ReadonlySet<string>;
}

interface Flow {
  orders: number;
  good: number;
}

const NONE: readonly string[] = [];
/** Accounts praising more shops than this are left out of the pairs (power buyers). */
const MAX_PRAISED = 20;

export class MutualBrushing {
  /** account → the shops it acts for */
  private readonly sides = new Map<string, string[]>();
  /** side's shop → shop bought at → orders (and good reviews) by that side there */
  private readonly flows = new Map<string, Map<string, Flow>>();
  /** shop → shops whose side bought here and whose shop this shop's side bought at */
  private readonly partners = new Map<string, Set<string>>();
  /** shop → its closed group (the shops reachable through reciprocal pairs), itself included */
  private readonly groups = new Map<string, Set<string>>();
  /** shop → other shop → accounts that gave both a good review */
  private readonly coPraise = new Map<string, Map<string, number>>();
  /** shop → accounts that gave it a good review; and how many accounts gave any */
  private readonly praisers = new Map<string, number>();
  private praisersTotal = 0;
  private readonly goodMin: number;

  constructor(
    private readonly state: MarketState,
    o: MutualBrushingOptions,
  ) {
    this.goodMin = o.goodRatingMin;
    const direct: [string, string][] = [];
    for (const a of state.accounts.values()) {
      const own = a.operatorOf ?? a.actsFor;
      if (own) direct.push([a.id, own]);
    }
    for (const m of state.merchants.values()) for (const op of m.operators) direct.push([op, m.id]);
    for (const [acc, m] of direct) this.addSide(acc, m);
    // One step out: an account in a small pool with an operator acts for that shop, unless it is another
    // shop's operator itself (two shops' operators on one office network are not each other's staff).
    for (const [acc, m] of direct)
      for (const x of o.linked(acc)) {
        const xa = state.accounts.get(x);
        if (xa && (xa.operatorOf ?? xa.actsFor) === undefined) this.addSide(x, m);
      }
    for (const ord of state.orders.values()) {
      const sides = this.sides.get(ord.buyer);
      if (!sides) continue;
      const good = ord.review !== undefined && ord.review.rating >= o.goodRatingMin;
      for (const x of sides) {
        if (x === ord.merchant) continue;
        let to = this.flows.get(x);
        if (!to) this.flows.set(x, (to = new Map()));
        const f = to.get(ord.merchant);
        if (f) {
          f.orders++;
          if (good) f.good++;
        } else to.set(ord.merchant, { orders: 1, good: good ? 1 : 0 });
      }
    }
    for (const [x, to] of this.flows)
      for (const m of to.keys())
        if (this.flows.get(m)?.has(x)) {
          addTo(this.partners, x, m);
          addTo(this.partners, m, x);
        }
    // Closed groups: connected parts of the reciprocal graph.
    for (const start of this.partners.keys()) {
      if (this.groups.has(start)) continue;
      const g = new Set([start]);
      const queue = [start];
      while (queue.length) {
        const s = queue.pop()!;
        for (const p of this.partners.get(s) ?? [])
          if (!g.has(p)) {
            g.add(p);
            queue.push(p);
          }
      }
      for (const s of g) this.groups.set(s, g);
    }
    for (const a of state.accounts.values()) {
      if (a.reviews.length === 0) continue;
      const shops = this.praised(a.id);
      if (shops.length === 0) continue;
      this.praisersTotal++;
      for (const m of shops) this.praisers.set(m, (this.praisers.get(m) ?? 0) + 1);
      // (An account praising dozens of shops says little about any pair of them; and its pairs are many.)
      if (shops.length < 2 || shops.length > MAX_PRAISED) continue;
      for (const m of shops) {
        let row = this.coPraise.get(m);
        if (!row) this.coPraise.set(m, (row = new Map()));
        for (const n of shops) if (n !== m) row.set(n, (row.get(n) ?? 0) + 1);
      }
    }
  }

  /** The shops the account gave a good review, each once. */
  private praised(account: string): string[] {
    const out: string[] = [];
    for (const r of this.state.accounts.get(account)?.reviews ?? [])
      if (r.rating >= this.goodMin && !out.includes(r.merchant)) out.push(r.merchant);
    return out;
  }

  /** How much likelier two shops share praisers than their numbers of praisers allow. */
  private lift(m: string, n: string, shared: number): number {
    const pm = this.praisers.get(m) ?? 0;
    const pn = this.praisers.get(n) ?? 0;
    return pm && pn ? (shared * this.praisersTotal) / (pm * pn) : 0;
  }

  /**
   * Shops that two or more accounts praised together with this one, and the highest lift among them: a group's
   * staff praise the same few member shops, honest buyers' praise overlaps about as often as shop sizes allow.
   */
  coPraised(id: string): { shops: number; maxLift: number } {
    let shops = 0;
    let maxLift = 0;
    for (const [n, c] of this.coPraise.get(id) ?? []) {
      if (c < 2) continue;
      shops++;
      maxLift = Math.max(maxLift, this.lift(id, n, c));
    }
    return { shops, maxLift };
  }

  /**
   * Of the pairs of shops this account praised: the most other accounts that praised the same pair, and the
   * highest lift of a pair some other account praised too.
   */
  coPraiseOfAccount(account: string): { others: number; maxLift: number } {
    const shops = this.praised(account);
    let others = 0;
    let maxLift = 0;
    if (shops.length > MAX_PRAISED) return { others, maxLift };
    for (const m of shops) {
      const row = this.coPraise.get(m);
      for (const n of shops) {
        const c = n === m ? 0 : (row?.get(n) ?? 0);
        if (c < 2) continue;
        others = Math.max(others, c - 1);
        maxLift = Math.max(maxLift, this.lift(m, n, c));
      }
    }
    return { others, maxLift };
  }

  /** Other accounts that praised this order's shop and another shop its buyer praised (the most over those shops). */
  coPraiseOfOrder(o: OrderState): number {
    const row = this.coPraise.get(o.merchant);
    if (!row) return 0;
    const shops = this.praised(o.buyer);
    if (shops.length > MAX_PRAISED) return 0;
    const self = shops.includes(o.merchant) ? 1 : 0;
    let most = 0;
    for (const n of shops) if (n !== o.merchant) most = Math.max(most, (row.get(n) ?? 0) - self);
    return most;
  }

  private addSide(account: string, merchant: string) {
    const l = this.sides.get(account);
    if (!l) this.sides.set(account, [merchant]);
    else if (!l.includes(merchant)) l.push(merchant);
  }

  /** The shops an account acts for (operator, found agent, or linked to one). */
  sidesOf(account: string): readonly string[] {
    return this.sides.get(account) ?? NONE;
  }

  /** Whether the two shops' sides bought at each other. */
  reciprocal(a: string, b: string): boolean {
    return this.partners.get(a)?.has(b) ?? false;
  }

  /** The shop's reciprocal partners and the size of its closed group (0 without partners). */
  shop(id: string): { partners: number; group: number; reciprocalOrders: number; boughtElsewhere: number } {
    const ps = this.partners.get(id);
    let reciprocalOrders = 0;
    for (const p of ps ?? [])
      reciprocalOrders +=
        (this.flows.get(p)?.get(id)?.orders ?? 0) + (this.flows.get(id)?.get(p)?.orders ?? 0);
    return {
      partners: ps?.size ?? 0,
      group: this.groups.get(id)?.size ?? 0,
      reciprocalOrders,
      boughtElsewhere: this.flows.get(id)?.size ?? 0,
    };
  }

  /** The first shop (other than the order's) the buyer acts for that is reciprocal with the order's shop. */
  reciprocalSide(o: OrderState): string | undefined {
    for (const x of this.sidesOf(o.buyer)) if (x !== o.merchant && this.reciprocal(x, o.merchant)) return x;
    return undefined;
  }

  /** Orders both ways between the order's shop and its buyer's reciprocal side (0 if none). */
  pairOrders(o: OrderState): number {
    const x = this.reciprocalSide(o);
    if (!x) return 0;
    return (
      (this.flows.get(x)?.get(o.merchant)?.orders ?? 0) + (this.flows.get(o.merchant)?.get(x)?.orders ?? 0)
    );
  }

  /** Whether the order's buyer acts for a shop other than the one it bought at. */
  otherSide(o: OrderState): boolean {
    return this.sidesOf(o.buyer).some((x) => x !== o.merchant);
  }

  /**
   * Distinct shops of the order's shop's closed group the buyer bought at (the shop itself included), so
   * buyers nobody can tie to a member still show by circulating within the group; 0 outside any group.
   */
  groupShopsOf(buyer: string, merchant: string): number {
    const g = this.groups.get(merchant);
    if (!g) return 0;
    const seen = new Set<string>();
    for (const o of this.state.accounts.get(buyer)?.orders ?? []) if (g.has(o.merchant)) seen.add(o.merchant);
    return seen.size;
  }

  /** The most distinct shops of any one closed group the account bought at, and the share of its orders there. */
  circulation(account: string): { shops: number; share: number } {
    const orders = this.state.accounts.get(account)?.orders ?? [];
    let best: Set<string> | undefined;
    let bestShops = 0;
    const per = new Map<Set<string>, Set<string>>();
    for (const o of orders) {
      const g = this.groups.get(o.merchant);
      if (!g) continue;
      let s = per.get(g);
      if (!s) per.set(g, (s = new Set()));
      s.add(o.merchant);
      if (s.size > bestShops) {
        bestShops = s.size;
        best = g;
      }
    }
    if (!best) return { shops: 0, share: 0 };
    let inGroup = 0;
    for (const o of orders) if (best.has(o.merchant)) inGroup++;
    return { shops: bestShops, share: inGroup / orders.length };
  }
}
