// All settings in one described schema: per setting its flag, environment variable, type, default,
// description and whether it is secret. Each value comes from the flag, then the environment, then the default.
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { AppError, type LocalText } from './errors.ts';
import { currentLang } from './i18n.ts';

/** What people and the loader need to know about a setting besides its type. */
interface About {
  env: string;
  flag?: `--${string}`;
  description: string;
  /** Secret: its value never appears in errors, logs or the described dump. */
  sensitive?: boolean;
  /** Used when neither the flag nor the environment gives a value (JSON Schema's own keyword). */
  default?: string | number;
  /** The default when it is not one value, as people should read it. */
  defaultText?: string;
  /** A default worked out from other variables. */
  defaultFrom?: (env: NodeJS.ProcessEnv) => string | number | undefined;
  /** A path, made absolute; a `file` must exist and be readable when start-up checks it. */
  path?: 'dir' | 'file';
  /** What a good value looks like, when the type alone says it poorly. */
  expect?: LocalText;
}

const about = (a: About) => a;

/** One trusted proxy: proxy-addr's names for address ranges, an IPv4 or IPv6 address, or a CIDR range. */
const PROXY =
  '(loopback|linklocal|uniquelocal|[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?)';

export const ConfigSchema = Type.Object({
  port: Type.Integer({
    minimum: 0,
    maximum: 65535,
    ...about({ flag: '--port', env: 'PORT', default: 8080, description: 'HTTP port' }),
  }),
  host: Type.String({
    minLength: 1,
    ...about({
      flag: '--host',
      env: 'HOST',
      default: '127.0.0.1',
      description: 'interface to listen on (`0.0.0.0` to serve other machines)',
      expect: { en: 'an interface name or address', zh: '网络接口名或地址' },
    }),
  }),
  dataDir: Type.String({
    minLength: 1,
    ...about({
      flag: '--data-dir',
      env: 'TIANPING_DATA_DIR',
      default: './data',
      path: 'dir',
      description: 'folder of the embedded database and other local state',
      expect: { en: 'a folder path', zh: '目录路径' },
    }),
  }),
  databaseUrl: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      ...about({
        env: 'DATABASE_URL',
        sensitive: true,
        defaultText: 'unset: embedded PGlite',
        description: 'PostgreSQL to use instead of the embedded store (secret)',
        expect: {
          en: 'a URL starting with postgres:// or postgresql://',
          zh: '以 postgres:// 或 postgresql:// 开头的地址',
        },
      }),
    }),
  ),
  bodyLimit: Type.Integer({
    minimum: 1024,
    maximum: 1024 * 1024 * 1024,
    ...about({
      env: 'TIANPING_BODY_LIMIT',
      default: 32 * 1024 * 1024,
      description: 'largest accepted request body in bytes (larger bodies get 413)',
    }),
  }),
  trustProxy: Type.Optional(
    Type.String({
      pattern: `^${PROXY}( *, *${PROXY})*$`,
      ...about({
        env: 'TIANPING_TRUST_PROXY',
        defaultText: 'unset: the client address is the connection’s',
        description: 'proxies trusted to name the client address (`X-Forwarded-For`)',
        expect: {
          en: 'addresses or CIDR ranges, comma-separated',
          zh: '以逗号分隔的地址或 CIDR 网段',
        },
      }),
    }),
  ),
  rateWindow: Type.Integer({
    minimum: 1,
    maximum: 86400,
    ...about({
      env: 'TIANPING_RATE_WINDOW',
      default: 60,
      description: 'window of the two request limits, in seconds',
    }),
  }),
  ratePerKey: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    ...about({
      env: 'TIANPING_RATE_PER_KEY',
      default: 600_000,
      description: 'requests per window per API key, then 429 (0: no limit)',
    }),
  }),
  ratePerAddress: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    ...about({
      env: 'TIANPING_RATE_PER_ADDRESS',
      default: 1_200_000,
      description: 'requests per window per client address, `/health` aside (0: no limit)',
    }),
  }),
  authFailures: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    ...about({
      env: 'TIANPING_AUTH_FAILURES',
      default: 20,
      description: 'wrong keys per client address and window before it is refused (0: never)',
    }),
  }),
  authFailureWindow: Type.Integer({
    minimum: 1,
    maximum: 86400,
    ...about({
      env: 'TIANPING_AUTH_FAILURE_WINDOW',
      default: 300,
      description: 'window of wrong keys, in seconds',
    }),
  }),
  authBlock: Type.Integer({
    minimum: 1,
    maximum: 86400,
    ...about({
      env: 'TIANPING_AUTH_BLOCK',
      default: 60,
      description: 'first refusal (429) after too many wrong keys, in seconds; doubles each time',
    }),
  }),
  authBlockMax: Type.Integer({
    minimum: 1,
    maximum: 604800,
    ...about({
      env: 'TIANPING_AUTH_BLOCK_MAX',
      default: 3600,
      description: 'longest refusal after wrong keys, in seconds',
    }),
  }),
  // A string with an enum rather than a union type, so callers may still set any level name they hold.
  logLevel: Type.String({
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    ...about({
      env: 'LOG_LEVEL',
      default: 'info',
      description: 'log level (structured JSON logs on stdout)',
    }),
  }),
  lang: Type.Enum(['en', 'zh-CN'], {
    ...about({
      env: 'TIANPING_LANG',
      defaultFrom: (env) => currentLang({ LC_ALL: env.LC_ALL, LANG: env.LANG }),
      defaultText: '`zh-CN` if `LC_ALL` or `LANG` starts with `zh`, else `en`',
      description: 'language of messages for people (CLI)',
    }),
  }),
  rulesFile: Type.Optional(
    Type.String({
      minLength: 1,
      ...about({
        env: 'TIANPING_RULES',
        path: 'file',
        defaultText:
          '`rules.yaml` in the data folder if a reload stored one, else the bundled `src/detect/rules/default-rules.yaml`',
        description: 'detection rule file',
        expect: { en: 'a readable file', zh: '可读取的文件' },
      }),
    }),
  ),
  modelFile: Type.Optional(
    Type.String({
      minLength: 1,
      ...about({
        env: 'TIANPING_MODEL',
        path: 'file',
        defaultText: 'the bundled `src/detect/models/default-scorer.json`',
        description: 'learned scorer model',
        expect: { en: 'a readable file', zh: '可读取的文件' },
      }),
    }),
  ),
  readyLagEvents: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    ...about({
      env: 'TIANPING_READY_LAG_EVENTS',
      default: 10_000,
      description: 'detection lag in events beyond which `/ready` answers 503',
    }),
  }),
  readyLagSeconds: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    ...about({
      env: 'TIANPING_READY_LAG_SECONDS',
      default: 30,
      description:
        'detection lag in seconds (oldest event not yet detected) beyond which `/ready` answers 503',
    }),
  }),
  batchEverySeconds: Type.Integer({
    minimum: 0,
    maximum: 31_536_000,
    ...about({
      env: 'TIANPING_BATCH_EVERY_SECONDS',
      default: 900,
      description: 'seconds from one batch run (rings, scorer) to the next, if events came; 0: off',
    }),
  }),
  batchEveryEvents: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    ...about({
      env: 'TIANPING_BATCH_EVERY_EVENTS',
      default: 100_000,
      description: 'new events that start a batch run (rings, scorer); 0: off',
    }),
  }),
  snapshotEveryEvents: Type.Integer({
    minimum: 0,
    maximum: 1_000_000_000,
    ...about({
      env: 'TIANPING_SNAPSHOT_EVERY_EVENTS',
      default: 100_000,
      description:
        'new events after which detection snapshots its state, so a restart replays only the rest; 0: not by count',
    }),
  }),
  snapshotEverySeconds: Type.Integer({
    minimum: 0,
    maximum: 31_536_000,
    ...about({
      env: 'TIANPING_SNAPSHOT_EVERY_SECONDS',
      default: 300,
      description:
        'seconds after which detection snapshots its state, if events came; 0: not by time (one is also taken at shutdown)',
    }),
  }),
});

export type Config = Static<typeof ConfigSchema>;
export type SettingName = keyof Config;

type SettingSchema = TSchema &
  About & { type?: string; minimum?: number; maximum?: number; enum?: unknown[] };

const SETTINGS = Object.entries(ConfigSchema.properties).map(([name, schema]) => ({
  name: name as SettingName,
  schema: schema as unknown as SettingSchema,
  validator: Compile(schema) as Validator,
}));

/** What a good value looks like, in both languages. */
function expectation(s: SettingSchema): LocalText {
  if (s.expect) return s.expect;
  if (s.enum) return { en: `one of ${s.enum.join(', ')}`, zh: `${s.enum.join('、')} 之一` };
  if (s.type === 'integer') {
    return {
      en: `an integer from ${s.minimum} to ${s.maximum}`,
      zh: `${s.minimum} 到 ${s.maximum} 之间的整数`,
    };
  }
  return { en: 'a text', zh: '文本' };
}

/** Why a file cannot be used, or undefined when it can be read. */
function unreadable(path: string): LocalText | undefined {
  try {
    if (statSync(path).isDirectory()) return { en: 'is a folder, not a file', zh: '是目录而不是文件' };
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { en: 'does not exist', zh: '不存在' };
    if (code === 'EACCES' || code === 'EPERM') {
      return { en: 'cannot be read (permission denied)', zh: '无法读取（权限不足）' };
    }
    return {
      en: `cannot be read (${code ?? (e as Error).message})`,
      zh: `无法读取（${code ?? '未知原因'}）`,
    };
  }
}

const given = (v: string | number | undefined): string | undefined => {
  const s = v === undefined ? undefined : String(v).trim();
  return s === '' ? undefined : s;
};

export function loadConfig(
  flags: { port?: string | number; host?: string; dataDir?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const byFlag = flags as Partial<Record<SettingName, string | number>>;
  const out: Record<string, unknown> = {};
  const problems: Array<{ field: string; reason: string; en: string; zh: string }> = [];
  for (const { name, schema: s, validator } of SETTINGS) {
    const flagValue = s.flag ? given(byFlag[name]) : undefined;
    const raw = flagValue ?? given(env[s.env]);
    const source = flagValue !== undefined ? (s.flag as string) : s.env;
    if (raw === undefined) {
      const d = s.defaultFrom ? s.defaultFrom(env) : s.default;
      if (d !== undefined) out[name] = s.path ? resolve(String(d)) : d;
      continue;
    }
    const value = s.type === 'integer' && /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
    if (!validator.Check(value)) {
      const x = expectation(s);
      const reason = s.sensitive
        ? {
            en: `must be ${x.en} (its value is secret and not shown)`,
            zh: `必须是${x.zh}（该值属于敏感信息，不予显示）`,
          }
        : { en: `must be ${x.en}; got "${raw}"`, zh: `必须是${x.zh}；实际为 "${raw}"` };
      problems.push({
        field: source,
        reason: reason.en,
        en: `${source} ${reason.en}.`,
        zh: `${source} ${reason.zh}。`,
      });
      continue;
    }
    if (!s.path) {
      out[name] = value;
      continue;
    }
    const abs = resolve(raw);
    const why = s.path === 'file' ? unreadable(abs) : undefined;
    if (why) {
      const reason = s.sensitive
        ? why
        : { en: `points at ${abs}, which ${why.en}`, zh: `指向的 ${abs} ${why.zh}` };
      problems.push({
        field: source,
        reason: reason.en,
        en: `${source} ${reason.en}.`,
        zh: `${source} ${reason.zh}。`,
      });
      continue;
    }
    out[name] = abs;
  }
  if (problems.length > 0) {
    throw new AppError(
      'config_invalid',
      { en: problems.map((p) => p.en).join(' '), zh: problems.map((p) => p.zh).join('') },
      problems.map(({ field, reason }) => ({ field, reason })),
    );
  }
  return out as Config;
}

export interface SettingDoc {
  name: SettingName;
  flag?: string;
  env: string;
  /** What a good value looks like. */
  accepts: string;
  /** The default as people read it. */
  default: string;
  description: string;
  sensitive: boolean;
}

/** Every setting, described for people (help texts, the README table). */
export function describeSettings(): SettingDoc[] {
  return SETTINGS.map(({ name, schema: s }) => ({
    name,
    ...(s.flag ? { flag: s.flag } : {}),
    env: s.env,
    accepts: expectation(s).en,
    default: s.defaultText ?? (s.default === undefined ? 'unset' : `\`${s.default}\``),
    description: s.description,
    sensitive: s.sensitive === true,
  }));
}

export const REDACTED = '(set, hidden)';

/** The settings in force, for a start-up log line or a support dump: secrets show only whether they are set. */
export function describeConfig(config: Config): Array<SettingDoc & { value: string }> {
  return describeSettings().map((d) => {
    const v = config[d.name];
    const value = v === undefined ? '(unset)' : d.sensitive ? REDACTED : String(v);
    return { ...d, value };
  });
}

/** The README's configuration table; a test keeps README.md equal to it. */
export function configTable(): string {
  const head = ['setting', 'flag', 'environment', 'default', 'accepts'];
  const rows = describeSettings().map((d) => [
    d.description,
    d.flag ? `\`${d.flag}\`` : '—',
    `\`${d.env}\``,
    d.default,
    d.accepts,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat(width[i] - [...c].length)).join(' | ')} |`;
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
