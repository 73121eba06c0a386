// The HTTP server: logging, auth, errors, the OpenAPI document, and each capability's routes.
import swagger from '@fastify/swagger';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { detectRoutes } from '../detect/index.ts';
import { eventsRoutes, LIMITS } from '../events/index.ts';
import { keyRoutes } from '../platform/auth/routes.ts';
import { registerAuth } from '../platform/http/auth.ts';
import { handleError, notFoundHandler } from '../platform/http/errors.ts';
import type { AppContext } from './context.ts';

export const VERSION = '0.1.0';

export async function buildServer(
  ctx: AppContext,
  opts: { logger?: boolean | { level: string } } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.logLevel },
    bodyLimit: ctx.config.bodyLimit,
    // Every id intake accepts must fit GET /v1/events/:id (the router counts the decoded parameter).
    routerOptions: { maxParamLength: LIMITS.id },
    // Bad percent-encoding and over-long parameters are refused by the router itself: problem details too.
    frameworkErrors: handleError,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(notFoundHandler);

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
  registerAuth(app, ctx.keys);

  app.get(
    '/health',
    { config: { public: true }, schema: { summary: 'Liveness and storage', tags: ['system'], security: [] } },
    async () => {
      await ctx.db.query('select 1');
      return { status: 'ok', version: VERSION, storage: ctx.db.kind };
    },
  );
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(async (scope) => eventsRoutes(scope, { events: ctx.events }));
  await app.register(async (scope) => keyRoutes(scope, { keys: ctx.keys }));
  await app.register(async (scope) => detectRoutes(scope, { detect: ctx.detect }));
  return app;
}
