// The OpenAPI document's conventions in one place. Route files declare what is theirs: operationId,
// summary and description in both languages, their named request and response schemas, and the problems
// their handlers raise (404, 409, 503). Everything the server's hooks decide is added here, per route, from
// the same route config those hooks read: who may call it (x-roles, security), and the problems that
// authentication, the rate limits, validation and the body reader answer with.
//
// Languages: `summary` is English and `x-summary-zh` its Chinese; every `description` (operations, tags,
// schemas, fields, responses) is Markdown with an English paragraph first and its Chinese after (`bi`
// in ../i18n.ts).
import type {
  FastifyContextConfig,
  FastifySchema,
  FastifySchemaCompiler,
  FastifySchemaValidationError,
} from 'fastify';
import Type, { type TProperties, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { ErrorCode } from '../errors.ts';
import { bi } from '../i18n.ts';
import { accessOf } from './auth.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA_ID, PROBLEMS } from './errors.ts';

declare module 'fastify' {
  interface FastifySchema {
    /** The summary in Chinese (`summary` is English). */
    'x-summary-zh'?: string;
    /** The roles that may call the route; set by `documentRoute` from the route's config, never by hand. */
    'x-roles'?: readonly string[];
    /** The body may be left out (@fastify/swagger marks every declared body required). */
    'x-body-optional'?: boolean;
  }
}

/** The text fields of one operation: `summary` and `description` as [English, Chinese]. */
export function operation(o: {
  id: string;
  summary: readonly [string, string];
  description: readonly [string, string];
  tags: string[];
}): Pick<FastifySchema, 'operationId' | 'summary' | 'x-summary-zh' | 'description' | 'tags'> {
  return {
    operationId: o.id,
    summary: o.summary[0],
    'x-summary-zh': o.summary[1],
    description: bi(...o.description),
    tags: o.tags,
  };
}

/** A `$ref` to a named schema: one with an `$id`, registered with `app.addSchema`. */
export function ref(schema: TSchema & { $id?: string }) {
  if (!schema.$id) throw new Error('a referenced schema needs an $id');
  return Type.Ref(schema.$id);
}

const CODES_BY_STATUS = new Map<number, ErrorCode[]>();
for (const [code, p] of Object.entries(PROBLEMS) as [ErrorCode, (typeof PROBLEMS)[ErrorCode]][]) {
  CODES_BY_STATUS.set(p.status, [...(CODES_BY_STATUS.get(p.status) ?? []), code]);
}

/** Headers some problems carry, for the document (each a schema; its description goes to the header). */
const PROBLEM_HEADERS: Record<number, Record<string, TSchema>> = {
  401: {
    'WWW-Authenticate': Type.String({
      description: bi('Always `Bearer realm="tianping"`.', '固定为 `Bearer realm="tianping"`。'),
    }),
  },
  429: {
    'Retry-After': Type.Integer({
      minimum: 1,
      description: bi('Seconds to wait before retrying.', '重试前需等待的秒数。'),
    }),
  },
};

/**
 * A problem response for the document and the serializer: `problemResponse(404)`, or with the codes the
 * route can answer when a status has several (`problemResponse(503, ['not_ready'])`).
 */
export function problemResponse(status: number, codes = CODES_BY_STATUS.get(status) ?? ['internal']) {
  const en = codes.map((c) => `${PROBLEMS[c].title} (\`${c}\`)`).join(', ');
  const zh = codes.map((c) => `${PROBLEMS[c].title_zh}（\`${c}\`）`).join('、');
  return {
    description: bi(`${en}: problem details (RFC 9457).`, `${zh}：问题详情（RFC 9457）。`),
    ...(PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: Type.Ref(PROBLEM_SCHEMA_ID) } },
  };
}

/** What a route's config says about who may call it, as a paragraph of its description. */
function accessText(cfg: FastifyContextConfig | undefined): string {
  const a = accessOf(cfg);
  if (a.public) return bi('**Public:** no API key needed.', '**公开：** 无需 API 密钥。');
  const en = a.roles.map((r) => `\`${r}\``).join(' or ');
  const zh = a.roles.map((r) => `\`${r}\``).join(' 或 ');
  return bi(
    `**Roles:** an API key with ${en} (\`x-roles\`); without a valid key 401, with a key lacking them 403.`,
    `**角色：** 需要具有 ${zh} 角色的 API 密钥（\`x-roles\`）；没有有效密钥时为 401，密钥缺少这些角色时为 403。`,
  );
}

const HOOK_CODES: Record<number, ErrorCode> = {
  400: 'invalid_input',
  401: 'unauthenticated',
  403: 'forbidden',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal',
};

/**
 * The problems the hooks and the framework answer with, whatever the handler does: 401 and 403 from
 * authentication, 429 from the rate limits, 400 from validation, 413 and 415 from the body reader, 500.
 */
function hookStatuses(schema: FastifySchema, cfg: FastifyContextConfig | undefined): number[] {
  const out: number[] = [];
  const hasBody = schema.body !== undefined;
  if (hasBody || schema.params || schema.querystring || schema.headers) out.push(400);
  if (!accessOf(cfg).public) out.push(401, 403);
  if (hasBody) out.push(413, 415);
  if (!cfg?.unlimited) out.push(429);
  out.push(500);
  return out;
}

/** @fastify/swagger's per-route `transform`: the route as the document shows it. */
export function documentRoute({
  schema,
  url,
  route,
}: {
  schema: FastifySchema;
  url: string;
  route: { config?: FastifyContextConfig };
}): { schema: FastifySchema; url: string } {
  if (!schema || schema.hide) return { schema, url };
  const cfg = route.config;
  const access = accessOf(cfg);
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = { ...declared };
  for (const s of hookStatuses(schema, cfg)) response[s] ??= problemResponse(s, [HOOK_CODES[s]]);
  return {
    url,
    schema: {
      ...schema,
      description: [schema.description, accessText(cfg)].filter(Boolean).join('\n\n'),
      security: access.public ? [] : [{ [SECURITY_SCHEME]: [] }],
      'x-roles': access.public ? [] : access.roles,
      response,
    },
  };
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/**
 * The last touches on the whole document (@fastify/swagger's `transformObject`): a body marked
 * `x-body-optional` is not required, and an enum of strings says it is a string (TypeBox writes only
 * `enum`, which some client generators type as "any").
 */
export function finishDocument<T extends object>(document: T): T {
  // A copy, so that no schema a route validates or serializes with is touched.
  const doc = structuredClone(document);
  const seen = new Set<unknown>();
  const walk = (n: unknown) => {
    if (!isNode(n) || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n.enum) && n.type === undefined && n.enum.every((v) => typeof v === 'string'))
      n.type = 'string';
    if (n['x-body-optional'] === true && isNode(n.requestBody)) {
      n.requestBody.required = false;
      delete n['x-body-optional'];
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(doc);
  return doc;
}

/** The name of the API key scheme in `components.securitySchemes`. */
export const SECURITY_SCHEME = 'apiKey';

/**
 * Request validation with TypeBox, as `TypeBoxValidatorCompiler` does, but with the named schemas
 * (`app.addSchema`) as TypeBox's context: that compiler compiles each schema alone, so a `Type.Ref` to a
 * named schema fails every request ("schema is false"). `schemas` is read when routes compile (at ready).
 */
export function typeboxValidator(schemas: () => Record<string, unknown>): FastifySchemaCompiler<TSchema> {
  return ({ schema, httpPart }) => {
    const context = schemas() as TProperties;
    const check = Compile(context, schema);
    return (value: unknown) => {
      // Only querystring, params and headers arrive as strings to be converted, as in the plugin.
      const converted = httpPart === 'body' ? value : Value.Convert(context, schema, value);
      if (check.Check(converted)) return { value: converted };
      const errors: FastifySchemaValidationError[] = check.Errors(converted);
      return { error: errors };
    };
  };
}
