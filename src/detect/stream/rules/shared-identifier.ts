// Many buyer accounts behind one device, address, payment instrument or IP ordering from one merchant.
// Honest controls: an identifier whose buyers shop at many merchants (a campus or carrier network) or
// that sends little of its trade to this merchant (a household) does not count.

import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import type { IdentifierKind } from '../state.ts';
import { DAY_MS, pct } from './format.ts';

const NAMES: Record<string, { zh: string; en: string }> = {
  device: { zh: '设备', en: 'device' },
  address: { zh: '收货地址', en: 'address' },
  instrument: { zh: '支付工具', en: 'payment instrument' },
  ip: { zh: 'IP', en: 'IP' },
};

interface Memory {
  /** identifier value → merchant → account → [last order time, event id] */
  seen: Map<string, Map<string, Map<string, [number, string]>>>;
  /** Event time of the last sweep of expired entries. */
  sweptAt: number;
}

/**
 * Once a day of event time, drops entries older than the window (and a day more, for events that arrive
 * a little out of order): they would be dropped before they were counted anyway, so findings do not
 * change, and the memory stays within the window instead of growing with every order ever made.
 */
function sweep(m: Memory, now: number, windowMs: number): void {
  if (now - m.sweptAt < DAY_MS) return;
  m.sweptAt = now;
  const before = now - windowMs - DAY_MS;
  for (const [value, byMerchant] of m.seen) {
    for (const [merchant, accounts] of byMerchant) {
      for (const [acc, v] of accounts) if (v[0] < before) accounts.delete(acc);
      if (accounts.size === 0) byMerchant.delete(merchant);
    }
    if (byMerchant.size === 0) m.seen.delete(value);
  }
}

export const sharedIdentifier: Detector<'shared_identifier', Memory> = {
  kind: 'shared_identifier',
  version: '1',
  listens: ['order.created', 'order.paid'],
  memory: () => ({ seen: new Map(), sweptAt: 0 }),
  create(ref, env, memory) {
    const seen = memory.seen;
    return (e) => {
      const p = ref.rule.params;
      const kind = p.identifier as IdentifierKind;
      let value: string | undefined;
      let orderId: string;
      if (kind === 'instrument') {
        if (e.type !== 'order.paid') return;
        value = e.data.instrument_hash;
        orderId = e.data.order_id;
      } else {
        if (e.type !== 'order.created') return;
        const d = e.data;
        value = kind === 'device' ? d.device_id : kind === 'address' ? d.address_hash : d.ip;
        orderId = d.order_id;
      }
      if (!value) return;
      const o = env.state.orders.get(orderId);
      if (!o) return;
      const now = env.now();
      sweep(memory, now, p.window_days * DAY_MS);
      let byMerchant = seen.get(value);
      if (!byMerchant) seen.set(value, (byMerchant = new Map()));
      let accounts = byMerchant.get(o.merchant);
      if (!accounts) byMerchant.set(o.merchant, (accounts = new Map()));
      accounts.set(o.buyer, [now, e.id]);
      if (accounts.size < p.min_accounts) return;
      // Cheap honest controls first: a busy shared network is never judged, however many accounts it has.
      const merchants = env.state.ids[kind].merchants.get(value);
      const nMerchants = merchants?.size ?? 1;
      if (nMerchants >= p.max_identifier_merchants) return;
      const since = now - p.window_days * DAY_MS;
      for (const [acc, v] of accounts) if (v[0] < since) accounts.delete(acc);
      const recent = [...accounts];
      if (recent.length < p.min_accounts) return;
      let total = 0;
      for (const c of merchants?.values() ?? []) total += c;
      const concentration = (merchants?.get(o.merchant) ?? 1) / Math.max(1, total);
      if (concentration < p.min_concentration) return;
      const n = recent.length;
      const sc = p.score;
      const score = clamp01(
        sc.base + sc.per_extra_account * (n - p.min_accounts) + sc.per_concentration * concentration,
      );
      const name = NAMES[kind];
      const explanation = {
        zh: `${n} 个买家账号共用同一${name.zh}在该商家下单（该${name.zh}的订单 ${pct(concentration)} 流向此商家）`,
        en: `${n} buyer accounts share one ${name.en} ordering from this merchant (${pct(concentration)} of that ${name.en}'s orders go here)`,
      };
      const evidence = recent.map(([, v]) => v[1]);
      const facts = { accounts: n, concentration, identifier_merchants: nMerchants };
      for (const [acc] of recent) {
        env.emit({
          kind: 'account',
          subject: acc,
          key: `${kind}:${value}:${o.merchant}`,
          score,
          evidence,
          explanation,
          facts,
        });
      }
      env.emit({
        kind: 'order',
        subject: o.id,
        key: `${kind}:${value}`,
        score,
        evidence,
        explanation,
        facts,
      });
    };
  },
};
