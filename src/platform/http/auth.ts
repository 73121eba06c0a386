// Every route needs a key with one of its roles, except those marked public (/health, /ready, /openapi.json,
// /docs).
// An address that sent too many wrong keys is refused with 429 before any key of it is looked at.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKey, allows, type KeyService, ROLES, type Role } from '../auth/keys.ts';
import type { FailureBackoff } from './backoff.ts';
import { problem, sendProblem } from './errors.ts';
import { clientAddress, sendRateLimited } from './limits.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles of which the caller needs one; admin always passes. */
    roles?: Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** Who may call a route: anyone (`public`), or a key with one of `roles` (`needed`, and admin, who passes all). */
export type Access = { public: true } | { public: false; needed: readonly Role[]; roles: readonly Role[] };

/** A route's access as its config sets it; the check below and the OpenAPI document both read it here. */
export function accessOf(cfg: FastifyContextConfig | undefined): Access {
  if (cfg?.public) return { public: true };
  const needed = cfg?.roles ?? ['admin'];
  return { public: false, needed, roles: ROLES.filter((r) => allows([r], needed)) };
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function registerAuth(app: FastifyInstance, keys: KeyService, backoff?: FailureBackoff) {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (req, reply) => {
    const access = accessOf(req.routeOptions.config);
    // Unknown routes fall through to the 404 handler without revealing anything.
    if (access.public || !req.routeOptions.url) return;
    const address = backoff && clientAddress(req);
    const wait = address ? backoff.retryAfterMs(address) : 0;
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      return sendRateLimited(reply, req, s, {
        en: `Too many wrong API keys came from this address; no key from it is checked for ${s} s. Retry after that with a valid key.`,
        zh: `该地址发送的错误 API 密钥过多；${s} 秒内不再校验来自该地址的密钥，请届时使用有效密钥重试。`,
      });
    }
    const secret = bearer(req);
    const key = secret ? await keys.verify(secret) : undefined;
    if (!key) {
      if (secret && address) {
        const block = backoff.failed(address);
        if (block > 0)
          req.log.warn({ address, seconds: block / 1000 }, 'address refused after wrong API keys');
      }
      reply.header('www-authenticate', 'Bearer realm="tianping"');
      return sendProblem(
        reply,
        problem(
          'unauthenticated',
          {
            en: secret
              ? 'This API key is unknown or revoked; send a valid key as "Authorization: Bearer KEY".'
              : 'Send a valid API key as "Authorization: Bearer KEY".',
            zh: secret
              ? '该 API 密钥不存在或已吊销；请以 "Authorization: Bearer KEY" 发送有效密钥。'
              : '请以 "Authorization: Bearer KEY" 发送有效的 API 密钥。',
          },
          { instance: req.url.split('?')[0] },
        ),
      );
    }
    req.apiKey = key;
    const needed = access.needed;
    if (!allows(key.roles, needed)) {
      const have = key.roles.join(', ');
      const want = needed.join(', ');
      return sendProblem(
        reply,
        problem(
          'forbidden',
          {
            en: `This key has role(s) ${have}; this call needs one of ${want}. Ask an admin for a key with that role.`,
            zh: `该密钥的角色为 ${have}；此操作需要以下角色之一：${want}。请向管理员申请具有该角色的密钥。`,
          },
          { instance: req.url.split('?')[0] },
        ),
      );
    }
  });
}
