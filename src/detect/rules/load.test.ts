import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AppError } from '../../platform/errors.ts';
import { DEFAULT_RULES_FILE, loadRulesFile, parseRules } from './load.ts';
import { RULE_KINDS } from './schema.ts';

const text = readFileSync(DEFAULT_RULES_FILE, 'utf8');

function problems(yaml: string) {
  try {
    parseRules(yaml, 'test.yaml');
  } catch (e) {
    assert.ok(e instanceof AppError);
    return { message: e.message, list: e.details as Array<{ rule?: string; field: string; reason: string }> };
  }
  assert.fail('expected the rules to be rejected');
}

test('the bundled rule file loads, covers every rule kind, and every rule has zh/en text and a basis', () => {
  const set = loadRulesFile();
  assert.deepEqual(new Set(set.rules.map((r) => r.kind)), new Set(RULE_KINDS));
  for (const r of set.rules) {
    assert.ok(r.description.zh && r.description.en && r.basis.zh && r.basis.en, r.id);
    assert.ok(r.mode === 'live' || r.mode === 'shadow');
  }
});

test('an unknown field is rejected with the rule id and the field', () => {
  const p = problems(text.replace('window_minutes: 60', 'window_minutes: 60, windw_hours: 2'));
  assert.deepEqual(
    p.list.map((x) => [x.rule, x.field]),
    [['order-burst', 'params.windw_hours']],
  );
  assert.match(p.message, /rule "order-burst": params\.windw_hours is not a known field/);
});

test('a threshold of the wrong type is rejected with the rule id and the field', () => {
  const p = problems(text.replace('ratio: 6', 'ratio: "six"'));
  assert.equal(p.list[0].rule, 'order-burst');
  assert.equal(p.list[0].field, 'params.ratio');
  const q = problems(
    text.replace(
      'mode: live\n    weight: 0.9\n    description:\n      zh: 买家下单后',
      'mode: sometimes\n    weight: 0.9\n    description:\n      zh: 买家下单后',
    ),
  );
  assert.deepEqual([q.list[0].rule, q.list[0].field], ['payback-after-order', 'mode']);
});

test('unknown kinds, duplicate ids, bad patterns and bad YAML are rejected', () => {
  assert.equal(problems(text.replace('kind: order_burst', 'kind: order_bursts')).list[0].field, 'kind');
  assert.equal(
    problems(text.replace('id: shared-address-orders', 'id: shared-device-orders')).list[0].reason,
    'is used by an earlier rule',
  );
  assert.equal(
    problems(text.replace('"第一(次|步|代', '"第一((次|步|代')).list[0].field.startsWith('params.allowed['),
    true,
  );
  assert.throws(() => parseRules('rules: [', 'x.yaml'), /not valid YAML/);
  assert.throws(() => parseRules('version: 2\nrules: []\n', 'x.yaml'), /version must be 1/);
});
