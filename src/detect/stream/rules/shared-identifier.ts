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
  /**
   * `identifier value NUL merchant` → the accounts that ordered there with it, flat and in the order first
   * seen: account, time of its last order, that order's event id, the next account… Most pairs hold one
   * account, and a Map of Maps of pairs cost several times the entry itself (NUL is refused at intake, so no
   * value or id holds it).
   */
  seen: Map<string, Array<string | number>>;
  /** Event time of the last sweep of expired entries. */
  sweptAt: number;
}

const STRIDE = 3;

/** Drops the entries of a flat list whose time is before `before`, keeping the others' order. */
function dropBefore(list: Array<string | number>, before: number): void {
  let to = 0;
  for (let i = 0; i < list.length; i += STRIDE) {
    if ((list[i + 1] as number) < before) continue;
    if (to !== i) for (let k = 0; k < STRIDE; k++) list[to + k] = list[i + k];
    to += STRIDE;
  }
  list.length = to;
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
  for (const [key, list] of m.seen) {
    dropBefore(list, before);
    if (list.length === 0) m.seen.delete(key);
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
      const key = `${value}\u0000${o.merchant}`;
      let list = seen.get(key);
      if (!list) seen.set(key, (list = [o.buyer, now, e.id]));
      else {
        let i = 0;
        while (i < list.length && list[i] !== o.buyer) i += STRIDE;
        if (i === list.length) list.push(o.buyer, now, e.id);
        else {
          list[i + 1] = now;
          list[i + 2] = e.id;
        }
      }
      if (list.length / STRIDE < p.min_accounts) return;
      // Cheap honest controls first: a busy shared network is never judged, however many accounts it has.
      const index = env.state.ids[kind];
      const nMerchants = index.merchantCount(value) || 1;
      if (nMerchants >= p.max_identifier_merchants) return;
      const since = now - p.window_days * DAY_MS;
      dropBefore(list, since);
      const recent: string[] = [];
      const evidence: string[] = [];
      for (let i = 0; i < list.length; i += STRIDE) {
        recent.push(list[i] as string);
        evidence.push(list[i + 2] as string);
      }
      if (recent.length < p.min_accounts) return;
      const { here, total } = index.ordersAt(value, o.merchant);
      const concentration = (here || 1) / Math.max(1, total);
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
      const facts = { accounts: n, concentration, identifier_merchants: nMerchants };
      for (const acc of recent) {
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
