// Follow the money: which accounts act for which merchant. A merchant's operator accounts are its side at
// hop 0; an account they pay joins that side one hop further, up to a limit. Pay-backs and cash-back
// often travel through such intermediaries rather than the shop's own account.

import type { TextTest } from '../text/patterns.ts';
import type { MarketState, Transfer } from './state.ts';

export interface SideLink {
  merchant: string;
  hops: number;
  /** The transfer that made this account part of the side (none for operators). */
  via?: Transfer;
}

const MAX_LINKS = 8;

export class MoneyTrail {
  constructor(
    private readonly state: MarketState,
    public maxHops = 2,
    /** account → merchants whose side it is on (restored from a snapshot, or empty). */
    private readonly side = new Map<string, SideLink[]>(),
  ) {}

  /** The trail as plain data, for snapshots. */
  memory(): Map<string, SideLink[]> {
    return this.side;
  }

  /** The merchant sides an account belongs to, operators included. */
  sidesOf(account: string): SideLink[] {
    const own = this.state.operatorOf(account);
    const links = this.side.get(account) ?? [];
    return own ? [{ merchant: own, hops: 0 }, ...links.filter((l) => l.merchant !== own)] : links;
  }

  /** The closest link of `account` to `merchant`'s side, if any. */
  linkTo(account: string, merchant: string): SideLink | undefined {
    if (this.state.operatorOf(account) === merchant) return { merchant, hops: 0 };
    return this.side.get(account)?.find((l) => l.merchant === merchant);
  }

  /** Call for every transfer, after the state has applied it. */
  onTransfer(t: Transfer): void {
    for (const l of this.sidesOf(t.from)) {
      if (l.hops + 1 > this.maxHops) continue;
      if (this.state.operatorOf(t.to) === l.merchant) continue;
      let links = this.side.get(t.to);
      if (!links) this.side.set(t.to, (links = []));
      const had = links.find((x) => x.merchant === l.merchant);
      if (had) {
        if (had.hops > l.hops + 1) {
          had.hops = l.hops + 1;
          had.via = t;
        }
      } else if (links.length < MAX_LINKS) {
        links.push({ merchant: l.merchant, hops: l.hops + 1, via: t });
      }
    }
  }
}

const HOUR = 3_600_000;

export interface CompensationPatterns {
  /** What a shop says when it makes good (补偿, 抱歉…); also matched against the transfer's memo. */
  compensation: TextTest;
  /** What a wronged buyer says first (投诉, 坏了, 质量问题…). */
  complaint: TextTest;
  /** How far back the shop's words of making good count, and the buyer's complaint. */
  compensationWindowHours: number;
  complaintWindowDays: number;
}

/**
 * Is this payment from a shop to a buyer most likely compensation for a real problem? The shop spoke of
 * making good shortly before (two days by default), the memo says so, or the buyer complained to the shop
 * lately (a week). Compensation is an honest look-alike of pay-backs and cash-back.
 */
export function compensating(
  state: MarketState,
  merchant: string,
  t: { to: string; at: number; memo?: string },
  p: CompensationPatterns,
): boolean {
  if (t.memo && p.compensation.test(t.memo)) return true;
  const m = state.merchants.get(merchant);
  for (const op of m?.operators ?? []) {
    const msgs = state.accounts.get(op)?.messagesOut ?? [];
    for (let i = msgs.length - 1; i >= 0 && msgs[i].at >= t.at - p.compensationWindowHours * HOUR; i--) {
      if (msgs[i].to === t.to && msgs[i].at <= t.at && p.compensation.test(msgs[i].text)) return true;
    }
  }
  const buyerMsgs = state.accounts.get(t.to)?.messagesOut ?? [];
  for (
    let i = buyerMsgs.length - 1;
    i >= 0 && buyerMsgs[i].at >= t.at - p.complaintWindowDays * 24 * HOUR;
    i--
  ) {
    const x = buyerMsgs[i];
    if (x.at > t.at || !p.complaint.test(x.text)) continue;
    const about = x.order ? state.orders.get(x.order)?.merchant : undefined;
    if (about === merchant || state.operatorOf(x.to) === merchant) return true;
  }
  return false;
}
