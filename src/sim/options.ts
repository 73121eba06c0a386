// Simulator options: marketplace size, seed, and every scheme's knobs with size-scaled defaults and validation.
import { AppError, type LocalText } from '../platform/errors.ts';

/** Bad options are the caller's input errors; AppError lets the CLI print just the message. */
const invalid = (text: LocalText) => new AppError('invalid_input', text);

/** Inclusive [low, high]; each ring, gang or merchant draws its own value inside it. */
export type Range = [number, number];
export type KnobValue = number | boolean | Range;
type KnobKind = 'int' | 'number' | 'rate' | 'bool' | 'intRange' | 'rateRange' | 'numberRange';

/** The sizes defaults are scaled by. */
export interface SimSize {
  merchants: number;
  buyers: number;
  days: number;
}

interface KnobSpec<V extends KnobValue> {
  kind: KnobKind;
  doc: string;
  def: (s: SimSize) => V;
}

/** Honest marketplace; these knobs shape the look-alikes of abuse as much as the abuse knobs do. */
export interface BaselineKnobs {
  ordersPerBuyerMonth: number;
  loginsPerBuyerMonth: number;
  dormantShare: number;
  newAccountShare: number;
  newMerchantShare: number;
  listingsPerMerchant: Range;
  householdShare: number;
  storeRegisteredShare: number;
  campuses: number;
  campusSize: Range;
  mobileShare: number;
  officeShare: number;
  couponRate: number;
  cancelRate: number;
  returnRate: number;
  complainRate: number;
  pickyShare: number;
  quickReviewerShare: number;
  compensatorShare: number;
  lightGoodsShare: number;
  lawfulSuperlativeRate: number;
  flashSales: number;
  badBatches: number;
  p2pTransfersPerDay: number;
  moreLookalikes: boolean;
  silentCompensatorShare: number;
  angryBuyers: number;
  sharedDeviceFriends: number;
  fixedReviewRemovals: number;
  genuineClaims: number;
  staffPurchases: number;
  listingRefreshes: number;
  cartAbandoners: number;
  hotDrops: number;
  regularBuyers: number;
}

export interface BrushingKnobs {
  enabled: boolean;
  rings: number;
  accountsPerRing: Range;
  devicesPerRing: Range;
  instrumentsPerRing: Range;
  clientMerchantsPerRing: Range;
  ordersPerAccount: Range;
  emptyParcelRate: Range;
  priceOffRate: number;
  camouflageRate: number;
  reviewRate: number;
  templateRate: number;
  sequentialDeviceRate: number;
  leaderPaybackRate: number;
  accountAgeDays: Range;
  adaptiveRate: number;
  adaptiveDeviceShare: Range;
  adaptiveFourStarRate: Range;
  adaptiveEmptyParcelRate: Range;
}

export interface BrushingCarefulKnobs {
  enabled: boolean;
  rings: number;
  accountsPerRing: Range;
  clientMerchantsPerRing: Range;
  ordersPerAccount: Range;
  intermediariesPerRing: Range;
  twoHopRate: number;
  camouflageRate: number;
  deviceShareRate: number;
  emptyParcelRate: number;
  cheapGoodsRate: number;
  reviewRate: number;
  accountAgeDays: Range;
  adaptiveRate: number;
  adaptiveFourStarRate: Range;
  adaptiveSplitPayRate: number;
}

export interface CashbackKnobs {
  enabled: boolean;
  merchants: number;
  offerRate: Range;
  uptakeRate: number;
  amountYuan: Range;
  intermediaryRate: number;
  cardOnlyRate: number;
  adaptiveRate: number;
  adaptivePayDelayDays: Range;
  adaptiveOffPlatformRate: number;
}

export interface ExtortionKnobs {
  enabled: boolean;
  gangs: number;
  membersPerGang: Range;
  ordersPerMember: Range;
  demandRate: number;
  payRate: number;
  refundOnlyRate: number;
  sharedDeviceRate: number;
  camouflageRate: number;
  demandYuan: Range;
  adaptiveRate: number;
  adaptiveTalkers: Range;
  adaptiveShopsPerGang: Range;
  adaptiveHitWindowDays: Range;
}

export interface ReviewAttackKnobs {
  enabled: boolean;
  attacks: number;
  attackersPerAttack: Range;
  windowHours: Range;
  freshDays: Range;
  devicesPerAttack: Range;
  intermediaryRate: number;
  refundRate: number;
  payYuan: Range;
  adaptiveRate: number;
  adaptiveAgedShare: Range;
  adaptiveWindowDays: Range;
  adaptiveOwnDeviceRate: Range;
}

export interface BannedClaimsKnobs {
  enabled: boolean;
  listingRate: number;
  merchantConcentration: number;
  updateRate: number;
  descriptionRate: number;
  adaptiveRate: number;
  adaptiveObfuscateRate: number;
  adaptiveUpdateRate: number;
}

export interface RefundAbuseKnobs {
  enabled: boolean;
  groups: number;
  accountsPerGroup: Range;
  claimsPerAccount: Range;
  punitiveRate: number;
  payRate: number;
  sharedDeviceRate: number;
  camouflageRate: number;
  compensationYuan: Range;
  adaptiveRate: number;
  adaptiveChatRate: Range;
}

export interface SelfDealingKnobs {
  enabled: boolean;
  merchants: number;
  accountsPerMerchant: Range;
  ordersPerAccount: Range;
  declaredRate: number;
  reviewRate: number;
  adaptiveRate: number;
  adaptiveFourStarRate: Range;
}

export interface ReviewRemovalKnobs {
  enabled: boolean;
  merchants: number;
  offerRate: Range;
  acceptRate: number;
  payYuan: Range;
  intermediaryRate: number;
  chatRate: number;
  adaptiveRate: number;
  adaptivePayDelayHours: Range;
}

export interface ListingHijackKnobs {
  enabled: boolean;
  listings: number;
  switchDay: Range;
  priceFactor: Range;
  adaptiveRate: number;
}

export interface ReverseBrushingKnobs {
  enabled: boolean;
  attacks: number;
  accountsPerAttack: Range;
  ordersPerAccount: Range;
  windowHours: Range;
  devicesPerAttack: Range;
  bulkRate: number;
  refundRate: number;
  intermediaryRate: number;
  feeYuan: Range;
  camouflageRate: number;
  adaptiveRate: number;
  adaptiveWindowDays: Range;
  adaptiveRefundRate: Range;
  adaptiveOwnDeviceRate: Range;
}

export interface UnpaidOrdersKnobs {
  enabled: boolean;
  attacks: number;
  accountsPerAttack: Range;
  ordersPerAccount: Range;
  listingsPerAttack: Range;
  quantity: Range;
  windowHours: Range;
  devicesPerAttack: Range;
  holdHours: Range;
  repeatRate: number;
  payRate: number;
  intermediaryRate: number;
  feeYuan: Range;
  camouflageRate: number;
  adaptiveRate: number;
  adaptiveQuantity: Range;
  adaptiveWindowDays: Range;
  adaptiveSelfCancelRate: Range;
  adaptiveOwnDeviceRate: Range;
  adaptivePaidCamouflage: Range;
}

export interface MutualBrushingKnobs {
  enabled: boolean;
  groups: number;
  shopsPerGroup: Range;
  staffPerShop: Range;
  ordersPerPair: Range;
  pairShare: Range;
  linkedRate: number;
  operatorBuyRate: number;
  returnRate: number;
  settleRate: number;
  reviewRate: number;
  roundsPerMonth: Range;
  camouflageRate: number;
  operatorShoppers: number;
  supplierPairs: number;
  adaptiveRate: number;
  adaptiveLinkedRate: Range;
  adaptiveFourStarRate: Range;
  adaptiveReciprocalRate: number;
}

export interface SchemeKnobs {
  brushing: BrushingKnobs;
  brushing_careful: BrushingCarefulKnobs;
  cashback: CashbackKnobs;
  extortion: ExtortionKnobs;
  review_attack: ReviewAttackKnobs;
  banned_claims: BannedClaimsKnobs;
  refund_abuse: RefundAbuseKnobs;
  self_dealing: SelfDealingKnobs;
  review_removal: ReviewRemovalKnobs;
  listing_hijack: ListingHijackKnobs;
  reverse_brushing: ReverseBrushingKnobs;
  mutual_brushing: MutualBrushingKnobs;
  unpaid_orders: UnpaidOrdersKnobs;
}

export type SchemeName = keyof SchemeKnobs;
export const SCHEME_NAMES: readonly SchemeName[] = [
  'brushing',
  'brushing_careful',
  'cashback',
  'extortion',
  'review_attack',
  'banned_claims',
  'refund_abuse',
  'self_dealing',
  'review_removal',
  'listing_hijack',
  'mutual_brushing',
  'reverse_brushing',
  'unpaid_orders',
];

export interface SimOptions {
  merchants: number;
  buyers: number;
  days: number;
  seed: number | string;
  /** First simulated day, ISO-8601 with offset. */
  start: string;
  baseline: BaselineKnobs;
  schemes: SchemeKnobs;
}

type Specs<K> = { [P in keyof K]: K[P] extends KnobValue ? KnobSpec<K[P]> : never };

const int = (doc: string, def: (s: SimSize) => number): KnobSpec<number> => ({ kind: 'int', doc, def });
const num = (doc: string, def: (s: SimSize) => number): KnobSpec<number> => ({ kind: 'number', doc, def });
const rate = (doc: string, v: number): KnobSpec<number> => ({ kind: 'rate', doc, def: () => v });
const bool = (doc: string, v: boolean): KnobSpec<boolean> => ({ kind: 'bool', doc, def: () => v });
const intR = (doc: string, def: (s: SimSize) => Range): KnobSpec<Range> => ({ kind: 'intRange', doc, def });
const rateR = (doc: string, v: Range): KnobSpec<Range> => ({
  kind: 'rateRange',
  doc,
  def: () => [v[0], v[1]],
});
const numR = (doc: string, v: Range): KnobSpec<Range> => ({
  kind: 'numberRange',
  doc,
  def: () => [v[0], v[1]],
});
const fixed = (v: Range) => (): Range => [v[0], v[1]];

/** Scales a count given per 100k buyers (or 2000 merchants) to this marketplace, at least `min`. */
const perBuyers =
  (n: number, min = 1) =>
  (s: SimSize) =>
    Math.max(min, Math.round((n * s.buyers) / 100_000));
const perMerchants =
  (n: number, min = 1) =>
  (s: SimSize) =>
    Math.max(min, Math.round((n * s.merchants) / 2000));
/** Group sizes shrink on small marketplaces so one ring stays a small share of the accounts. */
const small = (s: SimSize, big: Range, tiny: Range): Range => {
  if (s.buyers >= 20_000) return [big[0], big[1]];
  if (s.buyers >= 2000) return [tiny[0], tiny[1]];
  return [Math.max(2, Math.round(tiny[0] / 2)), Math.max(3, Math.round(tiny[1] / 2))];
};

const BASELINE: Specs<BaselineKnobs> = {
  ordersPerBuyerMonth: num('honest orders per buyer per 30 days (averaged over all buyers)', () => 1.7),
  loginsPerBuyerMonth: num('extra browse-only logins per buyer per 30 days', () => 2.5),
  dormantShare: rate('share of buyers registered but not ordering in the period', 0.3),
  newAccountShare: rate('share of buyers registering during the period', 0.06),
  newMerchantShare: rate('share of merchants opening during the period', 0.03),
  listingsPerMerchant: intR('listings each merchant publishes', fixed([4, 20])),
  householdShare: rate(
    'share of buyers living in households of 2-5 sharing a device, address and home IP',
    0.04,
  ),
  storeRegisteredShare: rate(
    'share of buyers signed up on a phone shop’s device (dozens of sign-ups per device)',
    0.02,
  ),
  campuses: int('campus networks (many students behind a few IPs and pickup points)', perBuyers(6)),
  campusSize: intR('students per campus', (s) => (s.buyers >= 20_000 ? [150, 500] : [20, 45])),
  mobileShare: rate('share of buyers mostly on carrier NAT IPs shared by many', 0.4),
  officeShare: rate('share of buyers who also shop from a shared office IP on workdays', 0.06),
  couponRate: rate('share of honest orders with a coupon discount', 0.2),
  cancelRate: rate('share of honest orders cancelled (mostly unpaid)', 0.03),
  returnRate: rate('share of delivered honest orders returned without a problem (七日无理由)', 0.04),
  complainRate: rate('chance a genuinely wronged buyer threatens a complaint or bad review in chat', 0.35),
  pickyShare: rate('share of buyers who rate low honestly across shops', 0.012),
  quickReviewerShare: rate(
    'share of buyers who review within hours of delivery, briefly and positively',
    0.05,
  ),
  compensatorShare: rate('share of merchants that compensate unhappy buyers by transfer', 0.08),
  lightGoodsShare: rate('share of merchants selling only very light or virtual goods', 0.08),
  lawfulSuperlativeRate: rate('share of listings using 最佳/第一/国家级 lawfully', 0.04),
  flashSales: int('honest merchants with a one-day flash sale (burst of orders and praise)', perMerchants(4)),
  badBatches: int('honest merchants shipping a bad batch for a week (burst of low ratings)', perMerchants(3)),
  p2pTransfersPerDay: int('honest transfers between buyers per day (AA, family)', perBuyers(150, 3)),
  moreLookalikes: bool(
    'plant the look-alikes added with the modes (the knobs below; off keeps a seed’s files as before)',
    false,
  ),
  silentCompensatorShare: rate(
    'share of merchants that compensate unhappy buyers by a small transfer, no chat, mostly no memo',
    0.05,
  ),
  angryBuyers: int(
    'honest buyers with a bad week: several low ratings and refunds at different shops',
    perBuyers(40),
  ),
  sharedDeviceFriends: int(
    'groups of friends or family sharing a phone and buying at the same shop',
    perBuyers(80),
  ),
  fixedReviewRemovals: int(
    'honest buyers removing a low review after a genuine fix (refund or resend)',
    perBuyers(60),
  ),
  genuineClaims: int(
    'honest buyers asking once for a refund over a real label problem (food, cosmetics)',
    perBuyers(100),
  ),
  staffPurchases: int(
    'merchants whose staff buy from the shop on an operator’s phone (no pay-back)',
    perMerchants(30),
  ),
  listingRefreshes: int('listings getting an ordinary title and price edit (新款, 包邮)', perMerchants(80)),
  cartAbandoners: int(
    'honest buyers who often leave orders unpaid or cancel them (comparing shops, failed payments)',
    perBuyers(300),
  ),
  hotDrops: int(
    'honest merchants with a limited-stock release: many orders at once, a large share time out unpaid',
    perMerchants(4),
  ),
  regularBuyers: int(
    'honest buyers who reorder one cheap everyday item at a favourite shop every few days (回购), nothing else there',
    perBuyers(150),
  ),
};

const BRUSHING: Specs<BrushingKnobs> = {
  enabled: bool('plant the scheme', true),
  rings: int('brushing rings (phone farms)', perBuyers(12)),
  accountsPerRing: intR('accounts per ring', (s) => small(s, [20, 60], [8, 20])),
  devicesPerRing: intR('farm devices per ring (accounts register and act from these)', fixed([3, 10])),
  instrumentsPerRing: intR('payment instruments shared by a ring', fixed([2, 8])),
  clientMerchantsPerRing: intR('merchants buying fake orders from a ring', fixed([2, 5])),
  ordersPerAccount: intR('fake orders per ring account per 30 days', fixed([3, 10])),
  emptyParcelRate: rateR(
    'per ring: share of fake orders shipped as empty or near-empty parcels',
    [0.5, 0.95],
  ),
  priceOffRate: rate('share of fake orders whose price or paid amount is off the listing price', 0.25),
  camouflageRate: rate('share of a ring account’s orders that are genuine purchases at popular shops', 0.3),
  reviewRate: rate('share of fake orders that get a review', 0.9),
  templateRate: rate('share of fake reviews from the ring’s templates (rest: short generic praise)', 0.8),
  sequentialDeviceRate: rate('share of rings whose farm devices have sequential-ish ids', 0.6),
  leaderPaybackRate: rate('share of rings paid through their leader account', 0.3),
  accountAgeDays: intR('age of ring accounts at the start, days', fixed([20, 240])),
  adaptiveRate: rate('share of rings planned in adaptive mode (see README: modes)', 0),
  adaptiveDeviceShare: rateR(
    'adaptive ring: chance an account registers or acts from one of the ring’s few shared phones',
    [0.05, 0.3],
  ),
  adaptiveFourStarRate: rateR('adaptive ring: share of fake reviews given four stars', [0.1, 0.35]),
  adaptiveEmptyParcelRate: rateR(
    'adaptive ring: share of fake orders still shipped empty (the rest ship real cheap goods)',
    [0, 0.1],
  ),
};

const CAREFUL: Specs<BrushingCarefulKnobs> = {
  enabled: bool('plant the scheme', true),
  rings: int('careful rings', perBuyers(5)),
  accountsPerRing: intR('accounts per ring', (s) => small(s, [12, 35], [6, 14])),
  clientMerchantsPerRing: intR('client merchants per ring', fixed([2, 4])),
  ordersPerAccount: intR('fake orders per account per 30 days', fixed([2, 6])),
  intermediariesPerRing: intR('intermediary accounts relaying pay-back', fixed([1, 3])),
  twoHopRate: rate('share of pay-backs relayed through two intermediaries', 0.5),
  camouflageRate: rate('share of a ring account’s orders that are genuine purchases', 0.6),
  deviceShareRate: rate('chance an account shares a device with another ring account', 0.1),
  emptyParcelRate: rate('share of fake orders shipped as near-empty parcels', 0.05),
  cheapGoodsRate: rate(
    'share of fake orders shipped as some cheap real item instead of the listed one (礼品代发)',
    0.3,
  ),
  reviewRate: rate('share of fake orders that get a review', 0.85),
  accountAgeDays: intR('age of ring accounts at the start, days', fixed([180, 1200])),
  adaptiveRate: rate('share of rings planned in adaptive mode (see README: modes)', 0),
  adaptiveFourStarRate: rateR('adaptive ring: share of fake reviews given four stars', [0.15, 0.4]),
  adaptiveSplitPayRate: rate(
    'adaptive ring: share of pay-backs split into principal and commission paid by different relays',
    0.5,
  ),
};

const CASHBACK: Specs<CashbackKnobs> = {
  enabled: bool('plant the scheme', true),
  merchants: int('merchants paying for five-star reviews (好评返现)', perMerchants(40)),
  offerRate: rateR('per merchant: share of delivered orders given an offer', [0.4, 0.9]),
  uptakeRate: rate('chance a satisfied buyer takes the offer', 0.6),
  amountYuan: intR('cash-back per review, yuan', fixed([2, 15])),
  intermediaryRate: rate('share of merchants paying through an intermediary account', 0.3),
  cardOnlyRate: rate('share of merchants whose offer is a card in the parcel (no chat message)', 0.2),
  adaptiveRate: rate('share of merchants planned in adaptive mode (see README: modes)', 0),
  adaptivePayDelayDays: numR('adaptive merchant: days between review and payment', [1, 6]),
  adaptiveOffPlatformRate: rate(
    'adaptive merchant: share offering via an off-platform group instead of a parcel card',
    0.5,
  ),
};

const EXTORTION: Specs<ExtortionKnobs> = {
  enabled: bool('plant the scheme', true),
  gangs: int('gangs of professional bad reviewers (职业差评师)', perBuyers(4)),
  membersPerGang: intR('accounts per gang', (s) => small(s, [5, 12], [3, 6])),
  ordersPerMember: intR('targeted orders per member per 30 days', fixed([6, 16])),
  demandRate: rate('share of targeted orders where the member demands money in chat', 0.6),
  payRate: rate('chance a threatened merchant pays (then the review is removed)', 0.35),
  refundOnlyRate: rate('share of targeted orders with a refund-only claim', 0.5),
  sharedDeviceRate: rate('chance a member acts from a device shared within the gang', 0.4),
  camouflageRate: rate('share of a member’s orders that are ordinary purchases', 0.15),
  demandYuan: intR('money demanded, yuan', fixed([50, 500])),
  adaptiveRate: rate('share of gangs planned in adaptive mode (see README: modes)', 0),
  adaptiveTalkers: intR(
    'adaptive gang: members who ever send a chat message (the rest stay silent)',
    fixed([0, 2]),
  ),
  adaptiveShopsPerGang: intR('adaptive gang: shops the gang hits together', fixed([4, 12])),
  adaptiveHitWindowDays: intR('adaptive gang: days within which members hit the same shop', fixed([1, 4])),
};

const ATTACK: Specs<ReviewAttackKnobs> = {
  enabled: bool('plant the scheme', true),
  attacks: int('attacks on competitor merchants (反向刷单/恶意差评)', perMerchants(6)),
  attackersPerAttack: intR('fresh accounts per attack', (s) => small(s, [8, 30], [5, 12])),
  windowHours: numR('hours over which the attack orders are placed', [12, 72]),
  freshDays: intR('days between attacker registration and the attack', fixed([1, 14])),
  devicesPerAttack: intR('devices the attackers share', fixed([2, 6])),
  intermediaryRate: rate('share of attacks paid through an intermediary account', 0.4),
  refundRate: rate('share of attack orders with a refund request', 0.3),
  payYuan: intR('pay per attacker on top of the order money, yuan', fixed([10, 50])),
  adaptiveRate: rate('share of attacks planned in adaptive mode (see README: modes)', 0),
  adaptiveAgedShare: rateR(
    'adaptive attack: share of attackers that are aged (bought or borrowed) accounts',
    [0.3, 0.7],
  ),
  adaptiveWindowDays: intR('adaptive attack: days over which the attack orders are spread', fixed([3, 10])),
  adaptiveOwnDeviceRate: rateR('adaptive attack: share of attackers on their own device', [0.5, 0.9]),
};

const BANNED: Specs<BannedClaimsKnobs> = {
  enabled: bool('plant the scheme', true),
  listingRate: rate('share of listings carrying banned absolute claims (极限词)', 0.012),
  merchantConcentration: rate(
    'chance a further banned listing comes from a merchant that already has one',
    0.6,
  ),
  updateRate: rate(
    'share of banned listings that get the claim through listing.updated during the period',
    0.25,
  ),
  descriptionRate: rate('share of claims placed in the description (rest in the title)', 0.5),
  adaptiveRate: rate('share of merchants planned in adaptive mode (see README: modes)', 0),
  adaptiveObfuscateRate: rate(
    'adaptive merchant: share of claims written with spaces or full-width characters (全 网 第 一, ＮＯ.１)',
    0.6,
  ),
  adaptiveUpdateRate: rate('adaptive merchant: share of claims added only by a later listing.updated', 0.6),
};

const REFUND: Specs<RefundAbuseKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  groups: int('groups of linked claimants (恶意仅退款 / 职业索赔)', perBuyers(6)),
  accountsPerGroup: intR('accounts per group', (s) => small(s, [2, 6], [2, 4])),
  claimsPerAccount: intR('claim orders per account per 30 days, each at a different shop', fixed([4, 12])),
  punitiveRate: rate(
    'share of claims demanding 退一赔十 (食品安全法) or 退一赔三 (消费者权益保护法) in chat',
    0.6,
  ),
  payRate: rate('chance a shop pays the demanded compensation', 0.3),
  sharedDeviceRate: rate('chance a group account acts from a device shared in the group', 0.4),
  camouflageRate: rate('share of an account’s orders that are ordinary purchases', 0.2),
  compensationYuan: intR('compensation a paying shop transfers, yuan', fixed([50, 1000])),
  adaptiveRate: rate('share of groups planned in adaptive mode (see README: modes)', 0),
  adaptiveChatRate: rateR(
    'adaptive group: share of claims argued in chat (the rest via refund text only)',
    [0, 0.3],
  ),
};

const SELF_DEALING: Specs<SelfDealingKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  merchants: int('merchants buying from their own shop (自买自卖 / 商家自刷)', perMerchants(15)),
  accountsPerMerchant: intR('own or relatives’ accounts per merchant', fixed([2, 6])),
  ordersPerAccount: intR('self-dealt orders per account per 30 days', fixed([2, 6])),
  declaredRate: rate(
    'share of merchants whose buying accounts share phones, devices or addresses with declared operators',
    0.6,
  ),
  reviewRate: rate('share of self-dealt orders that get a five-star review', 0.85),
  adaptiveRate: rate('share of merchants planned in adaptive mode (see README: modes)', 0),
  adaptiveFourStarRate: rateR('adaptive merchant: share of four-star reviews', [0.1, 0.3]),
};

const REMOVAL: Specs<ReviewRemovalKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  merchants: int('merchants paying unhappy reviewers to remove low reviews (花钱删差评)', perMerchants(20)),
  offerRate: rateR('per merchant: share of its low reviews it tries to buy off', [0.4, 0.9]),
  acceptRate: rate('chance a reviewer takes the money and removes the review', 0.7),
  payYuan: intR('money paid per removed review, yuan', fixed([5, 30])),
  intermediaryRate: rate('share of merchants paying through an intermediary account', 0.5),
  chatRate: rate('share of offers made in chat (the rest by phone, no message)', 0.5),
  adaptiveRate: rate('share of merchants planned in adaptive mode (see README: modes)', 0),
  adaptivePayDelayHours: numR('adaptive merchant: hours between the payment and the removal', [2, 48]),
};

const HIJACK: Specs<ListingHijackKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  listings: int('listings switched to another product after gathering reviews (偷换链接)', perMerchants(8)),
  switchDay: rateR('when the switch happens, as a share of the period', [0.35, 0.8]),
  priceFactor: numR('new price over the old one', [0.6, 3]),
  adaptiveRate: rate('share of hijacks planned in adaptive mode (see README: modes)', 0),
};

const REVERSE: Specs<ReverseBrushingKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  attacks: int(
    'rivals framed with fake orders bearing brushing marks, paid for by a competitor (反向刷单)',
    perMerchants(6),
  ),
  accountsPerAttack: intR('ring accounts per attack', (s) => small(s, [10, 30], [5, 12])),
  ordersPerAccount: intR('fake orders per ring account at the victim', fixed([1, 3])),
  windowHours: numR('classic attack: hours over which the fake orders are placed (a burst)', [6, 48]),
  devicesPerAttack: intR('classic attack: farm devices the ring accounts share', fixed([2, 6])),
  bulkRate: rate('classic attack: share of fake orders of cheap goods in bulk (5-20 pieces)', 0.3),
  refundRate: rate('classic attack: share of fake orders followed by a refund request', 0.5),
  intermediaryRate: rate(
    'share of attacks paying the ring through an intermediary the instigator funds (adaptive: at least 0.8)',
    0.5,
  ),
  feeYuan: intR(
    'fee per fake order the instigator pays the ring on top of the goods’ money, yuan',
    fixed([5, 20]),
  ),
  camouflageRate: rate(
    'share of a ring account’s orders that are ordinary purchases (at the instigator’s competitors or anywhere)',
    0.25,
  ),
  adaptiveRate: rate('share of attacks planned in adaptive mode (see README: modes)', 0),
  adaptiveWindowDays: intR('adaptive attack: days over which the fake orders are spread', fixed([4, 14])),
  adaptiveRefundRate: rateR('adaptive attack: share of fake orders followed by a refund request', [0, 0.2]),
  adaptiveOwnDeviceRate: rateR('adaptive attack: share of ring accounts on their own phone', [0.75, 1]),
};

const UNPAID: Specs<UnpaidOrdersKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  attacks: int(
    'rivals whose stock is locked by orders that are never paid, for a competitor (恶意拍下不付款 / 恶意占库存)',
    perMerchants(6),
  ),
  accountsPerAttack: intR('hired accounts per attack', (s) => small(s, [8, 25], [4, 10])),
  ordersPerAccount: intR('unpaid orders per hired account at the victim', fixed([2, 6])),
  listingsPerAttack: intR('the victim’s best sellers targeted', fixed([1, 3])),
  quantity: intR('classic attack: pieces per unpaid order (the stock it holds)', fixed([5, 50])),
  windowHours: numR('classic attack: hours over which the unpaid orders are placed (a burst)', [12, 72]),
  devicesPerAttack: intR('classic attack: farm devices the hired accounts share', fixed([2, 5])),
  holdHours: numR('classic attack: hours an order holds the stock before the payment timeout', [0.5, 24]),
  repeatRate: rate(
    'classic attack: share of attacks that place again after each timeout (1-3 more times)',
    0.4,
  ),
  payRate: rate('chance a hired account is paid on the platform (the rest are paid off it)', 0.6),
  intermediaryRate: rate(
    'share of attacks paying through an intermediary the instigator funds (adaptive: at least 0.7)',
    0.5,
  ),
  feeYuan: intR('fee per unpaid order the instigator pays, yuan', fixed([2, 10])),
  camouflageRate: rate('share of a hired account’s orders that are ordinary purchases elsewhere', 0.15),
  adaptiveRate: rate('share of attacks planned in adaptive mode (see README: modes)', 0),
  adaptiveQuantity: intR('adaptive attack: pieces per unpaid order', fixed([1, 3])),
  adaptiveWindowDays: intR('adaptive attack: days over which the unpaid orders are spread', fixed([4, 12])),
  adaptiveSelfCancelRate: rateR(
    'adaptive attack: share of unpaid orders the account cancels itself with an ordinary reason before the timeout',
    [0.3, 0.7],
  ),
  adaptiveOwnDeviceRate: rateR('adaptive attack: share of hired accounts on their own phone', [0.7, 1]),
  adaptivePaidCamouflage: intR(
    'adaptive attack: small paid orders per hired account at other shops (camouflage)',
    fixed([1, 4]),
  ),
};

const MUTUAL: Specs<MutualBrushingKnobs> = {
  enabled: bool(
    'plant the scheme (off by default: a seed’s files stay as before; see presets/all.json)',
    false,
  ),
  groups: int(
    'groups of merchants whose staff buy at and praise each other’s shops (互刷群), never their own',
    perMerchants(5),
  ),
  shopsPerGroup: intR('member shops per group', (s) => (s.merchants >= 200 ? [3, 8] : [3, 5])),
  staffPerShop: intR(
    'staff, relatives’ or friends’ accounts per member shop that buy at the others',
    fixed([1, 3]),
  ),
  ordersPerPair: intR(
    'fake orders per 30 days one member’s side places at another (as many the other way)',
    fixed([2, 5]),
  ),
  pairShare: rateR(
    'per group: share of member pairs that brush each other (each member with one at least)',
    [0.6, 1],
  ),
  linkedRate: rate(
    'classic group: share of staff accounts sharing a phone, device, address, card or Wi-Fi with a declared operator',
    0.7,
  ),
  operatorBuyRate: rate('classic group: share of member shops whose declared operator account buys too', 0.4),
  returnRate: rate(
    'classic group: share of groups where the receiving shop transfers each order’s principal back to the buyer',
    0.4,
  ),
  settleRate: rate(
    'classic group: share of groups settling balances weekly between members’ operator accounts (the rest: no money)',
    0.3,
  ),
  reviewRate: rate('share of fake orders that get a review', 0.9),
  roundsPerMonth: intR(
    'classic group: brushing rounds per 30 days (days the fake orders are placed)',
    fixed([2, 4]),
  ),
  camouflageRate: rate(
    'a staff account’s own purchases elsewhere, per fake order it places (adaptive: twice as many)',
    0.2,
  ),
  operatorShoppers: int(
    'look-alike (cohort operator_shopper): honest shops’ staff shopping at other shops now and then',
    perMerchants(40),
  ),
  supplierPairs: int(
    'look-alike (cohort supplier_pair): pairs of honest shops whose operators pay each other 货款, no orders',
    perMerchants(12),
  ),
  adaptiveRate: rate('share of groups planned in adaptive mode (see README: modes)', 0),
  adaptiveLinkedRate: rateR(
    'adaptive group: share of staff accounts linked to a declared operator',
    [0.1, 0.4],
  ),
  adaptiveFourStarRate: rateR('adaptive group: share of four-star reviews', [0.1, 0.3]),
  adaptiveReciprocalRate: rate(
    'adaptive group: share of groups moving no money at all (the rest settle through one member’s non-operator account)',
    0.5,
  ),
};

const SPECS: { baseline: Specs<BaselineKnobs> } & { [S in SchemeName]: Specs<SchemeKnobs[S]> } = {
  baseline: BASELINE,
  brushing: BRUSHING,
  brushing_careful: CAREFUL,
  cashback: CASHBACK,
  extortion: EXTORTION,
  review_attack: ATTACK,
  banned_claims: BANNED,
  refund_abuse: REFUND,
  self_dealing: SELF_DEALING,
  review_removal: REMOVAL,
  listing_hijack: HIJACK,
  reverse_brushing: REVERSE,
  mutual_brushing: MUTUAL,
  unpaid_orders: UNPAID,
};

export type KnobSection = keyof typeof SPECS;
const SECTIONS = Object.keys(SPECS) as KnobSection[];

/** A read-only view of every knob spec by section and name. */
function specTable(): Record<string, Record<string, KnobSpec<KnobValue>>> {
  return SPECS as unknown as Record<string, Record<string, KnobSpec<KnobValue>>>;
}

function defaultsOf<K>(specs: Specs<K>, size: SimSize): K {
  const out: Record<string, KnobValue> = {};
  for (const [k, spec] of Object.entries(specs as Record<string, KnobSpec<KnobValue>>))
    out[k] = spec.def(size);
  return out as K;
}

export type SimOptionsInput = Partial<
  Pick<SimOptions, 'merchants' | 'buyers' | 'days' | 'seed' | 'start'>
> & {
  baseline?: Partial<BaselineKnobs>;
  schemes?: { [S in SchemeName]?: Partial<SchemeKnobs[S]> };
};

export const DEFAULT_START = '2026-10-01T00:00:00+08:00';

/** Options for a marketplace of the given size; knob defaults scale with merchants and buyers. */
export function defaultSimOptions(partial: SimOptionsInput = {}): SimOptions {
  const size: SimSize = {
    merchants: partial.merchants ?? 2000,
    buyers: partial.buyers ?? 100_000,
    days: partial.days ?? 30,
  };
  const s = partial.schemes ?? {};
  const opts: SimOptions = {
    ...size,
    seed: partial.seed ?? 1,
    start: partial.start ?? DEFAULT_START,
    baseline: { ...defaultsOf(BASELINE, size), ...partial.baseline },
    schemes: {
      brushing: { ...defaultsOf(BRUSHING, size), ...s.brushing },
      brushing_careful: { ...defaultsOf(CAREFUL, size), ...s.brushing_careful },
      cashback: { ...defaultsOf(CASHBACK, size), ...s.cashback },
      extortion: { ...defaultsOf(EXTORTION, size), ...s.extortion },
      review_attack: { ...defaultsOf(ATTACK, size), ...s.review_attack },
      banned_claims: { ...defaultsOf(BANNED, size), ...s.banned_claims },
      refund_abuse: { ...defaultsOf(REFUND, size), ...s.refund_abuse },
      self_dealing: { ...defaultsOf(SELF_DEALING, size), ...s.self_dealing },
      review_removal: { ...defaultsOf(REMOVAL, size), ...s.review_removal },
      listing_hijack: { ...defaultsOf(HIJACK, size), ...s.listing_hijack },
      mutual_brushing: { ...defaultsOf(MUTUAL, size), ...s.mutual_brushing },
      reverse_brushing: { ...defaultsOf(REVERSE, size), ...s.reverse_brushing },
      unpaid_orders: { ...defaultsOf(UNPAID, size), ...s.unpaid_orders },
    },
  };
  validateOptions(opts);
  return opts;
}

const KIND_TEXT: Record<KnobKind, LocalText> = {
  int: { en: 'a non-negative integer', zh: '非负整数' },
  number: { en: 'a non-negative number', zh: '非负数' },
  rate: { en: 'a number between 0 and 1', zh: '0 到 1 之间的数' },
  bool: { en: 'true or false', zh: 'true 或 false' },
  intRange: { en: 'a range of non-negative integers like 8..20', zh: '非负整数区间，如 8..20' },
  rateRange: {
    en: 'a range of numbers between 0 and 1 like 0.2..0.6',
    zh: '0 到 1 之间的数值区间，如 0.2..0.6',
  },
  numberRange: { en: 'a range of non-negative numbers like 12..72', zh: '非负数区间，如 12..72' },
};

function checkScalar(kind: 'int' | 'number' | 'rate', v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return false;
  if (kind === 'int') return Number.isInteger(v);
  if (kind === 'rate') return v <= 1;
  return true;
}

function checkValue(kind: KnobKind, v: unknown): boolean {
  switch (kind) {
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
    case 'number':
    case 'rate':
      return checkScalar(kind, v);
    case 'intRange':
    case 'rateRange':
    case 'numberRange': {
      if (!Array.isArray(v) || v.length !== 2) return false;
      const k = kind === 'intRange' ? 'int' : kind === 'rateRange' ? 'rate' : 'number';
      return checkScalar(k, v[0]) && checkScalar(k, v[1]) && v[0] <= v[1];
    }
  }
}

function parseScalar(s: string): number | undefined {
  const t = s.trim();
  if (!/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(t)) return undefined;
  return Number(t);
}

function parseValue(kind: KnobKind, raw: string): KnobValue | undefined {
  const s = raw.trim();
  if (kind === 'bool') {
    const l = s.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(l)) return true;
    if (['false', '0', 'no', 'off'].includes(l)) return false;
    return undefined;
  }
  if (kind === 'int' || kind === 'number' || kind === 'rate') return parseScalar(s);
  // Ranges: "8..20", "8-20", "8,20", "[8,20]" (JSON from a config file) or one number for both ends.
  const inner = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const parts = inner.includes('..') ? inner.split('..') : inner.split(/[,\-~]/);
  if (parts.length === 1) {
    const v = parseScalar(parts[0]);
    return v === undefined ? undefined : [v, v];
  }
  if (parts.length !== 2) return undefined;
  const lo = parseScalar(parts[0]);
  const hi = parseScalar(parts[1]);
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

function knobNames(): string[] {
  const out: string[] = [];
  for (const sec of SECTIONS) for (const k of Object.keys(specTable()[sec])) out.push(`${sec}.${k}`);
  return out;
}

export type SimMode = 'classic' | 'adaptive' | 'mixed';
export const SIM_MODES: readonly SimMode[] = ['classic', 'adaptive', 'mixed'];
const MODE_RATE: Record<SimMode, number> = { classic: 0, adaptive: 1, mixed: 0.5 };

/** Sets every scheme's `adaptiveRate` for a mode: classic 0, adaptive 1, mixed 0.5 (apply overrides after). */
export function applyMode(opts: SimOptions, mode: SimMode): SimOptions {
  if (!Object.hasOwn(MODE_RATE, mode))
    throw invalid({
      en: `Mode "${mode}" must be one of ${SIM_MODES.join(', ')}.`,
      zh: `模式 "${mode}" 必须是 ${SIM_MODES.join('、')} 之一。`,
    });
  const next = structuredClone(opts);
  for (const s of SCHEME_NAMES) next.schemes[s].adaptiveRate = MODE_RATE[mode];
  return next;
}

/** Applies one `section.knob=value` override (e.g. `brushing.rings=12`) and returns new options. */
export function applyKnobOverride(opts: SimOptions, assignment: string): SimOptions {
  const eq = assignment.indexOf('=');
  if (eq < 0)
    throw invalid({
      en: `Knob override "${assignment}" must look like scheme.knob=value, e.g. brushing.rings=12.`,
      zh: `参数覆盖 "${assignment}" 的写法应为 scheme.knob=value，例如 brushing.rings=12。`,
    });
  const name = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1);
  const dot = name.indexOf('.');
  const section = dot < 0 ? '' : name.slice(0, dot);
  const knob = dot < 0 ? name : name.slice(dot + 1);
  const secSpecs = specTable()[section];
  if (!secSpecs) {
    throw invalid({
      en: `Unknown knob "${name}": the section must be one of ${SECTIONS.join(', ')} (write it as section.knob=value).`,
      zh: `未知参数 "${name}"：分组必须是 ${SECTIONS.join('、')} 之一（写作 section.knob=value）。`,
    });
  }
  const spec = Object.hasOwn(secSpecs, knob) ? secSpecs[knob] : undefined;
  if (!spec) {
    const known = Object.keys(secSpecs).join(', ');
    throw invalid({
      en: `Unknown knob "${name}". Knobs of ${section}: ${known}.`,
      zh: `未知参数 "${name}"。${section} 的参数有：${known}。`,
    });
  }
  const value = parseValue(spec.kind, raw);
  if (value === undefined || !checkValue(spec.kind, value)) {
    throw invalid({
      en: `Knob "${name}" expects ${KIND_TEXT[spec.kind].en}, got "${raw}".`,
      zh: `参数 "${name}" 应为${KIND_TEXT[spec.kind].zh}，实际为 "${raw}"。`,
    });
  }
  const next = structuredClone(opts);
  const target = section === 'baseline' ? next.baseline : next.schemes[section as SchemeName];
  (target as unknown as Record<string, KnobValue>)[knob] = value;
  return next;
}

/** Throws an Error naming the first bad option or knob. */
export function validateOptions(opts: SimOptions): void {
  const sizes: [string, number, number][] = [
    ['merchants', opts.merchants, 10],
    ['buyers', opts.buyers, 200],
    ['days', opts.days, 1],
  ];
  for (const [name, v, min] of sizes) {
    if (!Number.isInteger(v) || v < min)
      throw invalid({
        en: `Option "${name}" must be an integer of at least ${min}, got ${v}.`,
        zh: `选项 "${name}" 必须是不小于 ${min} 的整数，实际为 ${v}。`,
      });
  }
  if (opts.days > 366) {
    throw invalid({
      en: `Option "days" must be at most 366, got ${opts.days}.`,
      zh: `选项 "days" 不能超过 366，实际为 ${opts.days}。`,
    });
  }
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$/.test(opts.start) ||
    Number.isNaN(Date.parse(opts.start))
  ) {
    throw invalid({
      en: `Option "start" must be an ISO-8601 time with offset, e.g. ${DEFAULT_START}; got "${opts.start}".`,
      zh: `选项 "start" 必须是带时区偏移的 ISO-8601 时间，例如 ${DEFAULT_START}；实际为 "${opts.start}"。`,
    });
  }
  const table = specTable();
  for (const sec of SECTIONS) {
    const values = (sec === 'baseline' ? opts.baseline : opts.schemes[sec]) as unknown as Record<
      string,
      unknown
    >;
    if (!values || typeof values !== 'object') {
      throw invalid({ en: `Knob section "${sec}" is missing.`, zh: `缺少参数分组 "${sec}"。` });
    }
    for (const [k, spec] of Object.entries(table[sec])) {
      if (!checkValue(spec.kind, values[k])) {
        const got = JSON.stringify(values[k]);
        throw invalid({
          en: `Knob "${sec}.${k}" expects ${KIND_TEXT[spec.kind].en}, got ${got}.`,
          zh: `参数 "${sec}.${k}" 应为${KIND_TEXT[spec.kind].zh}，实际为 ${got}。`,
        });
      }
    }
    for (const k of Object.keys(values)) {
      if (!Object.hasOwn(table[sec], k))
        throw invalid({
          en: `Unknown knob "${sec}.${k}". Known knobs: ${knobNames().join(', ')}.`,
          zh: `未知参数 "${sec}.${k}"。已知参数：${knobNames().join(', ')}。`,
        });
    }
  }
}

export interface KnobDoc {
  name: string;
  kind: string;
  doc: string;
  value: KnobValue;
}

/** Every knob with its meaning and its value in `opts` (defaults if omitted), for help texts and the README. */
export function describeKnobs(opts: SimOptions = defaultSimOptions()): KnobDoc[] {
  const out: KnobDoc[] = [];
  const table = specTable();
  for (const sec of SECTIONS) {
    const values = (sec === 'baseline' ? opts.baseline : opts.schemes[sec]) as unknown as Record<
      string,
      KnobValue
    >;
    for (const [k, spec] of Object.entries(table[sec])) {
      out.push({ name: `${sec}.${k}`, kind: KIND_TEXT[spec.kind].en, doc: spec.doc, value: values[k] });
    }
  }
  return out;
}
