// The registry: one detector per rule kind.
import type { RuleKind } from '../../rules/schema.ts';
import type { Detector } from '../engine.ts';
import { bannedClaims } from './banned-claims.ts';
import { cashback } from './cashback.ts';
import { extortion } from './extortion.ts';
import { implausibleWeight } from './implausible-weight.ts';
import { listingSwitch } from './listing-switch.ts';
import { orderBurst } from './order-burst.ts';
import { payback } from './payback.ts';
import { priceDeviation } from './price-deviation.ts';
import { quickTemplatedReview } from './quick-templated-review.ts';
import { reviewAttack } from './review-attack.ts';
import { sharedIdentifier } from './shared-identifier.ts';

export const DETECTORS: ReadonlyMap<RuleKind, Detector> = new Map<RuleKind, Detector>([
  ['order_burst', orderBurst as Detector],
  ['shared_identifier', sharedIdentifier as Detector],
  ['price_deviation', priceDeviation as Detector],
  ['implausible_weight', implausibleWeight as Detector],
  ['quick_templated_review', quickTemplatedReview as Detector],
  ['payback', payback as Detector],
  ['cashback', cashback as Detector],
  ['review_attack', reviewAttack as Detector],
  ['extortion', extortion as Detector],
  ['banned_claims', bannedClaims as Detector],
  ['listing_switch', listingSwitch as Detector],
]);
