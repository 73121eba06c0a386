// Opaque identifiers and hashed personal data: same formats for honest and abusive subjects, nothing to read off.
import type { Random } from '../platform/random.ts';
import { CAMPUS_AB, DATACENTER_AB, MOBILE_AB, RESIDENTIAL_A } from './catalog.ts';

/** Keyed bijection on 32 bits, so counters become unique ids whose order reveals nothing without the seed. */
function scramble(x: number, k1: number, k2: number): number {
  let v = (x ^ k1) >>> 0;
  v = Math.imul(v ^ (v >>> 16), 0x7feb352d) >>> 0;
  v = Math.imul(v ^ (v >>> 15), 0x846ca68b) >>> 0;
  v = (v + k2) >>> 0;
  v = Math.imul(v ^ (v >>> 16), 0x21f0aaad) >>> 0;
  return (v ^ (v >>> 15)) >>> 0;
}

/** Mints unique opaque ids of one kind, e.g. `u0k3j9az`. */
export class Mint {
  private n = 0;
  private readonly k1: number;
  private readonly k2: number;

  constructor(
    private readonly prefix: string,
    r: Random,
  ) {
    this.k1 = Math.floor(r.next() * 4294967296) >>> 0;
    this.k2 = Math.floor(r.next() * 4294967296) >>> 0;
  }

  next(): string {
    return (
      this.prefix +
      scramble(this.n++, this.k1, this.k2)
        .toString(36)
        .padStart(7, '0')
    );
  }

  get count(): number {
    return this.n;
  }
}

export interface Mints {
  account: Mint;
  merchant: Mint;
  listing: Mint;
  order: Mint;
  review: Mint;
  refund: Mint;
  transfer: Mint;
  message: Mint;
  event: Mint;
}

export function makeMints(r: Random): Mints {
  return {
    account: new Mint('u', r),
    merchant: new Mint('s', r),
    listing: new Mint('i', r),
    order: new Mint('o', r),
    review: new Mint('r', r),
    refund: new Mint('rf', r),
    transfer: new Mint('t', r),
    message: new Mint('c', r),
    event: new Mint('e', r),
  };
}

function word(r: Random): string {
  return Math.floor(r.next() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}

/** Hex digest look-alike (phone, address, instrument hashes): 32 hex chars. */
export function hex32(r: Random): string {
  return word(r) + word(r) + word(r) + word(r);
}

/** A device id in one of the formats platforms see: Android id, iOS IDFV, or web fingerprint. */
export function deviceId(r: Random, kind?: 'android' | 'ios' | 'web'): string {
  const k = kind ?? (r.chance(0.58) ? 'android' : r.chance(0.9) ? 'ios' : 'web');
  if (k === 'android') return word(r) + word(r);
  if (k === 'ios') {
    const h = (word(r) + word(r) + word(r) + word(r)).toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
  return `web-${word(r)}${word(r).slice(0, 4)}`;
}

/** Android ids of a batch of phones flashed together: a shared head and a slowly counting tail. */
export function sequentialDevices(r: Random, n: number): string[] {
  const head = word(r) + word(r).slice(0, 3);
  let tail = r.int(0x1000, 0xe000);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    tail += r.int(1, 9);
    out.push(head + (tail & 0x1fffff).toString(16).padStart(5, '0'));
  }
  return out;
}

const octet = (r: Random) => r.int(1, 254);

export function residentialIp(r: Random): string {
  return `${r.pick(RESIDENTIAL_A)}.${r.int(0, 255)}.${r.int(0, 255)}.${octet(r)}`;
}

export function mobileIp(r: Random): string {
  return `${r.pick(MOBILE_AB)}.${r.int(0, 255)}.${octet(r)}`;
}

export function mobileIpv6(r: Random): string {
  const g = () => r.int(0, 0xffff).toString(16);
  return `2409:8${r.int(0x100, 0xfff).toString(16)}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
}

/** A /24 prefix ending in a dot, from hosting or campus ranges. */
export function prefix24(r: Random, kind: 'datacenter' | 'campus' | 'residential'): string {
  if (kind === 'residential') return `${r.pick(RESIDENTIAL_A)}.${r.int(0, 255)}.${r.int(0, 255)}.`;
  const ab = kind === 'datacenter' ? r.pick(DATACENTER_AB) : r.pick(CAMPUS_AB);
  return `${ab}.${r.int(0, 255)}.`;
}

const DIGITS = '0123456789';
function digits(r: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += DIGITS[Math.floor(r.next() * 10)];
  return s;
}

const TRACK_HEAD: Record<string, string> = {
  中通快递: '7',
  圆通速递: 'YT',
  韵达快递: '43',
  申通快递: '77',
  顺丰速运: 'SF',
  极兔速递: 'JT',
  京东物流: 'JDV',
  邮政EMS: '98',
};

export function trackingNo(r: Random, carrier: string): string {
  return (TRACK_HEAD[carrier] ?? '') + digits(r, 13);
}

/** Tracking numbers bought in a batch (as empty-parcel services sell them): one head, counting up. */
export class TrackingBatch {
  private next: number;
  private readonly head: string;

  constructor(
    r: Random,
    readonly carrier: string,
  ) {
    this.head = (TRACK_HEAD[carrier] ?? '') + digits(r, 5);
    this.next = r.int(10_000_000, 90_000_000);
  }

  take(r: Random): string {
    this.next += r.int(1, 6);
    return this.head + String(this.next);
  }
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 统一社会信用代码 (GB 32100) with a valid check character. */
export function uscc(r: Random, region: string, individual: boolean): string {
  let body = (individual ? '92' : '91') + region;
  for (let i = 0; i < 9; i++) body += USCC_CHARS[r.int(0, individual ? 9 : 30)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body[i]) * USCC_WEIGHTS[i];
  const c = (31 - (sum % 31)) % 31;
  return body + USCC_CHARS[c];
}
