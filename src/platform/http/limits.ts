// Limits on Tianping's own use (@fastify/rate-limit's counters): requests per client address, checked
// before anything else, and per API key, checked once the key is known. Past a limit the answer is a 429
// problem with Retry-After. Routes marked `unlimited` (/health) are not counted per address.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { LocalText } from '../errors.ts';
import { problem, sendProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Not counted against the per-address limit (liveness probes must always get through). */
    unlimited?: boolean;
  }
}

export interface RateLimits {
  windowSeconds: number;
  /** Requests per window per API key; 0 for none. */
  perKey: number;
  /** Requests per window per client address; 0 for none. */
  perAddress: number;
}

/** The address limits and the failed-authentication backoff count by (an IPv6 /64 counts as one). */
export const clientAddress = (req: FastifyRequest) => normalizeIP(req.ip);

/** Answers 429 as a problem, with Retry-After in whole seconds. */
export function sendRateLimited(
  reply: FastifyReply,
  req: FastifyRequest,
  retryAfterSeconds: number,
  text: LocalText,
) {
  reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return sendProblem(reply, problem('rate_limited', text, { instance: req.url.split('?')[0] }));
}

/**
 * Registers the counters and returns the two hooks; the composition root adds `byAddress` before
 * authentication and `byKey` after it (it reads the key authentication found).
 */
export async function rateLimits(
  app: FastifyInstance,
  limits: RateLimits,
): Promise<{ byAddress: onRequestAsyncHookHandler; byKey: onRequestAsyncHookHandler }> {
  await app.register(rateLimit, { global: false });
  const timeWindow = limits.windowSeconds * 1000;
  const perAddress =
    limits.perAddress > 0
      ? app.createRateLimit({ max: limits.perAddress, timeWindow, keyGenerator: clientAddress })
      : undefined;
  const perKey =
    limits.perKey > 0
      ? app.createRateLimit({ max: limits.perKey, timeWindow, keyGenerator: (req) => req.apiKey?.id ?? '' })
      : undefined;
  const window = limits.windowSeconds;

  async function byAddress(req: FastifyRequest, reply: FastifyReply) {
    if (!perAddress || req.routeOptions.config?.unlimited) return;
    const r = await perAddress(req);
    if (r.isAllowed || !r.isExceeded) return;
    reply.header('x-ratelimit-limit', String(r.max)).header('x-ratelimit-remaining', '0');
    return sendRateLimited(reply, req, r.ttlInSeconds, {
      en: `This address sent more than ${r.max} requests in ${window} s; retry after ${r.ttlInSeconds} s.`,
      zh: `该地址在 ${window} 秒内的请求超过 ${r.max} 次；请在 ${r.ttlInSeconds} 秒后重试。`,
    });
  }

  async function byKey(req: FastifyRequest, reply: FastifyReply) {
    if (!perKey || !req.apiKey) return;
    const r = await perKey(req);
    if (r.isAllowed || !r.isExceeded) return;
    reply.header('x-ratelimit-limit', String(r.max)).header('x-ratelimit-remaining', '0');
    return sendRateLimited(reply, req, r.ttlInSeconds, {
      en: `This API key sent more than ${r.max} requests in ${window} s; retry after ${r.ttlInSeconds} s, or spread the calls over more time (batches of events count as one request each).`,
      zh: `该 API 密钥在 ${window} 秒内的请求超过 ${r.max} 次；请在 ${r.ttlInSeconds} 秒后重试，或放慢调用频率（一批事件只算一次请求）。`,
    });
  }

  return { byAddress, byKey };
}
