// Domain errors to HTTP, in one place. Bodies are `{ error: { code, message, message_zh, details? } }`.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  data_dir_locked: 503,
  config_invalid: 500,
  internal: 500,
};

/** A short Chinese line per code, so console users reading zh see what kind of problem it is. */
const ZH: Record<ErrorCode, string> = {
  invalid_input: '请求内容不符合要求',
  not_found: '未找到该对象',
  conflict: '与现有数据冲突',
  unauthenticated: '缺少或无效的 API 密钥',
  forbidden: '该密钥没有执行此操作的角色',
  payload_too_large: '请求体过大',
  unsupported_media_type: '不支持的内容类型',
  data_dir_locked: '数据目录正被其他进程使用',
  config_invalid: '配置无效',
  internal: '服务器内部错误',
};

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, message_zh: ZH[code], ...(details === undefined ? {} : { details }) } };
}

export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return reply.status(STATUS[err.code]).send(errorBody(err.code, err.message, err.details));
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply
      .status(413)
      .send(
        errorBody(
          'payload_too_large',
          `The body is larger than the limit of ${req.server.initialConfig.bodyLimit} bytes; send smaller batches.`,
        ),
      );
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.status(415).send(errorBody('unsupported_media_type', fe.message));
  }
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      field: `${fe.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
      reason: v.message,
    }));
    return reply.status(400).send(errorBody('invalid_input', fe.message, details));
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.status(fe.statusCode).send(errorBody('invalid_input', fe.message));
  }
  req.log.error({ err }, 'unhandled error');
  return reply
    .status(500)
    .send(errorBody('internal', 'Something went wrong on our side; the error was logged.'));
}
