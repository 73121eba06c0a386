// All settings in one described schema; each comes from a flag, then the environment, then the default.
import { resolve } from 'node:path';
import { AppError } from './errors.ts';

export interface Config {
  /** HTTP port (--port, PORT). */
  port: number;
  /** Interface to listen on (--host, HOST). */
  host: string;
  /** Folder of the embedded database and other local state (--data-dir, TIANPING_DATA_DIR). */
  dataDir: string;
  /** A real PostgreSQL instead of the embedded one (DATABASE_URL); sensitive. */
  databaseUrl?: string;
  /** Largest accepted request body in bytes (TIANPING_BODY_LIMIT). */
  bodyLimit: number;
  /** pino level (LOG_LEVEL). */
  logLevel: string;
  /** Detection rule file (TIANPING_RULES); default: the bundled one. */
  rulesFile?: string;
  /** Learned scorer model (TIANPING_MODEL); default: the bundled one. */
  modelFile?: string;
}

export const CONFIG_DOC: Record<
  keyof Config,
  { env: string; flag?: string; default: string; sensitive?: boolean; describe: string }
> = {
  port: { env: 'PORT', flag: '--port', default: '8080', describe: 'HTTP port' },
  host: {
    env: 'HOST',
    flag: '--host',
    default: '127.0.0.1',
    describe: 'interface to listen on (0.0.0.0 for all)',
  },
  dataDir: {
    env: 'TIANPING_DATA_DIR',
    flag: '--data-dir',
    default: './data',
    describe: 'embedded database and local state',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    default: '(unset: embedded PGlite)',
    sensitive: true,
    describe: 'PostgreSQL URL',
  },
  bodyLimit: {
    env: 'TIANPING_BODY_LIMIT',
    default: String(32 * 1024 * 1024),
    describe: 'largest request body, bytes',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    default: 'info',
    describe: 'log level: fatal, error, warn, info, debug, trace',
  },
  rulesFile: {
    env: 'TIANPING_RULES',
    default: '(bundled src/detect/rules/default-rules.yaml)',
    describe: 'detection rule file',
  },
  modelFile: {
    env: 'TIANPING_MODEL',
    default: '(bundled src/detect/models/default-scorer.json)',
    describe: 'learned scorer model',
  },
};

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('config_invalid', `${name} must be an integer from ${min} to ${max}, got "${v}".`);
  }
  return n;
}

export function loadConfig(
  flags: { port?: string | number; host?: string; dataDir?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const port = int('port (--port/PORT)', String(flags.port ?? env.PORT ?? CONFIG_DOC.port.default), 0, 65535);
  const bodyLimit = int(
    'TIANPING_BODY_LIMIT',
    env.TIANPING_BODY_LIMIT ?? CONFIG_DOC.bodyLimit.default,
    1024,
    1024 * 1024 * 1024,
  );
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LEVELS.has(logLevel)) {
    throw new AppError(
      'config_invalid',
      `LOG_LEVEL must be one of ${[...LEVELS].join(', ')}, got "${logLevel}".`,
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('config_invalid', 'DATABASE_URL must start with postgres:// or postgresql://.');
  }
  return {
    port,
    host: flags.host ?? env.HOST ?? CONFIG_DOC.host.default,
    dataDir: resolve(flags.dataDir ?? env.TIANPING_DATA_DIR ?? './data'),
    databaseUrl,
    bodyLimit,
    logLevel,
    rulesFile: env.TIANPING_RULES ? resolve(env.TIANPING_RULES) : undefined,
    modelFile: env.TIANPING_MODEL ? resolve(env.TIANPING_MODEL) : undefined,
  };
}
