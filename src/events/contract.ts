// The event contract, v1 (../shared/spec/events.md) as TypeBox schemas: one schema per type, registered
// by name, so validation, the OpenAPI document and the static types come from one place.
import Type, { type Static, type TSchema } from 'typebox';
import { bi } from '../platform/i18n.ts';

/** Longest accepted text per kind of field; longer values are rejected as oversize. */
export const LIMITS = {
  id: 128,
  shortText: 256,
  title: 512,
  text: 4000,
  description: 20000,
  items: 200,
  /** One serialized event, in bytes. */
  record: 65536,
  /** Levels of nesting in one event (arrays and objects, the event itself being the first). */
  depth: 512,
} as const;

const Id = Type.String({ minLength: 1, maxLength: LIMITS.id });
const Short = Type.String({ maxLength: LIMITS.shortText });
const Hash = Type.String({
  pattern: '^[0-9a-fA-F]{8,128}$',
  description: bi('Hex digest computed by the platform.', '由平台计算的十六进制摘要。'),
});
const Money = Type.Integer({
  minimum: 0,
  maximum: 1e15,
  description: bi('Integer minor units (fen for CNY).', '以最小货币单位计的整数（人民币为分）。'),
});
const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: bi('ISO 4217, default CNY.', 'ISO 4217 货币代码，默认 CNY。'),
});
const Ip = Type.String({ maxLength: 45, pattern: '^[0-9A-Fa-f.:]{2,45}$' });
const Place = Type.String({ maxLength: 64 });

const opt = <T extends TSchema>(t: T) => Type.Optional(t);

const ListingFields = {
  listing_id: Id,
  merchant_id: Id,
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  price: Money,
  currency: opt(Currency),
  category: opt(Short),
  brand: opt(Short),
  description: opt(Type.String({ maxLength: LIMITS.description })),
};

export const EventData = {
  'account.registered': Type.Object({
    account_id: Id,
    phone_hash: opt(Hash),
    device_id: opt(Id),
    ip: opt(Ip),
  }),
  'account.login': Type.Object({
    account_id: Id,
    device_id: opt(Id),
    ip: opt(Ip),
    success: opt(Type.Boolean()),
  }),
  'merchant.registered': Type.Object({
    merchant_id: Id,
    name: opt(Short),
    uscc: opt(
      Type.String({
        pattern: '^[0-9A-Z]{18}$',
        description: bi('Unified social credit code, 18 characters.', '统一社会信用代码，18 位。'),
      }),
    ),
    category: opt(Short),
    account_ids: opt(Type.Array(Id, { maxItems: LIMITS.items })),
  }),
  'listing.published': Type.Object(ListingFields),
  'listing.updated': Type.Object(ListingFields),
  'listing.removed': Type.Object({ listing_id: Id, reason: opt(Short) }),
  'order.created': Type.Object({
    order_id: Id,
    buyer_id: Id,
    merchant_id: Id,
    items: Type.Array(
      Type.Object({
        listing_id: Id,
        quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
        unit_price: Money,
      }),
      { minItems: 1, maxItems: LIMITS.items },
    ),
    amount: Money,
    currency: opt(Currency),
    device_id: opt(Id),
    ip: opt(Ip),
    address_hash: opt(Hash),
    province: opt(Place),
    city: opt(Place),
    district: opt(Place),
  }),
  'order.paid': Type.Object({
    order_id: Id,
    amount: Money,
    currency: opt(Currency),
    instrument_hash: opt(Hash),
  }),
  'order.shipped': Type.Object({
    order_id: Id,
    carrier: opt(Short),
    tracking_no: opt(Id),
    weight_grams: opt(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  }),
  'order.delivered': Type.Object({ order_id: Id }),
  'order.cancelled': Type.Object({ order_id: Id, reason: opt(Short) }),
  'refund.requested': Type.Object({
    refund_id: Id,
    order_id: Id,
    amount: Money,
    currency: opt(Currency),
    reason: opt(Type.String({ maxLength: LIMITS.text })),
  }),
  'refund.completed': Type.Object({ refund_id: Id, order_id: Id, amount: Money, currency: opt(Currency) }),
  'review.posted': Type.Object({
    review_id: Id,
    order_id: Id,
    buyer_id: Id,
    merchant_id: Id,
    listing_id: Id,
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    text: opt(Type.String({ maxLength: LIMITS.text })),
    image_count: opt(Type.Integer({ minimum: 0, maximum: 100 })),
    device_id: opt(Id),
    ip: opt(Ip),
  }),
  'review.removed': Type.Object({
    review_id: Id,
    by: opt(Type.Enum(['buyer', 'merchant', 'platform'])),
    reason: opt(Short),
  }),
  'transfer.made': Type.Object({
    transfer_id: Id,
    from_id: Id,
    to_id: Id,
    amount: Money,
    currency: opt(Currency),
    memo: opt(Type.String({ maxLength: LIMITS.shortText })),
  }),
  'message.sent': Type.Object({
    message_id: Id,
    from_id: Id,
    to_id: Id,
    text: Type.String({ maxLength: LIMITS.text }),
    order_id: opt(Id),
  }),
} as const;

export type EventType = keyof typeof EventData;
export const EVENT_TYPES = Object.keys(EventData) as EventType[];

export type EventDataOf<T extends EventType> = Static<(typeof EventData)[T]>;

/** One event as the contract describes it; `data` is narrowed by `type`. */
export type MarketEvent = {
  [T in EventType]: { id: string; type: T; time: string; data: EventDataOf<T> };
}[EventType];

export type EventOf<T extends EventType> = Extract<MarketEvent, { type: T }>;

/** Envelope schema used in the OpenAPI document; `data` is checked per type by the validator. */
export const EnvelopeSchema = Type.Object({
  id: Id,
  type: Type.Enum(EVENT_TYPES),
  time: Type.String({
    description: bi(
      'ISO-8601 with a UTC offset, e.g. 2026-11-20T08:15:00+08:00.',
      '带 UTC 偏移的 ISO-8601 时间，如 2026-11-20T08:15:00+08:00。',
    ),
  }),
  data: Type.Object({}, { additionalProperties: true }),
});

/** Which merchant's partition an event belongs to, when the event itself says so. */
export function merchantOf(e: MarketEvent): string | undefined {
  const d = e.data as { merchant_id?: string };
  return d.merchant_id;
}
