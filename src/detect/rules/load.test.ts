import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { AppError } from '../../platform/errors.ts';
import { RULE_LIMITS, type RuleLimits } from './limits.ts';
import { DEFAULT_RULES_FILE, loadRulesFile, parseRules } from './load.ts';
import { RULE_KINDS } from './schema.ts';

const text = readFileSync(DEFAULT_RULES_FILE, 'utf8');

function problems(yaml: string, limits: RuleLimits = RULE_LIMITS) {
  try {
    parseRules(yaml, 'test.yaml', limits);
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

/** The bundled file with `edit` applied to its parsed document. */
function edited(edit: (doc: { rules: Array<Record<string, any>> }) => void): string {
  const doc = parse(text);
  edit(doc);
  return stringify(doc);
}
const rule = (doc: { rules: Array<Record<string, any>> }, id: string) => doc.rules.find((r) => r.id === id)!;

test('a file with more rules than the limit is refused at the rules field, before any rule is read', () => {
  const many = edited((doc) => {
    for (let i = 0; doc.rules.length <= RULE_LIMITS.rules; i++)
      doc.rules.push({ ...structuredClone(rule(doc, 'order-burst')), id: `burst-${i}` });
  });
  const p = problems(many);
  assert.deepEqual(
    p.list.map((x) => [x.rule, x.field, x.reason]),
    [[undefined, 'rules', `holds ${RULE_LIMITS.rules + 1} rules; at most ${RULE_LIMITS.rules} are accepted`]],
  );
  assert.match(p.message, /^test\.yaml: the rules were not loaded:\n {2}file: rules holds 101 rules/);
  assert.equal(problems(text, { ...RULE_LIMITS, rules: 5 }).list[0].field, 'rules');
});

test('too many words in a rule, or one too long, is refused naming the rule and the list', () => {
  const many = problems(
    edited((doc) => {
      const p = rule(doc, 'banned-absolute-claims').params;
      p.terms = Array.from({ length: RULE_LIMITS.wordsPerRule + 1 }, (_, i) => `词${i}`);
    }),
  );
  assert.deepEqual(
    many.list.map((x) => [x.rule, x.field]),
    [['banned-absolute-claims', 'params.terms']],
  );
  assert.match(many.list[0].reason, /holds 1,001 entries; a rule may hold at most 1,000 words and patterns/);
  // Under the limit in each list, over it in all.
  const spread = problems(
    edited((doc) => {
      const p = rule(doc, 'extortion-across-shops').params;
      p.punitive_patterns = Array.from({ length: 600 }, (_, i) => `赔${i}`);
      p.accusation_patterns = Array.from({ length: 600 }, (_, i) => `宣传${i}`);
    }),
  );
  assert.deepEqual(
    spread.list.map((x) => [x.rule, x.field]),
    [['extortion-across-shops', 'params']],
  );
  assert.match(
    spread.list[0].reason,
    /holds 1,205 words and patterns in all \(demand_patterns 5, punitive_patterns 600/,
  );
  const long = problems(
    edited((doc) => {
      rule(doc, 'cashback-for-reviews').params.complaint_patterns.push(
        '差'.repeat(RULE_LIMITS.wordChars + 1),
      );
    }),
  );
  assert.deepEqual(
    long.list.map((x) => [x.rule, x.field, x.reason]),
    [
      [
        'cashback-for-reviews',
        'params.complaint_patterns[16]',
        'is 65 characters long; at most 64 are accepted',
      ],
    ],
  );
});

test('word lists are literal; patterns must be RE2, and not too complex, alone or all together', () => {
  // As a word, "(a+)+b" is six characters and loads; so it does as a pattern, which RE2 runs in linear time.
  const loaded = parseRules(
    edited((doc) => {
      rule(doc, 'payback-after-order').params.complaint_patterns.push('(a+)+b');
      rule(doc, 'extortion-across-shops').params.demand_patterns.push('(a+)+b');
    }),
    'test.yaml',
  );
  assert.equal(loaded.rules.length, 14);
  const look = problems(
    edited((doc) => {
      rule(doc, 'cashback-for-reviews').params.offer_patterns.push('返(?=现)');
    }),
  );
  assert.deepEqual(
    look.list.map((x) => [x.rule, x.field]),
    [['cashback-for-reviews', 'params.offer_patterns[5]']],
  );
  assert.match(look.list[0].reason, /not a pattern that can be matched in linear time \(RE2 syntax/);
  const heavy = problems(
    edited((doc) => {
      rule(doc, 'extortion-across-shops').params.demand_patterns.push('[0-9]{900}');
    }),
    { ...RULE_LIMITS, patternProgram: 500 },
  );
  assert.deepEqual(
    heavy.list.map((x) => [x.rule, x.field]),
    [['extortion-across-shops', 'params.demand_patterns[5]']],
  );
  assert.match(heavy.list[0].reason, /too complex: RE2 compiles it to \d+ steps, at most 500/);
  const total = problems(text, { ...RULE_LIMITS, patternProgramTotal: 300 });
  assert.deepEqual(
    total.list.map((x) => [x.rule, x.field]),
    [[undefined, 'rules']],
  );
  assert.match(
    total.list[0].reason,
    /RE2 compiles to [\d,]+ steps in all; at most 300 are accepted \(the largest: rule "/,
  );
});

test('a file over the size limit is refused unread, from a request body or on disk', () => {
  const big = `${text}\n# ${'x'.repeat(RULE_LIMITS.fileBytes)}\n`;
  const p = problems(big);
  assert.deepEqual(
    p.list.map((x) => x.field),
    ['size'],
  );
  assert.match(p.message, /file: size is 1,064,\d{3} bytes; at most 1,048,576 are accepted/);
  const file = join(mkdtempSync(join(tmpdir(), 'tp-rules-')), 'big.yaml');
  writeFileSync(file, big);
  assert.throws(() => loadRulesFile(file), /big\.yaml: the rules were not loaded:\n {2}file: size is/);
});
