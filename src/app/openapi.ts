// The server's OpenAPI document (GET /openapi.json, from the routes' schemas by @fastify/swagger) and the
// reference page that renders it (GET /docs, Scalar, served from the package: no CDN, no font or telemetry
// requests). The conventions — both languages, roles, problem responses — are in platform/http/openapi.ts.
import swagger from '@fastify/swagger';
import apiReference from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import { documentRoute, finishDocument, SECURITY_SCHEME } from '../platform/http/openapi.ts';
import { bi } from '../platform/i18n.ts';

export const OPENAPI_PATH = '/openapi.json';

/** Where the reference page is, per language of its own labels (the document itself is in both). */
export const DOCS_PAGES = [
  { prefix: '/docs', locale: 'en' },
  { prefix: '/docs/zh-CN', locale: 'zh-CN' },
] as const;

const TAGS = [
  {
    name: 'events',
    description: bi(
      'The event contract: send events, read one back.',
      '事件契约：上报事件，按编号读取已存储的事件。',
    ),
  },
  {
    name: 'detection',
    description: bi(
      'Signals, alerts, rules, rings and the batch job.',
      '信号、预警、规则、团伙以及批处理任务。',
    ),
  },
  {
    name: 'decisions',
    description: bi('Real-time decisions for platforms.', '面向平台的实时决策。'),
  },
  { name: 'access', description: bi('API keys and their roles.', 'API 密钥及其角色。') },
  {
    name: 'system',
    description: bi('Liveness, readiness, metrics and this document.', '存活、就绪、监控指标以及本文档。'),
  },
];

const INFO_EN = [
  'Tianping keeps an e-commerce marketplace honest: a platform streams its marketplace events in, and gets abuse signals, alerts and real-time decisions out.',
  'Authenticate with `Authorization: Bearer KEY`; each operation names the roles that may call it (`x-roles`, and a sentence in its description). `/health`, `/ready`, `/openapi.json` and `/docs` are public.',
  'Every error is an RFC 9457 problem (`application/problem+json`, the `Problem` schema) with the English and Chinese text. Every answer carries `X-Request-Id` (the one sent, or a new one): quote it when asking about a request.',
  'Texts are in English and Chinese: `summary` is English and `x-summary-zh` its Chinese; each description has an English paragraph, then a Chinese one. This document is rendered at `/docs` (labels in English) and `/docs/zh-CN/` (labels in Chinese).',
].join('\n\n');
const INFO_ZH = [
  '天平维护电商市场的公平：平台持续上报市场事件，天平给出违规信号、预警和实时决策。',
  '请以 `Authorization: Bearer KEY` 认证；每个接口都写明可调用它的角色（`x-roles`，说明中也有一句）。`/health`、`/ready`、`/openapi.json` 和 `/docs` 无需认证。',
  '所有错误均为 RFC 9457 问题详情（`application/problem+json`，即 `Problem` 模式），含中英文说明。每个响应都带有 `X-Request-Id`（沿用请求所带的，否则新生成）：咨询某次请求时请提供它。',
  '文字均有中英文：`summary` 为英文，`x-summary-zh` 为其中文；每段说明先英文后中文。本文档在 `/docs`（界面为英文）和 `/docs/zh-CN/`（界面为中文）展示。',
].join('\n\n');

/** Registers @fastify/swagger: every route registered after this is in the document. */
export async function registerOpenapi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tianping (天平) API', version, description: bi(INFO_EN, INFO_ZH) },
      servers: [
        { url: '/', description: bi('The server that serves this document.', '提供本文档的服务器。') },
      ],
      components: {
        securitySchemes: {
          [SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'tp_<id>_<secret>',
            description: bi(
              'An API key from `tianping keys create` or `POST /v1/keys`, shown once when created. Its roles (ingest, analyst, metrics, admin) decide which operations it may call.',
              '由 `tianping keys create` 或 `POST /v1/keys` 创建的 API 密钥，仅在创建时显示一次。其角色（ingest、analyst、metrics、admin）决定可调用哪些接口。',
            ),
          },
        },
      },
      security: [{ [SECURITY_SCHEME]: [] }],
      tags: TAGS,
    },
    // Named schemas (`$id`) keep their name in components.schemas, so a `$ref` reads as what it is.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    transform: documentRoute,
    transformObject: (d) => ('openapiObject' in d ? finishDocument(d.openapiObject) : d.swaggerObject),
  });
}

/**
 * The reference pages. Their script is the package's own bundle, served under the page's path; fonts,
 * telemetry, the AI agent and the hosted client, which would call Scalar's servers, are off (checked in a
 * browser: the page requests only the page, its script and /openapi.json).
 */
export async function registerDocsPages(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    // The plugin's routes take no route config of ours: every one of them is public.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    for (const page of DOCS_PAGES) {
      await scope.register(apiReference, {
        routePrefix: page.prefix,
        configuration: {
          url: OPENAPI_PATH,
          pageTitle: 'Tianping (天平) API',
          withDefaultFonts: false,
          telemetry: false,
          agent: { disabled: true },
          mcp: { disabled: true },
          showDeveloperTools: 'never',
          // Its "Open API Client" button opens Scalar's hosted client with this document's address.
          hideClientButton: true,
          documentDownloadType: 'json',
          localization: { locale: page.locale },
        },
      });
    }
  });
}
