// One domain error type with a closed set of codes; HTTP status is decided in one place (http/errors.ts).

export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthenticated',
  'forbidden',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'data_dir_locked',
  'storage_unavailable',
  'not_ready',
  'config_invalid',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A sentence a person can act on, in English and Chinese. */
export interface LocalText {
  en: string;
  zh: string;
}

/** A short Chinese line per code: the title of a problem, and the fallback for Fastify's own errors. */
export const GENERIC_ZH: Record<ErrorCode, string> = {
  invalid_input: '请求内容不符合要求。',
  not_found: '未找到该对象。',
  conflict: '与现有数据冲突。',
  unauthenticated: '缺少或无效的 API 密钥。',
  forbidden: '该密钥没有执行此操作的角色。',
  payload_too_large: '请求体过大。',
  unsupported_media_type: '不支持的内容类型。',
  rate_limited: '请求过于频繁，请稍后再试。',
  data_dir_locked: '数据目录正被其他进程使用。',
  storage_unavailable: '无法打开数据库。',
  not_ready: '服务尚未就绪。',
  config_invalid: '配置无效。',
  internal: '服务器内部错误。',
};

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The Chinese sentence beside `message` (English). */
  readonly zh: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, text: LocalText, details?: unknown) {
    super(text.en);
    this.name = 'AppError';
    this.code = code;
    this.zh = text.zh;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
