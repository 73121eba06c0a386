// 反向刷单 / organised malicious reviews: a burst of low ratings on one merchant from fresh or linked
// accounts. The target is the victim and is never the subject (R5); whoever pays the attackers is.
import { clamp01 } from '../../signals.ts';
import type { Detector } from '../engine.ts';
import type { AccountState, ReviewState } from '../state.ts';
import { DAY_MS, HOUR_MS, pct, yuan } from './format.ts';

interface Memory {
  /** Per merchant: its low reviews within the window. */
  recent: Map<string, ReviewState[]>;
  /** attacker account → the merchant it attacked */
  attackers: Map<string, string>;
}

export const reviewAttack: Detector<'review_attack', Memory> = {
  kind: 'review_attack',
  version: '1',
  listens: ['review.posted', 'transfer.made'],
  memory: () => ({ recent: new Map(), attackers: new Map() }),
  create(ref, env, { recent, attackers }) {
    function linkedPairs(accts: AccountState[]): Set<string> {
      const seen = new Map<string, string>();
      const linked = new Set<string>();
      for (const a of accts) {
        const keys = [
          ...a.devices.map((d) => `d:${d}`),
          ...a.orders.map((o) => (o.instrument ? `i:${o.instrument}` : '')).filter(Boolean),
        ];
        for (const k of keys) {
          const other = seen.get(k);
          if (other && other !== a.id) {
            linked.add(other);
            linked.add(a.id);
          } else seen.set(k, a.id);
        }
      }
      return linked;
    }

    function instigator(victim: string, t: { from: string; amount: number; eventId: string }) {
      for (const l of env.money.sidesOf(t.from)) {
        if (l.merchant === victim) continue;
        env.emit({
          kind: 'merchant',
          subject: l.merchant,
          key: `instigator:${victim}`,
          score: clamp01(
            ref.rule.params.instigator_score.base + ref.rule.params.instigator_score.per_hop * l.hops,
          ),
          evidence: [t.eventId, ...(l.via ? [l.via.eventId] : [])],
          explanation: {
            zh: `该商家一方${l.hops ? `经 ${l.hops} 个中间账号` : ''}向参与恶意差评竞争对手的账号转账 ${yuan(t.amount)} 元`,
            en: `the merchant's side paid ${yuan(t.amount)} yuan${l.hops ? ` through ${l.hops} intermediary account(s)` : ''} to an account that joined a review attack on a competitor`,
          },
          facts: { hops: l.hops },
        });
      }
    }

    return (e) => {
      const s = env.state;
      const p = ref.rule.params;
      const now = env.now();
      if (e.type === 'transfer.made') {
        const victim = attackers.get(e.data.to_id);
        if (victim) instigator(victim, { from: e.data.from_id, amount: e.data.amount, eventId: e.id });
        return;
      }
      if (e.type !== 'review.posted' || e.data.rating > p.max_rating) return;
      const r = s.reviews.get(e.data.review_id);
      if (!r) return;
      const m = r.merchant;
      let list = recent.get(m);
      if (!list) recent.set(m, (list = []));
      list.push(r);
      const since = now - p.window_hours * HOUR_MS;
      while (list.length && list[0].at < since) list.shift();
      if (list.length < p.min_reviews) return;
      const accts = [...new Set(list.map((x) => x.buyer))]
        .map((id) => s.accounts.get(id))
        .filter((a): a is AccountState => !!a);
      const linked = linkedPairs(accts);
      const fresh = (a: AccountState) =>
        now - (a.registeredAt ?? a.firstSeenAt) <= p.max_account_age_days * DAY_MS;
      const suspicious = accts.filter((a) => fresh(a) || linked.has(a.id));
      const share = suspicious.length / accts.length;
      if (suspicious.length < p.min_reviews || share < p.min_linked_share) return;
      const sus = new Set(suspicious.map((a) => a.id));
      const evidence = list.filter((x) => sus.has(x.buyer)).map((x) => x.eventId);
      const explanation = {
        zh: `${p.window_hours} 小时内该商家收到 ${list.length} 条差评，其中 ${pct(share)} 来自新注册或相互关联（共用设备/支付工具）的账号`,
        en: `${list.length} low ratings on this merchant within ${p.window_hours} h, ${pct(share)} of them from fresh or linked accounts (shared devices or instruments)`,
      };
      const score = clamp01(
        p.score.base + p.score.per_share * share + p.score.per_account * suspicious.length,
      );
      const facts = { reviews: list.length, suspicious_share: share };
      for (const x of list) {
        if (!sus.has(x.buyer)) continue;
        env.emit({ kind: 'review', subject: x.id, key: 'attack', score, evidence, explanation, facts });
        env.emit({
          kind: 'order',
          subject: x.order,
          key: 'attack',
          score: clamp01(score - p.score.order_discount),
          evidence,
          explanation,
          facts,
        });
        env.emit({
          kind: 'account',
          subject: x.buyer,
          key: `attack:${m}`,
          score,
          evidence,
          explanation,
          facts,
        });
        if (!attackers.has(x.buyer)) {
          attackers.set(x.buyer, m);
          // Payment may have come before the burst was visible.
          for (const t of s.accounts.get(x.buyer)?.transfersIn ?? []) instigator(m, t);
        }
      }
    };
  },
};
