// Every route needs a key with one of its roles, except those marked public (/health, /openapi.json).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKey, allows, type KeyService, type Role } from '../auth/keys.ts';
import { errorBody } from './errors.ts';

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
      return reply
        .status(401)
        .send(errorBody('unauthenticated', 'Send a valid API key as "Authorization: Bearer KEY".'));
    }
    req.apiKey = key;
    const needed = cfg?.roles ?? ['admin'];
    if (!allows(key.roles, needed)) {
      return reply
        .status(403)
        .send(
          errorBody(
            'forbidden',
            `This key has role(s) ${key.roles.join(', ')}; this call needs one of ${needed.join(', ')}.`,
          ),
        );
    }
  });
}
