// A small script language for detector tests: write a marketplace story event by event, run the rules
// over it, look at the signals.
import type { MarketEvent } from '../../events/index.ts';
import { loadRulesFile } from '../rules/load.ts';
import type { Rule, RuleSet } from '../rules/schema.ts';
import type { Signal, SubjectKind } from '../signals.ts';
import { StreamEngine } from './engine.ts';
import { DETECTORS } from './rules/index.ts';

const HEX = (s: string) => Buffer.from(s.padEnd(16, '0')).toString('hex').slice(0, 32);

export class MarketScript {
  readonly events: MarketEvent[] = [];
  private t = Date.parse('2026-11-01T00:00:00Z');
  private n = 0;

  /** Moves the clock forward. */
  wait(minutes: number): this {
    this.t += minutes * 60_000;
    return this;
  }

  private push(type: MarketEvent['type'], data: Record<string, unknown>): this {
    this.n++;
    this.t += 1000;
    this.events.push({ id: `ev${this.n}`, type, time: new Date(this.t).toISOString(), data } as MarketEvent);
    return this;
  }

  account(id: string, o: { device?: string; ip?: string; phone?: string } = {}): this {
    return this.push('account.registered', {
      account_id: id,
      device_id: o.device ?? `dev-${id}`,
      ip: o.ip ?? '10.0.0.1',
      phone_hash: HEX(o.phone ?? id),
    });
  }

  merchant(id: string, operators: string[]): this {
    for (const op of operators) this.account(op);
    return this.push('merchant.registered', { merchant_id: id, name: id, account_ids: operators });
  }

  listing(
    id: string,
    merchant: string,
    price: number,
    title = '商品',
    extra: { description?: string; brand?: string } = {},
  ): this {
    return this.push('listing.published', { listing_id: id, merchant_id: merchant, title, price, ...extra });
  }

  order(
    id: string,
    buyer: string,
    merchant: string,
    listing: string,
    o: { price: number; quantity?: number; amount?: number; device?: string; ip?: string; address?: string },
  ): this {
    const q = o.quantity ?? 1;
    return this.push('order.created', {
      order_id: id,
      buyer_id: buyer,
      merchant_id: merchant,
      items: [{ listing_id: listing, quantity: q, unit_price: o.price }],
      amount: o.amount ?? o.price * q,
      device_id: o.device ?? `dev-${buyer}`,
      ip: o.ip ?? '10.0.0.1',
      address_hash: HEX(o.address ?? `addr-${buyer}`),
    });
  }

  pay(order: string, amount: number, instrument?: string): this {
    return this.push('order.paid', {
      order_id: order,
      amount,
      instrument_hash: HEX(instrument ?? `card-${order}`),
    });
  }

  ship(order: string, weight?: number): this {
    return this.push('order.shipped', { order_id: order, carrier: 'SF', weight_grams: weight });
  }

  cancel(order: string, reason = '超时未支付'): this {
    return this.push('order.cancelled', { order_id: order, reason });
  }

  deliver(order: string): this {
    return this.push('order.delivered', { order_id: order });
  }

  /** created → paid → shipped → delivered, a few hours apart. */
  updateListing(
    id: string,
    merchant: string,
    price: number,
    title: string,
    extra: { description?: string; brand?: string; category?: string } = {},
  ): this {
    return this.push('listing.updated', { listing_id: id, merchant_id: merchant, title, price, ...extra });
  }

  fullOrder(
    id: string,
    buyer: string,
    merchant: string,
    listing: string,
    o: {
      price: number;
      weight?: number;
      device?: string;
      ip?: string;
      address?: string;
      instrument?: string;
    },
  ): this {
    this.order(id, buyer, merchant, listing, o).wait(5).pay(id, o.price, o.instrument).wait(120);
    return this.ship(id, o.weight ?? 500)
      .wait(24 * 60)
      .deliver(id);
  }

  review(
    id: string,
    order: string,
    buyer: string,
    merchant: string,
    listing: string,
    rating: number,
    text = '',
  ): this {
    return this.push('review.posted', {
      review_id: id,
      order_id: order,
      buyer_id: buyer,
      merchant_id: merchant,
      listing_id: listing,
      rating,
      text,
    });
  }

  removeReview(id: string): this {
    return this.push('review.removed', { review_id: id, by: 'buyer' });
  }

  transfer(id: string, from: string, to: string, amount: number, memo?: string): this {
    return this.push('transfer.made', { transfer_id: id, from_id: from, to_id: to, amount, memo });
  }

  message(id: string, from: string, to: string, text: string, order?: string): this {
    return this.push('message.sent', { message_id: id, from_id: from, to_id: to, text, order_id: order });
  }

  refund(id: string, order: string, amount: number, reason = '质量问题'): this {
    return this.push('refund.requested', { refund_id: id, order_id: order, amount, reason });
  }

  /** Runs the bundled rules (or only those `pick` keeps, possibly edited) over the story. */
  run(pick?: (r: Rule) => Rule | undefined): Findings {
    const base = loadRulesFile();
    const rules: RuleSet = {
      ...base,
      rules: pick ? base.rules.map(pick).filter((r): r is Rule => !!r) : base.rules,
    };
    const signals: Signal[] = [];
    const engine = new StreamEngine(rules, DETECTORS, (s) => signals.push(s));
    for (const e of this.events) engine.process(e);
    return new Findings(signals, engine);
  }
}

export class Findings {
  constructor(
    readonly signals: Signal[],
    readonly engine: StreamEngine,
  ) {}

  of(kind: SubjectKind, subject: string, ruleKind?: string): Signal[] {
    return this.signals.filter(
      (s) => s.kind === kind && s.subject === subject && (!ruleKind || s.detector === `rule:${ruleKind}`),
    );
  }

  has(kind: SubjectKind, subject: string, ruleKind?: string): boolean {
    return this.of(kind, subject, ruleKind).length > 0;
  }

  byRule(ruleKind: string): Signal[] {
    return this.signals.filter((s) => s.detector === `rule:${ruleKind}`);
  }
}

/** Keeps only the rules of one kind. */
export const only =
  (kind: Rule['kind']) =>
  (r: Rule): Rule | undefined =>
    r.kind === kind ? r : undefined;
