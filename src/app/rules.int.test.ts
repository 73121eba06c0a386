// The rule file over HTTP: a reload with a body is stored in the data folder (never in the install) and is
// what the next start loads; a file over the limits is refused; every change records who, when and why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { DEFAULT_RULES_FILE } from '../detect/index.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { createContext } from './context.ts';
import { buildServer } from './server.ts';

const bundled = readFileSync(DEFAULT_RULES_FILE, 'utf8');
const bundledMtime = statSync(DEFAULT_RULES_FILE).mtimeMs;
const dirs: string[] = [];
const schemas: Array<{ config: Config; schema: string }> = [];

after(async () => {
  for (const { config, schema } of schemas) {
    const ctx = await createContext(config, { schema });
    await ctx.db.exec(`drop schema ${schema} cascade`);
    await ctx.close();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Install {
  config: Config;
  /** On PostgreSQL, a schema of its own that outlives each start, as the database would. */
  schema?: string;
}

/** A data folder of its own (PGlite's database lives there too). */
function install(over: Partial<Config> = {}): Install {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-rules-int-'));
  dirs.push(dataDir);
  const config = { ...loadConfig({ port: 0 }), logLevel: 'silent', dataDir, ...over };
  if (!config.databaseUrl) return { config };
  const schema = `t_${randomBytes(5).toString('hex')}`;
  schemas.push({ config, schema });
  return { config, schema };
}

async function start(at: Install) {
  const ctx = await createContext(at.config, { schema: at.schema });
  const app = await buildServer(ctx, { logger: false });
  return {
    ctx,
    app,
    stop: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

const yaml = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'text/yaml' });

/** The bundled file with the order-burst rule in shadow and a higher ratio. */
const edited = (() => {
  const doc = parse(bundled);
  const r = doc.rules.find((x: { id: string }) => x.id === 'order-burst');
  r.mode = 'shadow';
  r.params.ratio = 7;
  return stringify(doc);
})();

test('a reload with a body is stored in the data folder, not the install, and the next start loads it', async () => {
  const at = install();
  const stored = join(at.config.dataDir, 'rules.yaml');
  const first = await start(at);
  const admin = await first.ctx.keys.create({ roles: ['admin'], name: 'rule editor' });
  const r = await first.app.inject({
    method: 'POST',
    url: `/v1/rules/reload?reason=${encodeURIComponent('order bursts too noisy on 11.11')}`,
    payload: edited,
    headers: yaml(admin.key),
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().stored, stored);
  assert.equal(r.json().source, 'request body');
  assert.equal(readFileSync(stored, 'utf8'), edited);
  assert.equal(readFileSync(DEFAULT_RULES_FILE, 'utf8'), bundled, 'the bundled file is untouched');
  assert.equal(statSync(DEFAULT_RULES_FILE).mtimeMs, bundledMtime);
  const rules = await first.app.inject({ method: 'GET', url: '/v1/rules', headers: yaml(admin.key) });
  assert.deepEqual(rules.json().source, { kind: 'stored', path: stored });
  await first.stop();

  const second = await start(at);
  try {
    assert.deepEqual(second.ctx.detect.ruleSource(), { kind: 'stored', path: stored });
    const burst = second.ctx.detect.rules().find((x) => x.rule === 'order-burst');
    assert.equal(burst?.mode, 'shadow', 'the reloaded rules are in force after the restart');
    // The history survives too: who, when, why, and the file itself.
    const history = await second.app.inject({
      method: 'GET',
      url: '/v1/rules/history',
      headers: yaml(admin.key),
    });
    assert.equal(history.statusCode, 200, history.body);
    const [change] = history.json().changes;
    assert.deepEqual(
      { via: change.via, key: change.key, reason: change.reason, stored: change.stored, rules: change.rules },
      {
        via: 'api',
        key: { id: admin.apiKey.id, name: 'rule editor' },
        reason: 'order bursts too noisy on 11.11',
        stored,
        rules: 14,
      },
    );
    assert.ok(Math.abs(Date.parse(change.at) - Date.now()) < 60_000);
    const one = await second.app.inject({
      method: 'GET',
      url: `/v1/rules/history/${change.id}`,
      headers: yaml(admin.key),
    });
    assert.equal(one.json().text, edited);
    // A reload without a body reads the stored file again, and says so.
    const again = await second.app.inject({
      method: 'POST',
      url: '/v1/rules/reload',
      headers: yaml(admin.key),
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(
      [again.json().source, again.json().stored, again.json().change.reason],
      [stored, null, null],
    );
    const missing = await second.app.inject({
      method: 'GET',
      url: '/v1/rules/history/999999',
      headers: yaml(admin.key),
    });
    assert.equal(missing.statusCode, 404);
  } finally {
    await second.stop();
  }
});

test('a file over the limits is refused naming the field, and nothing is stored or recorded', async () => {
  const at = install();
  const s = await start(at);
  try {
    const admin = (await s.ctx.keys.create({ roles: ['admin'] })).key;
    const doc = parse(bundled);
    const burst = doc.rules.find((x: { id: string }) => x.id === 'order-burst');
    for (let i = 0; doc.rules.length < 1300; i++)
      doc.rules.push({ ...structuredClone(burst), id: `burst-${i}` });
    const many = await s.app.inject({
      method: 'POST',
      url: '/v1/rules/reload',
      payload: stringify(doc),
      headers: yaml(admin),
    });
    assert.equal(many.statusCode, 400);
    assert.deepEqual(many.json().errors, [
      { field: 'rules', reason: 'holds 1,300 rules; at most 100 are accepted' },
    ]);
    const claims = parse(bundled);
    claims.rules
      .find((x: { id: string }) => x.id === 'banned-absolute-claims')
      .params.allowed.push('(?=最)最');
    const look = await s.app.inject({
      method: 'POST',
      url: '/v1/rules/reload',
      payload: stringify(claims),
      headers: yaml(admin),
    });
    assert.equal(look.statusCode, 400);
    assert.match(look.json().detail, /rule "banned-absolute-claims": params\.allowed\[6\] is not a pattern/);
    const long = await s.app.inject({
      method: 'POST',
      url: `/v1/rules/reload?reason=${'x'.repeat(501)}`,
      payload: edited,
      headers: yaml(admin),
    });
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().errors[0].field, 'reason');
    assert.equal(existsSync(join(at.config.dataDir, 'rules.yaml')), false);
    assert.equal(s.ctx.detect.rules().length, 14, 'the running rules stay');
    assert.deepEqual(await s.ctx.detect.ruleHistory(10), []);
    // A signal reloads the file in force and is recorded as such.
    const hup = await s.ctx.detect.reloadRules({ via: 'signal' });
    assert.deepEqual([hup.change.via, hup.change.key, hup.source], ['signal', undefined, DEFAULT_RULES_FILE]);
  } finally {
    await s.stop();
  }
});

test('with TIANPING_RULES set, a body is refused (the configured file would win at the next start)', async () => {
  const own = join(mkdtempSync(join(tmpdir(), 'tp-rules-own-')), 'mine.yaml');
  dirs.push(join(own, '..'));
  writeFileSync(own, bundled);
  const at = install({ rulesFile: own });
  const s = await start(at);
  try {
    const admin = (await s.ctx.keys.create({ roles: ['admin'] })).key;
    const r = await s.app.inject({
      method: 'POST',
      url: '/v1/rules/reload',
      payload: edited,
      headers: yaml(admin),
    });
    assert.equal(r.statusCode, 409);
    assert.match(r.json().detail, /The rules come from .*mine\.yaml \(TIANPING_RULES\)/);
    assert.equal(readFileSync(own, 'utf8'), bundled);
    assert.equal(existsSync(join(at.config.dataDir, 'rules.yaml')), false);
    writeFileSync(own, edited);
    const reread = await s.app.inject({ method: 'POST', url: '/v1/rules/reload', headers: yaml(admin) });
    assert.equal(reread.statusCode, 200, reread.body);
    assert.equal(s.ctx.detect.rules().find((x) => x.rule === 'order-burst')?.mode, 'shadow');
  } finally {
    await s.stop();
  }
});
