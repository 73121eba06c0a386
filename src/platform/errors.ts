// One domain error type with a closed set of codes; HTTP status is decided in one place (http/errors.ts).

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'data_dir_locked'
  | 'config_invalid'
  | 'internal';

export interface LocalText {
  en: string;
  zh: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly zh: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: LocalText | string, details?: unknown) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'AppError';
    this.code = code;
    this.zh = typeof message === 'string' ? message : message.zh;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
