import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MODEL_FILE, DEFAULT_RULES_FILE } from '../detect/index.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { createContext } from './context.ts';

const dir = mkdtempSync(join(tmpdir(), 'tp-context-'));
const config = { ...loadConfig({ port: 0 }, {}), logLevel: 'silent' };

async function refused(overrides: Partial<typeof config>): Promise<AppError> {
  try {
    const ctx = await createContext({ ...config, ...overrides }, { inMemory: true });
    await ctx.close();
  } catch (e) {
    assert.ok(e instanceof AppError, `an AppError, got ${e}`);
    return e;
  }
  assert.fail('start-up should have been refused');
}

test('a model file that is not JSON stops start-up, naming the path and the reason in both languages', async () => {
  const bad = join(dir, 'broken-model.json');
  writeFileSync(bad, '{"format": "tianping-scorer", ');
  const e = await refused({ modelFile: bad });
  assert.equal(e.code, 'config_invalid');
  assert.match(e.message, new RegExp(`The model file ${bad} cannot be read: .*JSON`));
  assert.match(e.zh, new RegExp(`模型文件 ${bad} 无法读取`));
});

test('a model trained with other feature definitions is refused, naming each difference', async () => {
  const json = JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8'));
  json.featureParams.low_rating_max = 3;
  const other = join(dir, 'other-features.json');
  writeFileSync(other, JSON.stringify(json));
  const e = await refused({ modelFile: other });
  assert.match(e.message, /other feature definitions: low_rating_max \(model 3, code 2\)/);
});

test('a rule file with a bad threshold stops start-up, naming the file, the rule and the field', async () => {
  const bad = join(dir, 'rules.yaml');
  writeFileSync(bad, readFileSync(DEFAULT_RULES_FILE, 'utf8').replace('ratio: 6', 'ratio: -1'));
  const e = await refused({ rulesFile: bad });
  assert.equal(e.code, 'invalid_input');
  assert.match(
    e.message,
    new RegExp(`^${bad}: the rules were not loaded:\\n  rule "order-burst": params\\.ratio`),
  );
});
