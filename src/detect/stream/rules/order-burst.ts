// Orders at one merchant far above its own baseline in a sliding window (刷单 often comes in waves).
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import { DAY_MS } from './format.ts';

/** Per merchant: order times and event ids over the baseline period, oldest first. */
type Memory = Map<string, { t: number[]; ids: string[]; head: number; first: number }>;

export const orderBurst: Detector<'order_burst', Memory> = {
  kind: 'order_burst',
  version: '1',
  listens: ['order.created'],
  memory: () => new Map(),
  create(ref, env, seen) {
    return (e) => {
      if (e.type !== 'order.created') return;
      const p = ref.rule.params;
      const now = env.now();
      const m = e.data.merchant_id;
      let s = seen.get(m);
      if (!s) seen.set(m, (s = { t: [], ids: [], head: 0, first: now }));
      s.t.push(now);
      s.ids.push(e.id);
      const base = p.baseline_days * DAY_MS;
      while (s.head < s.t.length && s.t[s.head] < now - base) s.head++;
      if (s.head > 4096) {
        s.t = s.t.slice(s.head);
        s.ids = s.ids.slice(s.head);
        s.head = 0;
      }
      const win = p.window_minutes * 60_000;
      let inWin = 0;
      for (let i = s.t.length - 1; i >= s.head && s.t[i] >= now - win; i--) inWin++;
      if (inWin < p.min_orders) return;
      const history = Math.min(base, now - s.first);
      // Without a day of history there is no baseline to be far above.
      if (history < DAY_MS) return;
      const before = s.t.length - s.head - inWin;
      const expected = Math.max(1, (before * win) / Math.max(win, history - win));
      const ratio = inWin / expected;
      if (ratio < p.ratio) return;
      const bucket = Math.floor(now / win);
      env.emit({
        kind: 'merchant',
        subject: m,
        key: String(bucket),
        score: clamp01(p.score.base + p.score.per_doubling * Math.log2(ratio / p.ratio + 1)),
        evidence: s.ids.slice(s.t.length - inWin),
        explanation: {
          zh: `${p.window_minutes} 分钟内下单 ${inWin} 笔，约为该店自身基线（${expected.toFixed(1)} 笔）的 ${ratio.toFixed(1)} 倍`,
          en: `${inWin} orders in ${p.window_minutes} minutes, ${ratio.toFixed(1)}× this merchant's own baseline of ${expected.toFixed(1)}`,
        },
        facts: { orders_in_window: inWin, baseline: expected, ratio },
      });
    };
  },
};
