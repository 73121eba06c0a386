// Every route needs a key with one of its roles, except those marked public (/health, /openapi.json).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKey, allows, type KeyService, type Role } from '../auth/keys.ts';
import { problem, sendProblem } from './errors.ts';

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

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function registerAuth(app: FastifyInstance, keys: KeyService) {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    // Unknown routes fall through to the 404 handler without revealing anything.
    if (cfg?.public || !req.routeOptions.url) return;
    const secret = bearer(req);
    const key = secret ? await keys.verify(secret) : undefined;
    if (!key) {
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
    const needed = cfg?.roles ?? ['admin'];
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
