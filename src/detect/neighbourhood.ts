// A subject's neighbourhood, for the learned scorer: what abusers cannot help doing even when they stop
// saying it in chat. Gangs are many accounts working together (small shared pools of devices, networks,
// addresses, instruments, phones) that complain at the same shops within days; rings are linked accounts
// that keep buying at the same client shops; money from a shop's side reaches someone in the complainer's
// pool before a review disappears. Busy identifiers (a campus IP, a carrier NAT) join nobody: only pools of
// a handful of accounts count, so households and shared networks stay small or empty.
import {
  type AccountState,
  type IdentifierKind,
  lowerBound,
  type MarketState,
  type OrderState,
} from './stream/state.ts';

export interface NeighbourhoodParams {
  /** Identifiers shared by more accounts than this link nobody. */
  poolMaxAccounts: number;
  /** Complaints (low ratings, refund claims) at one shop this close in time are "together". */
  complaintWindowMs: number;
  /** Orders at one shop this close in time by linked accounts are "together". */
  orderWindowMs: number;
  /** Money after a complaint counts for this long; a review removed this long after money counts. */
  moneyWindowMs: number;
  lowRatingMax: number;
}

const KINDS: IdentifierKind[] = ['device', 'ip', 'address', 'instrument', 'phone'];

interface Complaint {
  at: number;
  account: string;
}

export interface CoComplaint {
  /** Other accounts that complained at the same shops within the window. */
  partners: number;
  /** …of them, those in this account's small pools. */
  linkedPartners: number;
  /** Shops where this account complained together with a linked partner. */
  linkedShops: number;
}

export class Neighbourhood {
  private readonly poolsOf = new Map<string, string[]>();
  private readonly members = new Map<string, string[]>();
  private readonly linkedCache = new Map<string, Set<string>>();
  /** merchant → complaints there, by time. */
  private readonly complaints = new Map<string, Complaint[]>();
  private readonly buyersHere = new Map<OrderState, number>();
  private readonly timesCache = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly state: MarketState,
    private readonly p: NeighbourhoodParams,
  ) {
    for (const kind of KINDS) {
      for (const [value, accts] of state.ids[kind].shared()) {
        if (accts.size > p.poolMaxAccounts) continue;
        const key = `${kind}:${value}`;
        const list = [...accts];
        this.members.set(key, list);
        for (const a of list) {
          const l = this.poolsOf.get(a);
          if (l) l.push(key);
          else this.poolsOf.set(a, [key]);
        }
      }
    }
    for (const a of state.accounts.values()) {
      if (a.operatorOf) continue;
      for (const r of a.reviews) if (r.rating <= p.lowRatingMax) this.complain(r.merchant, r.at, a.id);
      for (const o of a.orders)
        if (o.refundRequestedAt !== undefined) this.complain(o.merchant, o.refundRequestedAt, a.id);
    }
    for (const l of this.complaints.values()) l.sort((x, y) => x.at - y.at);
  }

  private complain(merchant: string, at: number, account: string) {
    const l = this.complaints.get(merchant);
    if (l) l.push({ at, account });
    else this.complaints.set(merchant, [{ at, account }]);
  }

  /** Accounts sharing a small pool with `account` (not itself). */
  linked(account: string): ReadonlySet<string> {
    const pools = this.poolsOf.get(account);
    // Most accounts are in no small pool: one shared empty set rather than one cached per account.
    if (!pools) return NONE;
    let s = this.linkedCache.get(account);
    if (s) return s;
    s = new Set();
    for (const key of pools) for (const m of this.members.get(key)!) if (m !== account) s.add(m);
    this.linkedCache.set(account, s);
    return s;
  }

  /** How many small pools the account is in. */
  pools(account: string): number {
    return this.poolsOf.get(account)?.length ?? 0;
  }

  /** The account's complaints and who complained with it. */
  coComplaint(a: AccountState): CoComplaint {
    if (!this.complained(a)) return { partners: 0, linkedPartners: 0, linkedShops: 0 };
    const partners = new Set<string>();
    const linkedPartners = new Set<string>();
    const linkedShops = new Set<string>();
    const linked = this.linked(a.id);
    const w = this.p.complaintWindowMs;
    // Others who complained at `merchant` within the window of `at`.
    const each = (merchant: string, at: number) => {
      const l = this.complaints.get(merchant);
      if (!l) return;
      for (let i = firstComplaintFrom(l, at - w); i < l.length && l[i].at <= at + w; i++) {
        const x = l[i].account;
        if (x === a.id) continue;
        partners.add(x);
        if (linked.has(x)) {
          linkedPartners.add(x);
          linkedShops.add(merchant);
        }
      }
    };
    for (const r of a.reviews) if (r.rating <= this.p.lowRatingMax) each(r.merchant, r.at);
    for (const o of a.orders) if (o.refundRequestedAt !== undefined) each(o.merchant, o.refundRequestedAt);
    return { partners: partners.size, linkedPartners: linkedPartners.size, linkedShops: linkedShops.size };
  }

  /** Whether the account ever complained (a low rating or a refund claim). */
  private complained(a: AccountState): boolean {
    for (const r of a.reviews) if (r.rating <= this.p.lowRatingMax) return true;
    for (const o of a.orders) if (o.refundRequestedAt !== undefined) return true;
    return false;
  }

  /** Linked accounts that also ordered at this order's shop within the window (a ring buying together). */
  linkedBuyersHere(o: OrderState): number {
    const linked = this.linked(o.buyer);
    if (linked.size === 0) return 0;
    // The order's own row and its merchant's row both ask: counted once.
    const had = this.buyersHere.get(o);
    if (had !== undefined) return had;
    let n = 0;
    const w = this.p.orderWindowMs;
    for (const x of linked) {
      // The first of x's orders here not before the window opens is the only one that can be in it.
      const times = this.orderTimes(x).get(o.merchant);
      if (!times) continue;
      const i = lowerBound(times, o.createdAt - w);
      if (i < times.length && Math.abs(times[i] - o.createdAt) <= w) n++;
    }
    this.buyersHere.set(o, n);
    return n;
  }

  /** An account's order times per merchant, sorted (for the ring members asked about again and again). */
  private orderTimes(account: string): Map<string, number[]> {
    let m = this.timesCache.get(account);
    if (m) return m;
    m = new Map();
    for (const y of this.state.accounts.get(account)?.orders ?? []) {
      const l = m.get(y.merchant);
      if (l) l.push(y.createdAt);
      else m.set(y.merchant, [y.createdAt]);
    }
    for (const l of m.values()) l.sort((a, b) => a - b);
    this.timesCache.set(account, m);
    return m;
  }

  /** Linked accounts that complained at this order's shop near its review or refund claim. */
  linkedComplainersHere(o: OrderState): number {
    const at = o.review && o.review.rating <= this.p.lowRatingMax ? o.review.at : o.refundRequestedAt;
    if (at === undefined) return 0;
    const linked = this.linked(o.buyer);
    const l = this.complaints.get(o.merchant);
    if (linked.size === 0 || !l) return 0;
    const w = this.p.complaintWindowMs;
    const near = new Set<string>();
    for (let i = firstComplaintFrom(l, at - w); i < l.length && l[i].at <= at + w; i++) {
      const x = l[i].account;
      if (x !== o.buyer && linked.has(x)) near.add(x);
    }
    return near.size;
  }
}

const NONE: ReadonlySet<string> = new Set();

function firstComplaintFrom(xs: readonly Complaint[], at: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
