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
/** How a list of strings is matched: literal words (case aside), or patterns in RE2 syntax; both in linear time. */
export const LIST_KIND = 'x-tianping-list';
export type ListKind = 'words' | 'patterns';
const list = (kind: ListKind, minItems: number) =>
  Type.Array(Type.String({ minLength: 1 }), { minItems, [LIST_KIND]: kind });
/** Literal words: "质量问题" matches those four characters, whatever they hold. */
const Words = list('words', 1);
/** Patterns (RE2 syntax: no lookaround or backreferences), checked on load; a plain word among them is a word. */
const Patterns = list('patterns', 1);

const params = <P extends Record<string, TSchema>>(p: P) => Type.Object(p, { additionalProperties: false });
/** A score term: a base, and how much each unit of a factor adds (negative: takes away). */
const Coef = Type.Number({ minimum: -1, maximum: 1 });
/** The score a finding gets, as a base and named terms, in [0, 1] after clamping. */
const score = <P extends Record<string, TSchema>>(p: P) => params({ base: Rate, ...p });
/** Honest controls shared by pay-back and cash-back: how far back the shop's apology or the buyer's complaint counts. */
const compensationWindows = {
  compensation_window_hours: PosInt,
  complaint_window_days: PosInt,
};
/** Low ratings: at or below this many stars. */
const MaxLowRating = Type.Integer({ minimum: 1, maximum: 4 });

/** Per kind: its parameters. Windows are in event time, so replays give the same signals. */
export const RULE_PARAMS = {
  /** Orders at one merchant far above that merchant's own hourly baseline. */
  order_burst: params({
    window_minutes: PosInt,
    baseline_days: PosInt,
    min_orders: PosInt,
    ratio: PosNum,
    /** base + per_doubling × log2(ratio / params.ratio + 1) */
    score: score({ per_doubling: Coef }),
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
    /** base + per_extra_account × (accounts − min_accounts) + per_concentration × concentration */
    score: score({ per_extra_account: Coef, per_concentration: Coef }),
  }),
  /** Paid amount far from the listed price. */
  price_deviation: params({
    min_deviation: Rate,
    max_coupon_share: Rate,
    min_listed_fen: Type.Integer({ minimum: 0 }),
    /** base + per_deviation × |deviation| */
    score: score({ per_deviation: Coef }),
  }),
  /** Parcel weight implausible for the items (空包). */
  implausible_weight: params({
    max_weight_ratio: Rate,
    /** Honest control: goods typically lighter than this are never judged (stickers, vouchers). */
    min_typical_grams: Type.Integer({ minimum: 0 }),
    min_reference_orders: PosInt,
    /** The item's typical unit weight: this quantile of its earlier parcels. */
    typical_quantile: Rate,
    /** base + per_missing × (1 − ratio / max_weight_ratio) */
    score: score({ per_missing: Coef }),
  }),
  /** Five-star reviews soon after delivery with near-duplicate text. */
  quick_templated_review: params({
    max_minutes_after_delivery: PosInt,
    min_similarity: Rate,
    min_similar_reviews: PosInt,
    min_text_chars: PosInt,
    /** Only reviews of this many stars are judged. */
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    /** Recent review texts kept per shop for the comparison. */
    pool_reviews: PosInt,
    /** base + per_similar × similar reviews */
    score: score({ per_similar: Coef }),
  }),
  /** Money from the merchant's side to a buyer after an order, directly or through intermediaries. */
  payback: params({
    max_hops: Type.Integer({ minimum: 1, maximum: 3 }),
    window_days: PosInt,
    min_amount_ratio: PosNum,
    max_amount_ratio: PosNum,
    /** Honest control: the shop apologised or promised compensation to the buyer just before paying. */
    compensation_patterns: Words,
    /** Honest control: the buyer complained to the shop in the week before the payment. */
    complaint_patterns: Words,
    ...compensationWindows,
    /** An undeclared payer joins a merchant's side after paying back this many of its distinct buyers. */
    min_undeclared_buyers: Type.Integer({ minimum: 2 }),
    /** …who make up at least this share of everyone it paid. */
    min_undeclared_share: Rate,
    /** base + per_hop × hops; an intermediary's relay signal scores relay_discount less. */
    score: score({ per_hop: Coef, relay_discount: Coef }),
  }),
  /** Cash-back offered for good reviews (好评返现): in chat, or paid after a positive review. */
  cashback: params({
    offer_patterns: Patterns,
    /** Honest control: the shop spoke of compensation to the buyer shortly before paying. */
    compensation_patterns: Words,
    /** Honest control: the buyer complained to the shop in the week before the payment. */
    complaint_patterns: Words,
    ...compensationWindows,
    window_days: PosInt,
    max_transfer_fen: Type.Integer({ minimum: 1 }),
    min_rating: Type.Integer({ minimum: 1, maximum: 5 }),
    /** A chat offer is attributed through a side link of at most this many hops. */
    max_offer_hops: Type.Integer({ minimum: 0, maximum: 3 }),
    /** An undeclared payer acts for a shop once it paid this many of its reviewers… */
    min_staff_reviewers: Type.Integer({ minimum: 2 }),
    /** …who make up at least this share of everyone it paid. */
    min_staff_share: Rate,
    score: params({
      /** Paid through the shop's side: linked_base + linked_per_hop × hops. */
      linked_base: Rate,
      linked_per_hop: Coef,
      /** Paid by an undeclared staff account: staff_base + staff_per_reviewer × reviewers it paid. */
      staff_base: Rate,
      staff_per_reviewer: Coef,
      /** The paying intermediary's own signal scores this much less. */
      payer_discount: Coef,
      /** A chat offer by the shop itself, and a buyer's claim of one. */
      shop_offer: Rate,
      buyer_claim: Rate,
    }),
  }),
  /** A burst of one-star reviews on one merchant from linked fresh accounts. */
  review_attack: params({
    window_hours: PosInt,
    min_reviews: PosInt,
    max_account_age_days: PosInt,
    min_linked_share: Rate,
    max_rating: MaxLowRating,
    /** base + per_share × suspicious share + per_account × suspicious accounts; orders order_discount less. */
    score: score({ per_share: Coef, per_account: Coef, order_discount: Coef }),
    /** Whoever paid the attackers: instigator_base + instigator_per_hop × hops. */
    instigator_score: params({ base: Rate, per_hop: Coef }),
  }),
  /** Accounts that post one-star reviews, claim refunds and ask merchants for money across many shops. */
  extortion: params({
    demand_patterns: Patterns,
    /** 职业索赔: demands for punitive multiples citing the law (退一赔十 under the Food Safety Law, 退一赔三). */
    punitive_patterns: Words,
    /** Refund reasons that accuse the shop of label defects or false advertising rather than a broken item. */
    accusation_patterns: Words,
    min_merchants: PosInt,
    window_days: PosInt,
    max_rating: MaxLowRating,
    /** base + per_shop × shops pressed; the orders behind them order_discount less. */
    score: score({ per_shop: Coef, order_discount: Coef }),
  }),
  /** Banned absolute claims in listings, with the lawful uses removed first. */
  banned_claims: params({
    terms: Words,
    /** Lawful uses, blanked out before the terms are looked for. */
    allowed: list('patterns', 0),
    aggravating: list('words', 0),
    /** base + per_extra_term × (distinct terms − 1), + in_title when the title has one, + aggravated. */
    score: score({ per_extra_term: Coef, in_title: Coef, aggravated: Coef }),
  }),
  /** A listing that became another product while keeping the reviews it gathered (偷换链接). */
  listing_switch: params({
    /** The title's similarity to the listing's first title at or below this is another product. */
    max_similarity: Rate,
    /** Reviews the listing had gathered when it changed. */
    min_reviews: PosInt,
    /** base + per_drop × how far under max_similarity (0..1) + per_review_doubling × log2(1 + reviews). */
    score: score({ per_drop: Coef, per_review_doubling: Coef }),
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

const Score = Type.Number({ minimum: 0, maximum: 1 });
const ScoreSpan = Type.Number({ minimum: -1, maximum: 1 });

/**
 * What the service does with the rules' findings, beside the rules themselves: how alerts weigh the batch
 * job's signals, which rings count, where the learned scorer's signals start, and the real-time decision's
 * cut-offs. In the rule file so that every threshold and weight detection uses is written down in one place.
 */
export const POLICY_SECTIONS = {
  alerts: params({
    /** Weight of a ring membership signal (graph:*) in its subject's alert. */
    ring_weight: Rate,
    /** Weight of the learned scorer's signal in its subject's alert. */
    model_weight: Rate,
    /** No single signal makes an alert certain: each one's weighted score is capped here. */
    max_weighted_score: Rate,
  }),
  model: params({
    /** Learned scores at or above this become signals (the scorer maps each kind's operating threshold to 0.5). */
    signal_at: Score,
    /** Scores at or above this carry their top contributing features. */
    explain_at: Score,
  }),
  rings: params({
    /** Dense blocks FRAUDAR peels off the buyer graph, at most. */
    blocks: PosInt,
    /** Fewer accounts than this make no ring. */
    min_members: Type.Integer({ minimum: 2 }),
    /** An identifier shared by more accounts than this joins nobody in a cluster (busy networks, demo phones). */
    max_cluster_identifier_accounts: Type.Integer({ minimum: 2 }),
    /** A buyer's orders at one merchant count up to this many in the graph (a loyal customer is not a ring). */
    max_orders_per_edge: PosInt,
    /** A cluster's merchants are those at least this share of its members bought from. */
    cluster_merchant_share: Rate,
    /** Identifier kinds that link accounts into rings. */
    identifiers: Type.Array(Type.Enum(['device', 'instrument', 'address', 'phone', 'ip']), { minItems: 1 }),
    /** A member counts as flagged when its learned account score reaches this. */
    member_flagged_at: Score,
    /** Rings with a smaller share of flagged members raise no signals. */
    min_suspicion: Rate,
    /** A member's ring signal scores score_base + score_per_suspicion × the ring's suspicion. */
    score_base: Score,
    score_per_suspicion: ScoreSpan,
  }),
  decisions: params({
    /** Combined score at which an order is blocked, and at which it goes to review. */
    block_at: Score,
    review_at: Score,
    /** The buyer's learned account score is a reason from this score on. */
    buyer_model_min: Score,
    /** A buyer in a suspicious ring: base + per_suspicion × the ring's suspicion. */
    buyer_ring: params({ base: Score, per_suspicion: ScoreSpan }),
    /**
     * Other accounts on the order's device or address that ordered from this merchant lately. Window and the
     * shared-network cut-off come from the named shared-identifier rules.
     */
    shared_identifier: params({
      rules: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      min_identifier_accounts: Type.Integer({ minimum: 2 }),
      min_other_accounts: PosInt,
      base: Score,
      per_account: ScoreSpan,
    }),
    /** The merchant's learned score counts when the buyer also looks risky (or another reason holds). */
    merchant_model: params({ min_score: Score, min_buyer_score: Score, base: Score, per_score: ScoreSpan }),
    /** Amount far from the listed prices; the smallest listed total comes from the named price rule. */
    price: params({ rule: Type.String({ minLength: 1 }), min_deviation: PosNum, score: Score }),
    /** The first order of a fresh account, when another reason holds. */
    fresh_account: params({ max_age_hours: PosInt, score: Score }),
  }),
} as const;

export type PolicySection = keyof typeof POLICY_SECTIONS;
export const POLICY_SECTION_NAMES = Object.keys(POLICY_SECTIONS) as PolicySection[];
export type Policy = { [K in PolicySection]: Static<(typeof POLICY_SECTIONS)[K]> };

export interface RuleSet {
  version: number;
  rules: Rule[];
  policy: Policy;
  /** Where it came from, for messages. */
  source: string;
}
