// 极限词: listings with banned absolute claims (广告法 Art. 9(3)) in the title or description, some added later by
// listing.updated. Only the listings are labelled; lawful uses of the same words live in the honest baseline.
import type { Random } from '../../platform/random.ts';
import { HOUR } from '../clock.ts';
import type { BannedClaimsKnobs } from '../options.ts';
import { adaptiveBannedDescription, adaptiveBannedTitle, bannedDescription, bannedTitle } from '../text.ts';
import { drawMode, type Listing, type Merchant, type Mode, type World } from '../world.ts';

export const BANNED_CLAIMS = 'banned_claims';

export class BannedClaims {
  /** Listings whose claim arrives by a listing.updated during the period, by day. */
  private readonly updates: Listing[][];
  /** Each merchant's mode, drawn when it first gets a banned listing. */
  private readonly modes = new Map<Merchant, Mode>();
  private readonly listingMode = new Map<Listing, Mode>();

  constructor(
    private readonly w: World,
    r: Random,
    k: BannedClaimsKnobs,
  ) {
    this.updates = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled || k.listingRate <= 0) return;
    const clock = w.clock;
    const eligible = w.listings.filter((l) => !l.lawful && !l.m.protected && l.pub < clock.end - 2 * HOUR);
    if (eligible.length === 0) return;
    const target = Math.max(1, Math.round(w.listings.length * k.listingRate));
    const chosen = new Set<Listing>();
    const merchants: Listing[][] = [];
    for (let tries = 0; chosen.size < target && tries < target * 30; tries++) {
      let l: Listing;
      if (merchants.length && r.chance(k.merchantConcentration)) {
        const own = r.pick(merchants);
        l = r.pick(own);
      } else {
        l = r.pick(eligible);
        merchants.push(l.m.listings.filter((x) => !x.lawful && x.pub < clock.end - 2 * HOUR));
      }
      chosen.add(l);
    }
    for (const l of chosen) {
      let mode = this.modes.get(l.m);
      if (!mode) {
        mode = drawMode(r, k.adaptiveRate);
        this.modes.set(l.m, mode);
      }
      let title = l.title;
      let desc = l.desc;
      let updateRate = k.updateRate;
      if (mode === 'adaptive') {
        // Adaptive: one claim, mostly only in the description, often only after a later edit, often spelled
        // around keyword filters; still a banned absolute claim.
        const obf = r.chance(k.adaptiveObfuscateRate);
        if (r.chance(0.8)) desc = adaptiveBannedDescription(r, l.desc, obf);
        else title = adaptiveBannedTitle(r, l.title, obf);
        updateRate = k.adaptiveUpdateRate;
      } else {
        const inTitle = !r.chance(k.descriptionRate);
        const both = r.chance(0.15);
        title = inTitle || both ? bannedTitle(r, l.title) : l.title;
        desc = !inTitle || both ? bannedDescription(r, l.desc) : l.desc;
      }
      this.listingMode.set(l, mode);
      l.flagged = true;
      const from = Math.max(l.pub + HOUR, clock.start);
      if (r.chance(updateRate) && from < clock.end - 2 * HOUR) {
        const t = from + Math.floor(r.next() * (clock.end - 2 * HOUR - from));
        l.alt = { t, title, desc };
        this.updates[clock.dayOf(t)].push(l);
      } else {
        l.title = title;
        l.desc = desc;
        w.truth('listing', l.id, BANNED_CLAIMS, mode);
      }
    }
  }

  /** Emits today's claim-adding updates, after the day's honest price changes are known. */
  beforeDay(d: number): void {
    for (const l of this.updates[d]) {
      const alt = l.alt!;
      // A listing taken down before the edit never shows the claim.
      if (l.removed <= alt.t) continue;
      this.w.emit(alt.t, 'listing.updated', this.w.listingData(l, alt.t), {
        kind: 'listing',
        id: l.id,
        scheme: BANNED_CLAIMS,
        mode: this.listingMode.get(l) ?? 'classic',
      });
    }
    this.updates[d] = [];
  }
}
