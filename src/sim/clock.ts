// Simulation time in whole seconds since the epoch, printed as ISO-8601 in +08:00.
import type { Random } from '../platform/random.ts';

export const HOUR = 3600;
export const DAY = 86400;
const OFFSET = 8 * HOUR;

const PAD: string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** Relative shopping activity per local hour: low at night, lunch bump, evening peak 19-23. */
const HOUR_WEIGHTS = [
  1.2, 0.6, 0.3, 0.2, 0.15, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.1, 2.3, 2.0, 1.8, 1.8, 1.8, 1.8, 2.1, 2.9, 3.6,
  4.0, 3.6, 2.3,
];
/** Monday first; weekends shop more. */
const DOW_WEIGHTS = [0.95, 0.93, 0.95, 0.97, 1.03, 1.12, 1.1];

function cumulative(ws: readonly number[]): Float64Array {
  const c = new Float64Array(ws.length);
  let s = 0;
  for (let i = 0; i < ws.length; i++) c[i] = s += ws[i];
  for (let i = 0; i < ws.length; i++) c[i] /= s;
  return c;
}
const HOUR_CUM = cumulative(HOUR_WEIGHTS);

export class Clock {
  readonly start: number;
  readonly end: number;
  private readonly dates = new Map<number, string>();

  constructor(
    startIso: string,
    readonly days: number,
  ) {
    this.start = Math.floor(Date.parse(startIso) / 1000);
    this.end = this.start + days * DAY;
  }

  dayStart(d: number): number {
    return this.start + d * DAY;
  }

  /** Day index of a time: -1 before the period, `days` or more after it. */
  dayOf(t: number): number {
    return t < this.start ? -1 : Math.floor((t - this.start) / DAY);
  }

  iso(t: number): string {
    const local = t + OFFSET;
    const day = Math.floor(local / DAY);
    let date = this.dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY * 1000).toISOString().slice(0, 10);
      this.dates.set(day, date);
    }
    const s = local - day * DAY;
    const h = Math.floor(s / HOUR);
    const m = Math.floor((s - h * HOUR) / 60);
    return `${date}T${PAD[h]}:${PAD[m]}:${PAD[s - h * HOUR - m * 60]}+08:00`;
  }

  /** Local hour (0-23) of a time. */
  hourOf(t: number): number {
    return Math.floor(((((t + OFFSET) % DAY) + DAY) % DAY) / HOUR);
  }

  /** Local weekday of a time, Monday = 0. */
  dowOf(t: number): number {
    // 1970-01-01 was a Thursday (index 3).
    return (Math.floor((t + OFFSET) / DAY) + 3) % 7;
  }

  dowWeight(d: number): number {
    return DOW_WEIGHTS[this.dowOf(this.dayStart(d) + 12 * HOUR)];
  }

  /** Maps a local second-of-day onto day `d` of the period. */
  private onDay(d: number, secOfLocalDay: number): number {
    const ds = this.dayStart(d);
    const offset = (((ds + OFFSET) % DAY) + DAY) % DAY;
    return ds + ((secOfLocalDay - offset + DAY) % DAY);
  }

  /** A shopping time on day `d`, following the hourly rhythm (evening peak). */
  shopTime(r: Random, d: number): number {
    const u = r.next();
    let h = 0;
    while (h < 23 && HOUR_CUM[h] < u) h++;
    return this.onDay(d, h * HOUR + Math.floor(r.next() * HOUR));
  }

  /** A time on day `d` within local hours [fromHour, toHour). */
  timeBetween(r: Random, d: number, fromHour: number, toHour: number): number {
    return this.onDay(d, Math.floor((fromHour + r.next() * (toHour - fromHour)) * HOUR) % DAY);
  }

  /** The same local day as t, at a time of day following the shopping rhythm (for sign-ups and the like). */
  rhythm(r: Random, t: number): number {
    const midnight = t - ((((t + OFFSET) % DAY) + DAY) % DAY);
    const u = r.next();
    let h = 0;
    while (h < 23 && HOUR_CUM[h] < u) h++;
    return midnight + h * HOUR + Math.floor(r.next() * HOUR);
  }

  /** Moves a time into local waking hours (08-23) by pushing night times to the morning. */
  awake(r: Random, t: number): number {
    const h = this.hourOf(t);
    if (h >= 8) return t;
    return t + (8 - h) * HOUR + Math.floor(r.next() * 2 * HOUR);
  }
}
