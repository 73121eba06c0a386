// Failed-authentication backoff: after `maxFailures` wrong keys from one address within `windowMs`, that
// address is refused for `blockMs`, then twice as long each time it does so again (up to `maxBlockMs`).
// Its strikes are forgotten after a quiet spell as long as the longest refusal.

export interface BackoffOptions {
  /** Wrong keys within the window that earn a refusal; 0 turns the backoff off. */
  maxFailures: number;
  windowMs: number;
  blockMs: number;
  maxBlockMs: number;
  /** Addresses remembered at most; the oldest are dropped first when full. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  windowStart: number;
  strikes: number;
  blockedUntil: number;
  last: number;
}

export class FailureBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly o: BackoffOptions) {
    this.now = o.now ?? Date.now;
    this.maxEntries = o.maxEntries ?? 100_000;
  }

  /** Milliseconds this address must still wait; 0 when it may try. */
  retryAfterMs(address: string): number {
    const e = this.entries.get(address);
    if (!e) return 0;
    return Math.max(0, e.blockedUntil - this.now());
  }

  /** Records a wrong key; returns the refusal it earned in milliseconds, or 0. */
  failed(address: string): number {
    if (this.o.maxFailures <= 0) return 0;
    const now = this.now();
    let e = this.entries.get(address);
    if (e && now - Math.max(e.last, e.blockedUntil) > this.o.maxBlockMs) e = undefined;
    if (!e) {
      if (this.entries.size >= this.maxEntries) this.prune(now);
      e = { failures: 0, windowStart: now, strikes: 0, blockedUntil: 0, last: now };
    } else this.entries.delete(address); // re-inserted below, so the map stays in order of last failure
    if (now - e.windowStart >= this.o.windowMs) {
      e.failures = 0;
      e.windowStart = now;
    }
    e.failures++;
    e.last = now;
    let block = 0;
    if (e.failures >= this.o.maxFailures) {
      block = Math.min(this.o.maxBlockMs, this.o.blockMs * 2 ** e.strikes);
      e.strikes++;
      e.blockedUntil = now + block;
      e.failures = 0;
      e.windowStart = now;
    }
    this.entries.set(address, e);
    return block;
  }

  /** How many addresses are remembered (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (now - Math.max(e.last, e.blockedUntil) > this.o.maxBlockMs) this.entries.delete(k);
    }
    // Still full: forget the tenth that failed longest ago (the map is in that order), so the next
    // newcomers do not each pay for a sweep.
    const keep = Math.floor(this.maxEntries * 0.9);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= keep) break;
      this.entries.delete(k);
    }
  }
}
