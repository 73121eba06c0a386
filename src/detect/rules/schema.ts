// The rule file's shape: one schema per rule kind (a discriminated union on `kind`), closed to unknown
// fields so a typo is an error on load rather than a silently ignored threshold.
import Type, { type Static, type TSchema } from 'typebox';

const Text = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
const Rate = Type.Number({ minimum: 0, maximum: 1 });
const PosInt = Type.Integer({ minimum: 1 });
const PosNum = Type.Number({ exclusiveMinimum: 0 });
const Patterns = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });

const params = <P extends Record<string, TSchema>>(p: P) => Type.Object(p, { additionalProperties: false });

/** Per kind: its parameters. Windows are in event time, so replays give the same signals. */
export const RULE_PARAMS = {
  /** Orders at one merchant far above that merchant's own hourly baseline. */
  order_burst: params({
    window_minutes: PosInt,
    baseline_days: PosInt,
    min_orders: PosInt,
    ratio: PosNum,
  }),
  /** Many buyer accounts behind one identifier ordering from one merchant. */
  shared_identifier: params({
    identifier: Type.Enum(['device', 'address', 'instrument', 'ip']),
    window_days: PosInt,
    min_accounts: PosInt,
    /** Honest control: an identifier whose accounts buy from this many merchants or more is a shared network (campus, NAT). */
    max_identifier_merchants: PosInt,
    /** Honest control: the share of the identifier's orders that go to this merchant must reach this. */
    min_concentration: Rate,
  }),
  /** Paid amount far from the listed price. */
  price_deviation: params({
    min_deviation: Rate,
    max_coupon_share: Rate,
    min_listed_fen: Type.Integer({ minimum: 0 }),
  }),
  /** Parcel weight implausible for the items (空包). */
  implausible_weight: params({
    max_weight_ratio: Rate,
    /** Honest control: goods typically lighter than this are never judged (stickers, vouchers). */
    min_typical_grams: Type.Integer({ minimum: 0 }),
    min_reference_orders: PosInt,
  }),
  /** Five-star reviews soon after delivery with near-duplicate text. */
  quick_templated_review: params({
    max_minutes_after_delivery: PosInt,
    min_similarity: Rate,
    min_similar_reviews: PosInt,
    min_text_chars: PosInt,
  }),
  /** Money from the merchant's side to a buyer after an order, directly or through intermediaries. */
  payback: params({
    max_hops: Type.Integer({ minimum: 1, maximum: 3 }),
    window_days: PosInt,
    min_amount_ratio: PosNum,
    max_amount_ratio: PosNum,
    /** Honest control: the shop apologised or promised compensation to the buyer just before paying. */
    compensation_patterns: Patterns,
    /** Honest control: the buyer complained to the shop in the week before the payment. */
    complaint_patterns: Patterns,
    /** An undeclared payer joins a merchant's side after paying back this many of its distinct buyers. */
    min_undeclared_buyers: Type.Integer({ minimum: 2 }),
  }),
  /** Cash-back offered for good reviews (好评返现): in chat, or paid after a positive review. */
  cashback: params({
    offer_patterns: Patterns,
    /** Honest control: the shop spoke of compensation to the buyer shortly before paying. */
    compensation_patterns: Patterns,
    /** Honest control: the buyer complained to the shop in the week before the payment. */
    complaint_patterns: Patterns,
    window_days: PosInt,
    max_transfer_fen: Type.Integer({ minimum: 1 }),
    min_rating: Type.Integer({ minimum: 1, maximum: 5 }),
  }),
  /** A burst of one-star reviews on one merchant from linked fresh accounts. */
  review_attack: params({
    window_hours: PosInt,
    min_reviews: PosInt,
    max_account_age_days: PosInt,
    min_linked_share: Rate,
  }),
  /** Accounts that post one-star reviews, claim refunds and ask merchants for money across many shops. */
  extortion: params({
    demand_patterns: Patterns,
    min_merchants: PosInt,
    window_days: PosInt,
  }),
  /** Banned absolute claims in listings, with the lawful uses removed first. */
  banned_claims: params({
    terms: Patterns,
    allowed: Type.Array(Type.String()),
    aggravating: Type.Array(Type.String()),
  }),
} as const;

export type RuleKind = keyof typeof RULE_PARAMS;
export const RULE_KINDS = Object.keys(RULE_PARAMS) as RuleKind[];

const common = {
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$', description: 'kebab-case, unique in the file' }),
  description: Text,
  /** The legal or platform-rule basis, as a person would cite it. */
  basis: Text,
  mode: Type.Enum(['live', 'shadow']),
  /** How much a hit counts towards the subject's alert, in [0, 1]. */
  weight: Rate,
};

export const RULE_SCHEMAS: { [K in RuleKind]: TSchema } = Object.fromEntries(
  RULE_KINDS.map((k): [RuleKind, TSchema] => [
    k,
    Type.Object(
      { ...common, kind: Type.Literal(k), params: RULE_PARAMS[k] },
      { additionalProperties: false },
    ),
  ]),
) as Record<RuleKind, TSchema>;

export type RuleParams<K extends RuleKind> = Static<(typeof RULE_PARAMS)[K]>;

export interface RuleBase {
  id: string;
  description: { zh: string; en: string };
  basis: { zh: string; en: string };
  mode: 'live' | 'shadow';
  weight: number;
}

export type Rule = { [K in RuleKind]: RuleBase & { kind: K; params: RuleParams<K> } }[RuleKind];
export type RuleOf<K extends RuleKind> = Extract<Rule, { kind: K }>;

export interface RuleSet {
  version: number;
  rules: Rule[];
  /** Where it came from, for messages. */
  source: string;
}
