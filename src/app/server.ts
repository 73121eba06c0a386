// The HTTP server: request ids and logging, limits, auth, errors, metrics, the OpenAPI document, and each
// capability's routes.
import Fastify, { type FastifyInstance } from 'fastify';
import Type from 'typebox';
import { detectRoutes, detectSchemas } from '../detect/index.ts';
import { eventSchemas, eventsRoutes, LIMITS } from '../events/index.ts';
import { keyRoutes, keySchemas } from '../platform/auth/routes.ts';
import { registerAuth } from '../platform/http/auth.ts';
import { FailureBackoff } from '../platform/http/backoff.ts';
import { handleError, notFoundHandler, ProblemSchema } from '../platform/http/errors.ts';
import { rateLimits } from '../platform/http/limits.ts';
import { MetricsTextSchema, registerHttpMetrics } from '../platform/http/metrics.ts';
import { operation, ref, typeboxValidator } from '../platform/http/openapi.ts';
import { loggerOptions, registerRequestId, requestId } from '../platform/http/request-log.ts';
import { bi } from '../platform/i18n.ts';
import type { AppContext } from './context.ts';
import { OPENAPI_PATH, registerDocsPages, registerOpenapi } from './openapi.ts';
import { ReadinessSchema, readyRoute } from './readiness.ts';

export const VERSION = '0.1.0';

const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String({ description: bi("Tianping's version.", '天平的版本号。') }),
    storage: Type.Enum(['pglite', 'postgres'], {
      description: bi(
        'The store in use: embedded PGlite or PostgreSQL.',
        '所用的存储：内嵌的 PGlite 或 PostgreSQL。',
      ),
    }),
  },
  { $id: 'Health', description: bi('The process answers.', '进程有响应。') },
);
const OpenApiDocumentSchema = Type.Object(
  {},
  {
    $id: 'OpenApiDocument',
    additionalProperties: true,
    description: bi('An OpenAPI 3.1 document.', '一份 OpenAPI 3.1 文档。'),
  },
);
/** The named schemas of the routes registered here (health, readiness, metrics, this document, problems). */
const SYSTEM_SCHEMAS = [
  ProblemSchema,
  HealthSchema,
  ReadinessSchema,
  MetricsTextSchema,
  OpenApiDocumentSchema,
];

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
    // Every id intake accepts must fit GET /v1/events/:id (the router counts the decoded parameter).
    routerOptions: { maxParamLength: LIMITS.id },
    // Bad percent-encoding and over-long parameters are refused by the router itself: problem details too.
    frameworkErrors: handleError,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  });
  // TypeBox validates requests, with the named schemas (app.addSchema below) in reach of a Type.Ref.
  app.setValidatorCompiler(typeboxValidator(() => app.getSchemas()));
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

  // Before any route, so every route is in the document; the named schemas each capability's routes use.
  await registerOpenapi(app, VERSION);
  for (const schema of [...SYSTEM_SCHEMAS, ...eventSchemas, ...keySchemas, ...detectSchemas])
    app.addSchema(schema);
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
      schema: {
        ...operation({
          id: 'getHealth',
          summary: ['Liveness and storage', '存活与存储'],
          description: [
            "Answers while the process runs and its store answers; never rate-limited. Whether to send traffic is /ready's answer.",
            '进程运行且数据库有响应时即应答；不受频率限制。是否可以接收流量以 /ready 为准。',
          ],
          tags: ['system'],
        }),
        response: { 200: ref(HealthSchema) },
      },
    },
    async () => {
      await ctx.db.query('select 1');
      return { status: 'ok', version: VERSION, storage: ctx.db.kind };
    },
  );
  readyRoute(app, ctx);
  app.get(
    OPENAPI_PATH,
    {
      config: { public: true },
      schema: {
        ...operation({
          id: 'getOpenApiDocument',
          summary: ['This OpenAPI document', '本 OpenAPI 文档'],
          description: [
            'The OpenAPI 3.1 document of this server, to generate clients from; rendered at /docs.',
            '本服务器的 OpenAPI 3.1 文档，可据此生成客户端；在 /docs 展示。',
          ],
          tags: ['system'],
        }),
        response: { 200: ref(OpenApiDocumentSchema) },
      },
    },
    async () => app.swagger(),
  );
  await registerDocsPages(app);

  await app.register(async (scope) => eventsRoutes(scope, { events: ctx.events }));
  await app.register(async (scope) => keyRoutes(scope, { keys: ctx.keys }));
  await app.register(async (scope) => detectRoutes(scope, { detect: ctx.detect }));
  return app;
}
