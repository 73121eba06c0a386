// API keys. A key is `tp_<id>_<secret>`; only its SHA-256 is stored. Keys are long random secrets, not
// passwords, so a fast hash is the right tool (a slow KDF would only slow every request).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { AppError } from '../errors.ts';

export const ROLES = ['ingest', 'analyst', 'metrics', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, { en: string; zh: string }> = {
  ingest: {
    en: 'send events and ask for decisions (integrations)',
    zh: '上报事件、请求实时决策（系统对接）',
  },
  analyst: { en: 'read events, signals and alerts; work the queue', zh: '查看事件、信号与告警，处理队列' },
  metrics: { en: 'read /metrics (a Prometheus scraper)', zh: '读取 /metrics（供 Prometheus 采集）' },
  admin: { en: 'everything, including managing keys', zh: '全部权限，包括管理密钥' },
};

export interface ApiKey {
  id: string;
  name: string;
  roles: Role[];
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Does a key with these roles satisfy a route that needs any of `needed`? Admin may do everything. */
export function allows(have: readonly Role[], needed: readonly Role[]): boolean {
  return have.includes('admin') || needed.some((r) => have.includes(r));
}

interface CacheEntry {
  key: ApiKey | undefined;
  until: number;
}

export class KeyService {
  // Verified keys are remembered briefly so a busy integration does not cost a database read per request;
  // one second, because a key revoked by another process (or another server on the same PostgreSQL)
  // must stop working everywhere within a second, and this cache is the only place it could live on.
  private cache = new Map<string, CacheEntry>();
  private readonly ttlMs = 1_000;
  private readonly lookups = new Map<string, Promise<ApiKey | undefined>>();
  /** Bumped by a revocation here, so a lookup that started before it neither caches nor is shared after it. */
  private generation = 0;

  constructor(private readonly db: Db) {}

  async create(opts: {
    name?: string;
    roles: string[];
    createdBy?: string;
  }): Promise<{ key: string; apiKey: ApiKey }> {
    if (opts.roles.length === 0)
      throw new AppError('invalid_input', {
        en: `A key needs a role: one of ${ROLES.join(', ')}.`,
        zh: `密钥至少需要一个角色：${ROLES.join('、')} 之一。`,
      });
    for (const r of opts.roles) {
      if (!isRole(r))
        throw new AppError('invalid_input', {
          en: `Unknown role "${r}"; expected one of ${ROLES.join(', ')}.`,
          zh: `未知角色 "${r}"；应为 ${ROLES.join('、')} 之一。`,
        });
    }
    const id = randomBytes(6).toString('hex');
    const key = `tp_${id}_${randomBytes(24).toString('base64url')}`;
    const name = opts.name?.trim() || `${opts.roles.join('+')} key`;
    const rows = await this.db.query(
      `insert into api_keys (id, name, key_hash, roles, created_by) values ($1, $2, $3, $4, $5)
       returning id, name, roles, created_at, last_used_at, revoked_at`,
      [id, name, hash(key), opts.roles, opts.createdBy ?? null],
    );
    return { key, apiKey: toKey(rows[0]) };
  }

  /** The key a secret belongs to, if it exists and is not revoked. */
  async verify(secret: string): Promise<ApiKey | undefined> {
    const h = hash(secret);
    const now = Date.now();
    const hit = this.cache.get(h);
    if (hit && hit.until > now) return hit.key;
    // One lookup per secret at a time: when an entry expires under load, the requests arriving meanwhile
    // wait for that lookup instead of each querying (and updating) the key again.
    let lookup = this.lookups.get(h);
    if (!lookup) {
      const generation = this.generation;
      const p = this.lookup(secret, h, now, generation).finally(() => {
        if (this.lookups.get(h) === p) this.lookups.delete(h);
      });
      lookup = p;
      this.lookups.set(h, p);
    }
    return lookup;
  }

  private async lookup(
    secret: string,
    h: string,
    now: number,
    generation: number,
  ): Promise<ApiKey | undefined> {
    const m = /^tp_([0-9a-f]{12})_/.exec(secret);
    let key: ApiKey | undefined;
    if (m) {
      const rows = await this.db.query('select * from api_keys where id = $1 and revoked_at is null', [m[1]]);
      const row = rows[0];
      if (row && timingSafeEqual(Buffer.from(String(row.key_hash)), Buffer.from(h))) {
        key = toKey(row);
        await this.db.query('update api_keys set last_used_at = now() where id = $1', [m[1]]);
      }
    }
    if (generation !== this.generation) return key && (await this.verify(secret));
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(h, { key, until: now + this.ttlMs });
    return key;
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.db.query(
      'select id, name, roles, created_at, last_used_at, revoked_at from api_keys order by created_at',
    );
    return rows.map(toKey);
  }

  async revoke(id: string): Promise<ApiKey> {
    const rows = await this.db.query(
      `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1
       returning id, name, roles, created_at, last_used_at, revoked_at`,
      [id],
    );
    if (!rows[0]) {
      throw new AppError('not_found', {
        en: `No API key with id ${id}; list the keys with GET /v1/keys.`,
        zh: `不存在编号为 ${id} 的 API 密钥；可通过 GET /v1/keys 查看全部密钥。`,
      });
    }
    // Revocation takes effect at once, not when the cache entry expires.
    this.generation++;
    this.cache.clear();
    this.lookups.clear();
    return toKey(rows[0]);
  }

  /** On a fresh store, issues the first admin key exactly once and returns it; otherwise undefined. */
  async ensureFirstAdmin(): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      const done = await tx.query("select 1 from platform_settings where key = 'first_admin_issued'");
      if (done.length > 0) return undefined;
      const id = randomBytes(6).toString('hex');
      const key = `tp_${id}_${randomBytes(24).toString('base64url')}`;
      await tx.query(
        `insert into api_keys (id, name, key_hash, roles, created_by) values ($1, 'first admin key', $2, $3, 'setup')`,
        [id, hash(key), ['admin']],
      );
      await tx.query(`insert into platform_settings (key, value) values ('first_admin_issued', $1::jsonb)`, [
        JSON.stringify({ id, at: new Date().toISOString() }),
      ]);
      return key;
    });
  }
}

function toKey(r: Record<string, unknown>): ApiKey {
  const t = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? undefined : String(v));
  return {
    id: String(r.id),
    name: String(r.name),
    roles: (r.roles as string[]).filter(isRole),
    createdAt: t(r.created_at) as string,
    lastUsedAt: t(r.last_used_at),
    revokedAt: t(r.revoked_at),
  };
}
