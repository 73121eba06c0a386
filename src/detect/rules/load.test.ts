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

test('the service policy is part of the file: a missing section or a bad cut-off names the field', () => {
  const missing = problems(text.replace(/\nrings:\n( {2}.*\n)+/, '\n'));
  assert.deepEqual(
    missing.list.map((x) => [x.field, x.reason]),
    [['rings', 'is required']],
  );
  const bad = problems(text.replace('block_at: 0.85', 'block_at: 1.5'));
  assert.equal(bad.list[0].field, 'decisions.block_at');
  assert.match(bad.message, /file: decisions\.block_at must be/);
  const typo = problems(text.replace('ring_weight: 0.6', 'ring_wieght: 0.6'));
  assert.ok(typo.list.some((x) => x.field === 'alerts.ring_wieght' && /not a known field/.test(x.reason)));
});

test('decisions reuse the rules they name: a missing rule or one of the wrong kind is refused', () => {
  const gone = problems(
    text.replace('rules: [shared-device-orders, shared-address-orders]', 'rules: [no-such-rule]'),
  );
  assert.deepEqual(
    gone.list.map((x) => [x.field, x.reason]),
    [['decisions.shared_identifier.rules[0]', 'names no rule in this file ("no-such-rule")']],
  );
  const wrong = problems(text.replace('rule: price-far-from-listing', 'rule: empty-parcel'));
  assert.deepEqual(
    wrong.list.map((x) => [x.field, x.reason]),
    [['decisions.price.rule', 'names rule "empty-parcel" of kind implausible_weight, not price_deviation']],
  );
});

test('every score term of a rule is in the file, so a rule without its score is refused', () => {
  const p = problems(text.replace('score: { base: 0.7, per_shop: 0.05, order_discount: 0.05 }', ''));
  assert.deepEqual(
    p.list.map((x) => [x.rule, x.field, x.reason]),
    [['extortion-across-shops', 'params.score', 'is required']],
  );
});
