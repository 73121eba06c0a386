import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { Compile } from 'typebox/compile';
import { BEGIN, END, README } from '../../scripts/config-table.ts';
import {
  ConfigSchema,
  configTable,
  describeConfig,
  describeSettings,
  loadConfig,
  REDACTED,
} from './config.ts';
import { AppError } from './errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tp-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The AppError loadConfig throws for these inputs. */
function failure(env: NodeJS.ProcessEnv, flags: Parameters<typeof loadConfig>[0] = {}): AppError {
  try {
    loadConfig(flags, env);
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, 'config_invalid');
    return e;
  }
  assert.fail(`expected a config error for ${JSON.stringify({ env, flags })}`);
}

test('with nothing set, every setting takes its default', () => {
  assert.deepEqual(loadConfig({}, {}), {
    port: 8080,
    host: '127.0.0.1',
    dataDir: resolve('./data'),
    bodyLimit: 32 * 1024 * 1024,
    rateWindow: 60,
    ratePerKey: 600_000,
    ratePerAddress: 1_200_000,
    authFailures: 20,
    authFailureWindow: 300,
    authBlock: 60,
    authBlockMax: 3600,
    logLevel: 'info',
    lang: 'en',
    readyLagEvents: 10_000,
    readyLagSeconds: 30,
    batchEverySeconds: 900,
    batchEveryEvents: 100_000,
    snapshotEveryEvents: 100_000,
    snapshotEverySeconds: 300,
  });
});

test('a flag wins over the environment, which wins over the default', () => {
  const env = { PORT: '7000', HOST: '0.0.0.0', TIANPING_DATA_DIR: '/srv/env-data' };
  const fromEnv = loadConfig({}, env);
  assert.equal(fromEnv.port, 7000);
  assert.equal(fromEnv.host, '0.0.0.0');
  assert.equal(fromEnv.dataDir, '/srv/env-data');
  const fromFlags = loadConfig({ port: '9000', host: '::1', dataDir: 'here' }, env);
  assert.equal(fromFlags.port, 9000);
  assert.equal(fromFlags.host, '::1');
  assert.equal(fromFlags.dataDir, resolve('here'));
  assert.equal(loadConfig({ port: 0 }, env).port, 0, 'a numeric flag, as tests pass it');
});

test('an empty variable counts as unset', () => {
  const c = loadConfig({}, { PORT: '', DATABASE_URL: '  ', LOG_LEVEL: '', TIANPING_RULES: '' });
  assert.equal(c.port, 8080);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.rulesFile, undefined);
});

test('takes every setting from the environment', () => {
  const rules = join(dir, 'rules.yaml');
  const model = join(dir, 'model.json');
  writeFileSync(rules, 'version: 1\n');
  writeFileSync(model, '{}');
  const c = loadConfig(
    {},
    {
      DATABASE_URL: 'postgresql://u:p@db:5432/tp',
      TIANPING_BODY_LIMIT: '2048',
      LOG_LEVEL: 'debug',
      TIANPING_LANG: 'zh-CN',
      TIANPING_RULES: rules,
      TIANPING_MODEL: model,
      TIANPING_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      TIANPING_RATE_WINDOW: '10',
      TIANPING_RATE_PER_KEY: '0',
      TIANPING_RATE_PER_ADDRESS: '500',
      TIANPING_AUTH_FAILURES: '5',
      TIANPING_AUTH_FAILURE_WINDOW: '30',
      TIANPING_AUTH_BLOCK: '2',
      TIANPING_AUTH_BLOCK_MAX: '20',
    },
  );
  assert.equal(c.trustProxy, '127.0.0.1, 10.0.0.0/8');
  assert.deepEqual(
    [
      c.rateWindow,
      c.ratePerKey,
      c.ratePerAddress,
      c.authFailures,
      c.authFailureWindow,
      c.authBlock,
      c.authBlockMax,
    ],
    [10, 0, 500, 5, 30, 2, 20],
  );
  assert.equal(c.databaseUrl, 'postgresql://u:p@db:5432/tp');
  assert.equal(c.bodyLimit, 2048);
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.lang, 'zh-CN');
  assert.equal(c.rulesFile, rules);
  assert.equal(c.modelFile, model);
});

test('the language follows LANG unless TIANPING_LANG says otherwise', () => {
  assert.equal(loadConfig({}, { LANG: 'zh_CN.UTF-8' }).lang, 'zh-CN');
  assert.equal(loadConfig({}, { LANG: 'C.UTF-8' }).lang, 'en');
  assert.equal(loadConfig({}, { LANG: 'zh_CN.UTF-8', TIANPING_LANG: 'en' }).lang, 'en');
});

test('each bad value is an error naming the setting, the value and what it must be, in both languages', () => {
  const cases: Array<[NodeJS.ProcessEnv, Parameters<typeof loadConfig>[0], string, RegExp, RegExp]> = [
    [
      { PORT: 'abc' },
      {},
      'PORT',
      /^PORT must be an integer from 0 to 65535; got "abc"\.$/,
      /PORT 必须是0 到 65535 之间的整数/,
    ],
    [{ PORT: '70000' }, {}, 'PORT', /PORT must be an integer from 0 to 65535; got "70000"/, /"70000"/],
    [{ PORT: '8.5' }, {}, 'PORT', /got "8\.5"/, /"8\.5"/],
    [
      { PORT: '80' },
      { port: '-1' },
      '--port',
      /^--port must be an integer from 0 to 65535; got "-1"/,
      /--port/,
    ],
    [
      { TIANPING_BODY_LIMIT: '10' },
      {},
      'TIANPING_BODY_LIMIT',
      /from 1024 to 1073741824; got "10"/,
      /1024 到/,
    ],
    [{ TIANPING_BODY_LIMIT: '1e6' }, {}, 'TIANPING_BODY_LIMIT', /got "1e6"/, /"1e6"/],
    [
      { TIANPING_RATE_PER_KEY: '-5' },
      {},
      'TIANPING_RATE_PER_KEY',
      /TIANPING_RATE_PER_KEY must be an integer from 0 to 1000000000; got "-5"/,
      /0 到 1000000000 之间的整数/,
    ],
    [
      { TIANPING_TRUST_PROXY: 'proxy; rm -rf' },
      {},
      'TIANPING_TRUST_PROXY',
      /TIANPING_TRUST_PROXY must be addresses or CIDR ranges, comma-separated; got "proxy; rm -rf"/,
      /逗号分隔/,
    ],
    [
      { LOG_LEVEL: 'loud' },
      {},
      'LOG_LEVEL',
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"/,
      /LOG_LEVEL 必须是fatal、error/,
    ],
    [
      { TIANPING_LANG: 'fr' },
      {},
      'TIANPING_LANG',
      /TIANPING_LANG must be one of en, zh-CN; got "fr"/,
      /"fr"/,
    ],
  ];
  for (const [env, flags, field, en, zh] of cases) {
    const e = failure(env, flags);
    assert.match(e.message, en);
    assert.match(e.zh, zh);
    const details = e.details as Array<{ field: string; reason: string }>;
    assert.equal(details.length, 1);
    assert.equal(details[0].field, field);
  }
});

test('a rule or model file that is missing, a folder or unreadable names the path and why', () => {
  const missing = join(dir, 'nope.yaml');
  let e = failure({ TIANPING_RULES: missing });
  assert.equal(e.message, `TIANPING_RULES points at ${missing}, which does not exist.`);
  assert.match(e.zh, /TIANPING_RULES 指向的 .*nope\.yaml 不存在/);
  e = failure({ TIANPING_MODEL: dir });
  assert.equal(e.message, `TIANPING_MODEL points at ${dir}, which is a folder, not a file.`);
  e = failure({ TIANPING_RULES: 'relative/none.yaml' });
  assert.match(e.message, new RegExp(`points at ${resolve('relative/none.yaml')}, which does not exist`));
});

test('a rule file without read permission is refused', {
  skip: process.getuid?.() === 0 && 'root reads everything',
}, () => {
  const locked = join(dir, 'locked.yaml');
  writeFileSync(locked, 'version: 1\n');
  chmodSync(locked, 0o000);
  const e = failure({ TIANPING_RULES: locked });
  assert.equal(e.message, `TIANPING_RULES points at ${locked}, which cannot be read (permission denied).`);
});

test('several bad values are reported together', () => {
  const e = failure({ PORT: 'x', LOG_LEVEL: 'y', TIANPING_MODEL: join(dir, 'gone.json') });
  assert.deepEqual(
    (e.details as Array<{ field: string }>).map((d) => d.field),
    ['PORT', 'LOG_LEVEL', 'TIANPING_MODEL'],
  );
  assert.match(e.message, /PORT .*\. LOG_LEVEL .*\. TIANPING_MODEL .*\./);
});

test('a bad secret is named but its value is never in the error', () => {
  const secret = 'mysql://admin:hunter2@db.internal/tp';
  const e = failure({ DATABASE_URL: secret });
  assert.equal(
    e.message,
    'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (its value is secret and not shown).',
  );
  assert.match(
    e.zh,
    /DATABASE_URL 必须是以 postgres:\/\/ 或 postgresql:\/\/ 开头的地址（该值属于敏感信息，不予显示）/,
  );
  const all = JSON.stringify({ message: e.message, zh: e.zh, details: e.details, stack: e.stack });
  assert.ok(!all.includes('hunter2') && !all.includes('mysql'), all);
});

test('the described dump shows values in force but hides secrets', () => {
  const c = loadConfig({ port: 9001 }, { DATABASE_URL: 'postgres://tp:hunter2@db/tp' });
  const dump = describeConfig(c);
  const by = Object.fromEntries(dump.map((d) => [d.env, d]));
  assert.equal(by.PORT.value, '9001');
  assert.equal(by.DATABASE_URL.value, REDACTED);
  assert.equal(by.DATABASE_URL.sensitive, true);
  assert.equal(by.TIANPING_RULES.value, '(unset)');
  assert.ok(!JSON.stringify(dump).includes('hunter2'));
  assert.equal(describeConfig(loadConfig({}, {})).find((d) => d.env === 'DATABASE_URL')?.value, '(unset)');
});

test('every setting is described: env, description, default, and only DATABASE_URL is secret', () => {
  const docs = describeSettings();
  assert.deepEqual(
    docs.map((d) => d.name),
    Object.keys(ConfigSchema.properties),
  );
  for (const d of docs) {
    assert.match(d.env, /^[A-Z][A-Z_]*$/, d.name);
    assert.ok(d.description.length > 3 && d.default.length > 0 && d.accepts.length > 0, d.name);
  }
  assert.deepEqual(
    docs.filter((d) => d.sensitive).map((d) => d.env),
    ['DATABASE_URL'],
  );
  assert.deepEqual(
    docs.filter((d) => d.flag).map((d) => d.flag),
    ['--port', '--host', '--data-dir'],
  );
});

test('every literal default satisfies its own schema', () => {
  for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
    const d = (schema as { default?: unknown }).default;
    if (d !== undefined) assert.ok(Compile(schema).Check(d), `${name} default ${d}`);
  }
});

test('the README configuration table is the one the schema generates', () => {
  const readme = readFileSync(README, 'utf8');
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  assert.ok(a >= 0 && b > a, 'README.md has the config-table markers');
  assert.equal(
    readme.slice(a + BEGIN.length, b).trim(),
    configTable(),
    'README.md is out of date: run node --import tsx scripts/config-table.ts',
  );
});
