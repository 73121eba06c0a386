// The HTTP server: request ids and logging, limits, auth, errors, metrics, the OpenAPI document, and each
// capability's routes.
import swagger from '@fastify/swagger';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { detectRoutes } from '../detect/index.ts';
import { eventsRoutes } from '../events/index.ts';
import { keyRoutes } from '../platform/auth/routes.ts';
import { registerAuth } from '../platform/http/auth.ts';
import { FailureBackoff } from '../platform/http/backoff.ts';
import { handleError, notFoundHandler } from '../platform/http/errors.ts';
import { rateLimits } from '../platform/http/limits.ts';
import { registerHttpMetrics } from '../platform/http/metrics.ts';
import { loggerOptions, registerRequestId, requestId } from '../platform/http/request-log.ts';
import type { AppContext } from './context.ts';
import { readyRoute } from './readiness.ts';

export const VERSION = '0.1.0';

export async function buildServer(
  ctx: AppContext,
  opts: { logger?: boolean | { level: string; stream?: NodeJS.WritableStream } } = {},
): Promise<FastifyInstance> {
  const c = ctx.config;
  const log = opts.logger ?? { level: c.logLevel };
  const app = Fastify({
    logger: log === true ? loggerOptions(c.logLevel) : log && loggerOptions(log.level, log.stream),
    bodyLimit: c.bodyLimit,
    genReqId: requestId,
    trustProxy: c.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(notFoundHandler);
  // Hooks run in this order: the request id first (so every answer carries it), then the address limit,
  // authentication (with its backoff after wrong keys), then the per-key limit.
  registerRequestId(app);
  const limits = await rateLimits(app, {
    windowSeconds: c.rateWindow,
    perKey: c.ratePerKey,
    perAddress: c.ratePerAddress,
  });
  app.addHook('onRequest', limits.byAddress);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tianping (天平) API',
        version: VERSION,
        description:
          'Keeps an e-commerce marketplace honest: events in, abuse signals and decisions out. Authenticate with "Authorization: Bearer KEY".',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'events', description: 'the event contract: intake and lookup' },
        { name: 'access', description: 'API keys and roles' },
        { name: 'detection', description: 'signals, alerts, rules, rings and the batch job' },
        { name: 'decisions', description: 'real-time decisions for platforms' },
        { name: 'system', description: 'health and documents' },
      ],
    },
  });
  const backoff = new FailureBackoff({
    maxFailures: c.authFailures,
    windowMs: c.authFailureWindow * 1000,
    blockMs: c.authBlock * 1000,
    maxBlockMs: Math.max(c.authBlock, c.authBlockMax) * 1000,
  });
  registerAuth(app, ctx.keys, backoff);
  app.addHook('onRequest', limits.byKey);
  registerHttpMetrics(app, ctx.metrics);

  app.get(
    '/health',
    {
      config: { public: true, unlimited: true },
      schema: { summary: 'Liveness and storage', tags: ['system'], security: [] },
    },
    async () => {
      await ctx.db.query('select 1');
      return { status: 'ok', version: VERSION, storage: ctx.db.kind };
    },
  );
  readyRoute(app, ctx);
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => eventsRoutes(scope, { events: ctx.events }));
  await app.register(async (scope) => keyRoutes(scope, { keys: ctx.keys }));
  await app.register(async (scope) => detectRoutes(scope, { detect: ctx.detect }));
  return app;
}
