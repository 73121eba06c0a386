// Errors on the wire, in one place: every failed request gets an RFC 9457 problem details body
// (application/problem+json) with the project's code and the Chinese text as extension members.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { AppError, ERROR_CODES, type ErrorCode, GENERIC_ZH, type LocalText } from '../errors.ts';
import { bi } from '../i18n.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Per code: its HTTP status and a short title in both languages. Exhaustive, so a new code must be placed. */
export const PROBLEMS = {
  invalid_input: { status: 400, title: 'Invalid input', title_zh: '请求内容不符合要求' },
  unauthenticated: { status: 401, title: 'Not authenticated', title_zh: '未认证' },
  forbidden: { status: 403, title: 'Forbidden', title_zh: '无权执行此操作' },
  not_found: { status: 404, title: 'Not found', title_zh: '未找到' },
  conflict: { status: 409, title: 'Conflict', title_zh: '与现有数据冲突' },
  payload_too_large: { status: 413, title: 'Payload too large', title_zh: '请求体过大' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', title_zh: '不支持的内容类型' },
  rate_limited: { status: 429, title: 'Too many requests', title_zh: '请求过于频繁' },
  config_invalid: { status: 500, title: 'Invalid configuration', title_zh: '配置无效' },
  internal: { status: 500, title: 'Internal error', title_zh: '服务器内部错误' },
  data_dir_locked: { status: 503, title: 'Data folder in use', title_zh: '数据目录被占用' },
  storage_unavailable: { status: 503, title: 'Storage unavailable', title_zh: '数据库不可用' },
  not_ready: { status: 503, title: 'Not ready', title_zh: '尚未就绪' },
} as const satisfies Record<ErrorCode, { status: number; title: string; title_zh: string }>;

export const problemType = (code: ErrorCode) => `urn:tianping:problem:${code}`;

/** The id of the problem schema, which every problem response of the OpenAPI document references. */
export const PROBLEM_SCHEMA_ID = 'Problem';

/** The body of every error response: the `Problem` component of the OpenAPI document (see ./openapi.ts). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: bi('`urn:tianping:problem:<code>`', '`urn:tianping:problem:<code>`，即问题类型'),
    }),
    title: Type.String({
      description: bi('Short English title of the kind of problem.', '问题类别的英文简短标题。'),
    }),
    status: Type.Integer({ description: bi('The HTTP status.', 'HTTP 状态码。') }),
    detail: Type.String({
      description: bi('What went wrong and what to do, in English.', '出了什么问题、应当怎么做（英文）。'),
    }),
    instance: Type.Optional(
      Type.String({
        description: bi('The request path this problem occurred on.', '出现该问题的请求路径。'),
      }),
    ),
    code: Type.Enum([...ERROR_CODES], {
      description: bi("Tianping's code for the problem.", '天平的问题代码。'),
    }),
    title_zh: Type.String({ description: bi('The title in Chinese.', '中文标题。') }),
    detail_zh: Type.String({ description: bi('The detail in Chinese.', '中文说明。') }),
    errors: Type.Optional(
      Type.Unknown({
        description: bi(
          'The items at fault: `[{field, reason}]`, or the rejected records of a batch.',
          '出错的条目：`[{field, reason}]`，或一批中被拒收的记录。',
        ),
      }),
    ),
  },
  {
    $id: PROBLEM_SCHEMA_ID,
    description: bi(
      'RFC 9457 problem details (`application/problem+json`), with the English and Chinese text.',
      'RFC 9457 问题详情（`application/problem+json`），含中英文说明。',
    ),
  },
);

export type Problem = Static<typeof ProblemSchema>;

export function problem(
  code: ErrorCode,
  detail: LocalText,
  extra: { instance?: string; errors?: unknown } = {},
): Problem {
  const p = PROBLEMS[code];
  return {
    type: problemType(code),
    title: p.title,
    status: p.status,
    detail: detail.en,
    ...(extra.instance === undefined ? {} : { instance: extra.instance }),
    code,
    title_zh: p.title_zh,
    detail_zh: detail.zh,
    ...(extra.errors === undefined ? {} : { errors: extra.errors }),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem) {
  return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

const pathOf = (req: FastifyRequest) => req.url.split('?')[0];

/** Unknown routes: the same body as every other error. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  const route = `${req.method} ${pathOf(req)}`;
  return sendProblem(
    reply,
    problem(
      'not_found',
      {
        en: `There is no route ${route}; the routes are listed in /openapi.json.`,
        zh: `不存在接口 ${route}；全部接口见 /openapi.json。`,
      },
      { instance: pathOf(req) },
    ),
  );
}

interface ValidationItem {
  instancePath: string;
  message?: string;
}

function fieldOf(context: string | undefined, path: string): string {
  const rest = path
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  return `${context ?? 'body'}${rest}`;
}

/** Fastify's own errors (validation, body limits, media types) as one of our codes and a sentence. */
function fromFastify(fe: FastifyError, req: FastifyRequest): AppError | undefined {
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = req.server.initialConfig.bodyLimit;
    return new AppError('payload_too_large', {
      en: `The body is larger than the limit of ${limit} bytes; send smaller batches.`,
      zh: `请求体超过了 ${limit} 字节的上限；请分批发送。`,
    });
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const type = req.headers['content-type'] ?? '(none)';
    return new AppError('unsupported_media_type', {
      en: `This route does not accept Content-Type ${type}; see /openapi.json for what it takes.`,
      zh: `此接口不接受 Content-Type ${type}；可接受的类型见 /openapi.json。`,
    });
  }
  if (fe.validation) {
    const errors = (fe.validation as ValidationItem[]).map((v) => ({
      field: fieldOf(fe.validationContext, v.instancePath),
      reason: v.message ?? 'is not valid',
    }));
    const list = errors.map((e) => `${e.field} ${e.reason}`).join('; ');
    return new AppError(
      'invalid_input',
      {
        en: `The request has ${errors.length} invalid field(s): ${list}.`,
        zh: `请求中有 ${errors.length} 个字段不符合要求：${list}。`,
      },
      errors,
    );
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own sentence is English only; the Chinese one says what kind of problem it is and quotes it.
    const code = fe.statusCode === 404 ? 'not_found' : 'invalid_input';
    const why = fe.message.replace(/\.$/, '');
    return new AppError(code, { en: `${why}.`, zh: `${GENERIC_ZH[code].replace(/。$/, '')}（${why}）。` });
  }
  return undefined;
}

export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const known = err instanceof AppError ? err : fromFastify(err as FastifyError, req);
  const instance = pathOf(req);
  if (!known || PROBLEMS[known.code].status >= 500) {
    // The log keeps the cause; the caller gets no SQL, stack or path, only what to quote when asking.
    req.log.error({ err }, 'unhandled error');
    const code = known?.code ?? 'internal';
    return sendProblem(
      reply,
      problem(
        code,
        {
          en: `Something went wrong on our side; the error was logged as request ${req.id}.`,
          zh: `${GENERIC_ZH[code]}错误已记录，请求编号 ${req.id}。`,
        },
        { instance },
      ),
    );
  }
  return sendProblem(
    reply,
    problem(known.code, { en: known.message, zh: known.zh }, { instance, errors: known.details }),
  );
}
