// 偷换链接: a listing gathers good reviews as one product, then a listing.updated turns it into a different one
// (title, category words, price), keeping the reviews. Truth: the listing and the merchant. Look-alike: cohort
// listing_refresh (ordinary title and price edits).
import type { Random } from '../../platform/random.ts';
import { CATEGORIES } from '../catalog.ts';
import { DAY } from '../clock.ts';
import { shopPrice } from '../honest.ts';
import type { ListingHijackKnobs } from '../options.ts';
import { listingDescription, listingTitle } from '../text.ts';
import { drawMode, inRangeF, type Listing, type Mode, type World } from '../world.ts';

export const LISTING_HIJACK = 'listing_hijack';

interface Switch {
  l: Listing;
  t: number;
  price: number;
  mode: Mode;
  /** Adaptive: the description changes first, the title and price a few days later. */
  descFirst: { t: number; desc: string } | null;
}

export class ListingHijack {
  private readonly byDay: Switch[][];

  constructor(
    private readonly w: World,
    r: Random,
    k: ListingHijackKnobs,
  ) {
    this.byDay = Array.from({ length: w.opts.days }, () => []);
    if (!k.enabled || k.listings <= 0) return;
    const clock = w.clock;
    const ms = r.shuffle(w.established().filter((m) => !m.protected && m.cat !== virtualCat()));
    for (const m of ms.slice(0, k.listings)) {
      // The shop's best seller, published well before the period, so it has reviews to keep.
      const l = m.listings.find((x) => x.pub < clock.start - 10 * DAY && !x.alt && !x.flagged && !x.lawful);
      if (!l) continue;
      const mode = drawMode(r, k.adaptiveRate);
      const adaptive = mode === 'adaptive';
      const day = Math.min(w.opts.days - 1, Math.floor(inRangeF(r, k.switchDay) * w.opts.days));
      const t = clock.timeBetween(r, day, 9, 23);
      let cat = CATEGORIES[m.cat];
      if (!adaptive) {
        const others = CATEGORIES.filter((c) => c !== cat && c.name !== '虚拟商品');
        cat = r.pick(others);
      }
      const items = cat.items.filter((it) => it !== l.item && !it.virtual);
      if (items.length === 0) continue;
      const item = r.pick(items);
      const brand = adaptive ? l.brand : r.pick(cat.brands);
      const title = adaptive
        ? `${l.title.split(' ')[0]} ${listingTitle(r, brand, item)}`
        : listingTitle(r, brand, item);
      const desc = listingDescription(r, cat, item);
      const price = Math.max(100, Math.round((l.price * inRangeF(r, k.priceFactor)) / 10) * 10);
      l.alt = { t, title, desc, ...(adaptive ? {} : { category: cat.name }) };
      l.flagged = true;
      let descFirst: Switch['descFirst'] = null;
      if (adaptive && day >= 2) {
        const t0 = clock.timeBetween(r, day - r.int(1, 2), 9, 23);
        descFirst = { t: t0, desc: `${l.desc}${desc}` };
        this.byDay[clock.dayOf(t0)].push({ l, t: t0, price: 0, mode, descFirst });
      }
      this.byDay[day].push({ l, t, price: shopPrice(r, price, price), mode, descFirst: null });
      m.abusive = true;
      w.truth('merchant', m.id, LISTING_HIJACK, mode);
    }
  }

  beforeDay(d: number): void {
    const w = this.w;
    for (const s of this.byDay[d]) {
      const l = s.l;
      if (l.removed <= s.t) continue;
      const truth = { kind: 'listing' as const, id: l.id, scheme: LISTING_HIJACK, mode: s.mode };
      if (s.descFirst) {
        // Only the description drifts: same title, same price, a second product described.
        l.desc = s.descFirst.desc;
        w.emit(s.t, 'listing.updated', w.listingData(l, s.t), truth);
        continue;
      }
      if (l.pendingAt === 0) {
        l.pendingPrice = s.price;
        l.pendingAt = s.t + 1;
      }
      w.emit(s.t + 1, 'listing.updated', w.listingData(l, s.t + 1), truth);
    }
    this.byDay[d] = [];
  }
}

function virtualCat(): number {
  return CATEGORIES.findIndex((c) => c.name === '虚拟商品');
}
