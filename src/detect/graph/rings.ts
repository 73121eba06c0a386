// The ring job (batch): buyers × (merchants they buy from + identifiers they use) as one bipartite graph,
// searched for dense blocks with FRAUDAR, plus clusters of accounts joined by shared identifiers. The log
// column weighting is the honest-sharing control for busy columns (a campus IP, a best-selling shop);
// clusters only count identifiers shared by a handful of accounts, so carrier networks join nobody.
import type { IdentifierKind, MarketState } from '../stream/state.ts';
import { BipartiteBuilder } from './bipartite.ts';
import { blockIds, fraudar } from './fraudar.ts';

export interface Ring {
  id: string;
  method: 'dense-block' | 'identifier-cluster';
  members: string[];
  merchants: string[];
  /** Shared identifiers, as `device:…`, `instrument:…` etc. */
  identifiers: string[];
  /** FRAUDAR's g(S) for blocks; for clusters, links per member. */
  score: number;
  /** Fill of the block (edges / rows × cols), or of the cluster's merchant co-buying. */
  density: number;
  /** Order events that tie members to the ring's merchants. */
  evidence: string[];
}

export interface RingOptions {
  blocks: number;
  minMembers: number;
  /** An identifier shared by more accounts than this joins nobody in a cluster (busy networks, shops' demo phones). */
  maxClusterIdentifierAccounts: number;
  identifierKinds: IdentifierKind[];
  /** A buyer's orders at one merchant count up to this many in the graph (a loyal customer is not a ring). */
  maxOrdersPerEdge: number;
  /** A cluster's merchants are those at least this share of its members bought from. */
  clusterMerchantShare: number;
}

export interface RingResult {
  rings: Ring[];
  /** account → indices into rings */
  membership: Map<string, number[]>;
  seconds: number;
  edges: number;
}

/** Options come from the rule file's `rings` section (analysis.ts ringOptions). */
export function findRings(state: MarketState, opts: RingOptions): RingResult {
  const t0 = performance.now();
  const b = new BipartiteBuilder();
  const idCols: Array<[IdentifierKind, string]> = [];
  for (const a of state.accounts.values()) {
    if (a.orders.length === 0 || a.operatorOf) continue;
    const perMerchant = new Map<string, number>();
    for (const o of a.orders) perMerchant.set(o.merchant, (perMerchant.get(o.merchant) ?? 0) + 1);
    for (const [m, n] of perMerchant) b.add(a.id, `m:${m}`, Math.min(n, opts.maxOrdersPerEdge));
  }
  for (const kind of opts.identifierKinds) {
    for (const [value, accts] of state.ids[kind].shared()) {
      const col = `${kind}:${value}`;
      idCols.push([kind, value]);
      for (const acc of accts) if (state.accounts.get(acc)?.orders.length) b.add(acc, col, 1);
    }
  }
  const g = b.build();
  const rings: Ring[] = [];
  const blocks = fraudar(g, {
    weighting: 'log',
    blocks: opts.blocks,
    minRows: opts.minMembers,
    minScoreRatio: 1.5,
  });
  for (const blk of blocks) {
    const { rows, cols } = blockIds(g, blk);
    if (rows.length < opts.minMembers) continue;
    const merchants = cols.filter((c) => c.startsWith('m:')).map((c) => c.slice(2));
    const identifiers = cols.filter((c) => !c.startsWith('m:'));
    rings.push({
      id: `block-${rings.length + 1}`,
      method: 'dense-block',
      members: rows,
      merchants,
      identifiers,
      score: blk.score,
      density: blk.density,
      evidence: orderEvidence(state, rows, merchants),
    });
  }
  // Identifier clusters: union-find over accounts joined by identifiers few accounts share.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const n = parent.get(y)!;
      parent.set(y, r);
      y = n;
    }
    return r;
  };
  const shared = new Map<string, string[]>();
  for (const [kind, value] of idCols) {
    const accts = state.ids[kind].accountsOf(value).filter((a) => state.accounts.get(a)?.orders.length);
    if (accts.length < 2 || accts.length > opts.maxClusterIdentifierAccounts) continue;
    for (const a of accts) if (!parent.has(a)) parent.set(a, a);
    for (let i = 1; i < accts.length; i++) {
      const ra = find(accts[0]);
      const rb = find(accts[i]);
      if (ra !== rb) parent.set(rb, ra);
    }
    const list = shared.get(accts[0]) ?? [];
    list.push(`${kind}:${value}`);
    shared.set(accts[0], list);
  }
  const groups = new Map<string, string[]>();
  for (const a of parent.keys()) {
    const r = find(a);
    const l = groups.get(r) ?? [];
    l.push(a);
    groups.set(r, l);
  }
  for (const members of groups.values()) {
    if (members.length < opts.minMembers + 1) continue;
    const counts = new Map<string, number>();
    for (const a of members) {
      const seen = new Set(state.accounts.get(a)!.orders.map((o) => o.merchant));
      for (const m of seen) counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    // Merchants most of the cluster buys from: a household shares a roof, not a shopping list.
    const merchants = [...counts]
      .filter(([, n]) => n >= Math.max(2, members.length * opts.clusterMerchantShare))
      .map(([m]) => m);
    const identifiers = members.flatMap((a) => shared.get(a) ?? []);
    rings.push({
      id: `cluster-${rings.length + 1}`,
      method: 'identifier-cluster',
      members: members.sort(),
      merchants,
      identifiers: identifiers.slice(0, 50),
      score: identifiers.length / members.length,
      density: merchants.length ? Math.max(...merchants.map((m) => counts.get(m)!)) / members.length : 0,
      evidence: orderEvidence(state, members, merchants),
    });
  }
  const membership = new Map<string, number[]>();
  rings.forEach((r, i) => {
    for (const m of r.members) {
      const l = membership.get(m) ?? [];
      l.push(i);
      membership.set(m, l);
    }
  });
  return { rings, membership, seconds: (performance.now() - t0) / 1000, edges: g.numEdges };
}

function orderEvidence(state: MarketState, members: string[], merchants: string[]): string[] {
  const ms = new Set(merchants);
  const out: string[] = [];
  for (const a of members) {
    for (const o of state.accounts.get(a)?.orders ?? []) {
      if (ms.has(o.merchant)) out.push(o.eventId);
      if (out.length >= 100) return out;
    }
  }
  return out;
}
