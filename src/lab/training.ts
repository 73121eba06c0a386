// Training data for the learned scorer: labelled folders (events + truth), and simulated marketplaces
// with varied knobs so the model learns the behaviour rather than one configuration's proportions.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Labelled, type Scorer, trainScorer } from '../detect/index.ts';
import { AppError } from '../platform/errors.ts';
import { Random } from '../platform/random.ts';
import { applyKnobOverride, defaultSimOptions, SCHEME_NAMES, type SimOptions } from '../sim/options.ts';
import { simulateToDir } from '../sim/write.ts';
import { analyseFile } from './pipeline.ts';
import { loadTruth, positives, type Truth } from './truth.ts';

export interface TrainFromFolders {
  folders: string[];
  simulate: number;
  size: { merchants: number; buyers: number; days: number };
  seed: number;
  /** Keep the simulated marketplaces here (and reuse those already there) instead of a temporary folder. */
  keepDir?: string;
  onProgress?: (msg: string) => void;
}

/** Knob variations for training marketplaces: proportions and camouflage move, behaviour stays. */
function variedKnobs(r: Random): string[] {
  const pick = (lo: number, hi: number) => (lo + r.next() * (hi - lo)).toFixed(2);
  return [
    `brushing.camouflageRate=${pick(0.1, 0.6)}`,
    `brushing.templateRate=${pick(0.2, 0.9)}`,
    `brushing.emptyParcelRate=${pick(0.1, 0.5)}..${pick(0.5, 0.9)}`,
    `brushing_careful.camouflageRate=${pick(0.2, 0.7)}`,
    `brushing_careful.twoHopRate=${pick(0.2, 0.8)}`,
    `cashback.intermediaryRate=${pick(0.1, 0.6)}`,
    `cashback.cardOnlyRate=${pick(0.1, 0.6)}`,
    `extortion.camouflageRate=${pick(0.1, 0.6)}`,
    `extortion.payRate=${pick(0.2, 0.7)}`,
    `review_attack.intermediaryRate=${pick(0.1, 0.7)}`,
    `reverse_brushing.intermediaryRate=${pick(0.2, 0.8)}`,
    `reverse_brushing.camouflageRate=${pick(0.1, 0.5)}`,
    `mutual_brushing.linkedRate=${pick(0.4, 0.9)}`,
    `mutual_brushing.returnRate=${pick(0.2, 0.5)}`,
    `mutual_brushing.settleRate=${pick(0.1, 0.4)}`,
    `mutual_brushing.adaptiveReciprocalRate=${pick(0.3, 0.7)}`,
    `unpaid_orders.payRate=${pick(0.3, 0.9)}`,
    `unpaid_orders.intermediaryRate=${pick(0.2, 0.8)}`,
    `unpaid_orders.camouflageRate=${pick(0.05, 0.4)}`,
    // Honest look-alikes in other proportions too, so the model does not learn one market's mix.
    `baseline.householdShare=${pick(0.02, 0.08)}`,
    // Compensating shops are drawn more often than in a default market (8%), as the schemes they resemble
    // (review removal, cash-back, extortion pay-offs) are scaled up below: at the old 2–12% beside review
    // removal ×1.5–3, one paid-and-removed low review taught the model "bought removal", and 8% of honest
    // compensators in a fresh market were flagged.
    `baseline.compensatorShare=${pick(0.05, 0.2)}`,
    `baseline.silentCompensatorShare=${pick(0.03, 0.12)}`,
    `baseline.lightGoodsShare=${pick(0.05, 0.15)}`,
    `baseline.complainRate=${pick(0.2, 0.6)}`,
    `baseline.pickyShare=${pick(0.005, 0.03)}`,
    `baseline.quickReviewerShare=${pick(0.02, 0.08)}`,
    `baseline.couponRate=${pick(0.1, 0.35)}`,
    `baseline.returnRate=${pick(0.02, 0.08)}`,
    `baseline.cancelRate=${pick(0.02, 0.06)}`,
  ];
}

/** Scheme counts scaled up or down so that rare schemes (few attacks, few gangs) give the model enough cases. */
function variedCounts(r: Random, opts: SimOptions): string[] {
  const k = opts.schemes;
  const times = (n: number, lo: number, hi: number) =>
    Math.max(1, Math.round(n * (lo + r.next() * (hi - lo))));
  return [
    `brushing.rings=${times(k.brushing.rings, 0.5, 1.5)}`,
    `mutual_brushing.groups=${times(k.mutual_brushing.groups, 2, 5)}`,
    `mutual_brushing.operatorShoppers=${times(k.mutual_brushing.operatorShoppers, 2, 5)}`,
    `mutual_brushing.supplierPairs=${times(k.mutual_brushing.supplierPairs, 1, 3)}`,
    `brushing_careful.rings=${times(k.brushing_careful.rings, 1, 2.5)}`,
    `cashback.merchants=${times(k.cashback.merchants, 0.7, 2)}`,
    `extortion.gangs=${times(k.extortion.gangs, 1, 2.5)}`,
    `review_attack.attacks=${times(k.review_attack.attacks, 2, 5)}`,
    // A market of 400 merchants would plant one or two of these; the merchant model needs more to learn from.
    `refund_abuse.groups=${times(k.refund_abuse.groups, 1, 2.5)}`,
    `self_dealing.merchants=${times(k.self_dealing.merchants, 1.5, 3)}`,
    `review_removal.merchants=${times(k.review_removal.merchants, 1.5, 3)}`,
    `listing_hijack.listings=${times(k.listing_hijack.listings, 3, 6)}`,
    // Each scheme scaled up above brings its look-alikes up with it, or the model learns a prior that flags
    // them (ordinary listing edits at 6–9% when only the hijacks were scaled).
    `baseline.listingRefreshes=${times(opts.baseline.listingRefreshes, 3, 6)}`,
    `baseline.staffPurchases=${times(opts.baseline.staffPurchases, 1.5, 3)}`,
    `baseline.fixedReviewRemovals=${times(opts.baseline.fixedReviewRemovals, 1.5, 3)}`,
    `baseline.genuineClaims=${times(opts.baseline.genuineClaims, 1, 2.5)}`,
    `reverse_brushing.attacks=${times(k.reverse_brushing.attacks, 2, 5)}`,
    `unpaid_orders.attacks=${times(k.unpaid_orders.attacks, 2, 5)}`,
    `baseline.hotDrops=${times(opts.baseline.hotDrops, 1, 3)}`,
    `baseline.cartAbandoners=${times(opts.baseline.cartAbandoners, 2, 5)}`,
    // Brushing is scaled up too: regular customers (one cheap item, one shop, again and again) keep the model
    // from learning that a one-shop buyer's repeat orders are fake.
    `baseline.regularBuyers=${times(opts.baseline.regularBuyers, 2, 5)}`,
    // Honest money between buyers, so that a transfer to someone who left an order unpaid, or who bought at
    // another shop, is as common as in a real market beside the scaled-up schemes that pay such accounts.
    `baseline.p2pTransfersPerDay=${times(opts.baseline.p2pTransfersPerDay, 1, 3)}`,
    `baseline.flashSales=${times(opts.baseline.flashSales, 1, 3)}`,
    `baseline.badBatches=${times(opts.baseline.badBatches, 1, 3)}`,
  ];
}

interface Omissions {
  /** Share of merchants whose `account_ids` are dropped. */
  operators: number;
  weights: boolean;
  chatOrders: boolean;
}

/** Drops optional fields from an events file, in place. */
function omitFields(path: string, omit: Omissions, r: Random) {
  if (omit.operators === 0 && !omit.weights && !omit.chatOrders) return;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const hit =
      (omit.operators > 0 && l.includes('"merchant.registered"')) ||
      (omit.weights && l.includes('"order.shipped"')) ||
      (omit.chatOrders && l.includes('"message.sent"'));
    if (!hit) continue;
    const e = JSON.parse(l) as { type: string; data: Record<string, unknown> };
    if (e.type === 'merchant.registered' && r.chance(omit.operators)) delete e.data.account_ids;
    if (e.type === 'order.shipped') delete e.data.weight_grams;
    if (e.type === 'message.sent') delete e.data.order_id;
    lines[i] = JSON.stringify(e);
  }
  writeFileSync(path, lines.join('\n'));
}

/** A labelled marketplace, analysed: its features and its truth. */
export interface Market {
  name: string;
  features: Labelled['features'];
  truth: Truth;
}

export interface SimulatedMarkets {
  count: number;
  size: { merchants: number; buyers: number; days: number };
  seed: number;
  /** Share of each scheme planted in adaptive mode, per market; default: markets cycle classic, adaptive, mixed. */
  adaptiveRate?: (i: number) => number;
  keepDir?: string;
  say: (msg: string) => void;
}

const MODE_CYCLE = [0, 1, 0.5];

/**
 * Simulated marketplaces with varied knobs, modes and omitted fields, analysed one after the other. The
 * knob draws come from one stream per seed, so the same seed gives the same markets.
 */
export async function* simulatedMarkets(o: SimulatedMarkets): AsyncGenerator<Market> {
  const r = new Random(`train:${o.seed}`);
  for (let i = 0; i < o.count; i++) {
    const seed = o.seed + i;
    const rate = o.adaptiveRate?.(i) ?? MODE_CYCLE[i % MODE_CYCLE.length];
    const dir = o.keepDir
      ? join(o.keepDir, `sim-${o.size.merchants}-${o.size.buyers}-${o.size.days}-${seed}-a${rate}`)
      : mkdtempSync(join(tmpdir(), `tianping-train-${seed}-`));
    try {
      let opts = defaultSimOptions({ ...o.size, seed });
      const knobs = [...everySchemeKnobs(), ...variedKnobs(r), ...variedCounts(r, opts), ...modeKnobs(rate)];
      for (const k of knobs) opts = applyKnobOverride(opts, k);
      // The marker is written last, so a simulation cut short is made again rather than reused.
      if (!existsSync(join(dir, 'complete.json'))) {
        // Platforms differ in which optional fields they send: some declare no operator accounts, some
        // send no parcel weights, some no order ids in chat. Markets vary this too, so the model also
        // learns from what is left when a field is missing.
        const omit: Omissions = {
          operators: [0, 1, 0.5][i % 3],
          weights: i % 4 === 3,
          chatOrders: i % 6 === 5,
        };
        o.say(
          `simulating marketplace ${i + 1}/${o.count} (seed ${seed}; omitted ${JSON.stringify(omit)}; ${knobs.join(' ')})`,
        );
        const summary = await simulateToDir(opts, dir);
        omitFields(join(dir, 'events.ndjson'), omit, new Random(`omit:${seed}`));
        writeFileSync(join(dir, 'complete.json'), JSON.stringify({ seed, knobs, omit, summary }));
      }
      const run = await analyseFile(join(dir, 'events.ndjson'));
      yield { name: `sim:${seed}`, features: run.features, truth: loadTruth(join(dir, 'truth.ndjson')) };
    } finally {
      if (!o.keepDir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Every scheme's share of adaptive rings, gangs, attacks and merchants. */
function modeKnobs(rate: number): string[] {
  return SCHEME_NAMES.map((s) => `${s}.adaptiveRate=${rate}`);
}

/** The simulator's preset that turns on every scheme and every honest look-alike: training sees them all. */
function everySchemeKnobs(): string[] {
  const preset = JSON.parse(
    readFileSync(new URL('../sim/presets/all.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  return Object.entries(preset).map(([k, v]) => `${k}=${v}`);
}

export async function trainFromFolders(o: TrainFromFolders): Promise<Scorer> {
  const data: Labelled[] = [];
  const say = o.onProgress ?? (() => {});
  for (const dir of o.folders) {
    say(`analysing ${dir}`);
    const run = await analyseFile(join(dir, 'events.ndjson'));
    data.push({
      name: dir,
      features: run.features,
      positives: positives(loadTruth(join(dir, 'truth.ndjson'))),
    });
  }
  const markets = simulatedMarkets({
    count: o.simulate,
    size: o.size,
    seed: o.seed,
    keepDir: o.keepDir,
    say,
  });
  for await (const m of markets)
    data.push({ name: m.name, features: m.features, positives: positives(m.truth) });
  if (data.length === 0)
    throw new AppError('invalid_input', {
      en: 'Nothing to train on: give --data DIR and/or --simulate N.',
      zh: '没有可训练的数据：请用 --data DIR 或 --simulate N 指定。',
    });
  say('training');
  return trainScorer(data, { seed: o.seed, onProgress: say });
}
