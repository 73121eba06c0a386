// Loading the rule file: YAML in, a validated RuleSet out, or an error naming the rule id and the field.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compile, type Validator } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../platform/errors.ts';
import {
  POLICY_SECTION_NAMES,
  POLICY_SECTIONS,
  type Policy,
  type PolicySection,
  RULE_KINDS,
  RULE_SCHEMAS,
  type Rule,
  type RuleKind,
  type RuleSet,
} from './schema.ts';

export const DEFAULT_RULES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'default-rules.yaml');

const validators = new Map<RuleKind, Validator>(RULE_KINDS.map((k) => [k, Compile(RULE_SCHEMAS[k])]));
const sectionValidators = new Map<PolicySection, Validator>(
  POLICY_SECTION_NAMES.map((k) => [k, Compile(POLICY_SECTIONS[k])]),
);
const TOP_LEVEL = new Set(['version', 'rules', ...POLICY_SECTION_NAMES]);

export interface RuleProblem {
  rule?: string;
  index?: number;
  field: string;
  reason: string;
}

function fieldOf(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`))
    .join('');
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function problemsOf(v: Validator, value: unknown): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  const seen = new Set<string>();
  for (const e of v.Errors(value) as unknown as SchemaError[]) {
    if (e.keyword === 'boolean') continue; // reported once as additionalProperties below
    let field = fieldOf(e.instancePath);
    let reason = e.message;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params.additionalProperties as string[]) ?? [];
      field = extra.map((x) => (field ? `${field}.${x}` : x)).join(', ');
      reason = 'is not a known field (typo?)';
    } else if (e.keyword === 'required') {
      const req = (e.params.requiredProperties as string[]) ?? [];
      field = req.map((x) => (field ? `${field}.${x}` : x)).join(', ');
      reason = 'is required';
    }
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field: field || '(rule)', reason });
  }
  return out;
}

/** Validates a parsed rule document. Throws an AppError listing every problem; returns the set when clean. */
export function validateRules(doc: unknown, source: string): RuleSet {
  const problems: RuleProblem[] = [];
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(doc))
    throw new AppError('invalid_input', {
      en: `${source}: the rule file must be a mapping with version and rules.`,
      zh: `${source}：规则文件必须是包含 version 和 rules 的映射。`,
    });
  for (const k of Object.keys(doc)) {
    if (!TOP_LEVEL.has(k)) problems.push({ field: k, reason: 'is not a known field (typo?)' });
  }
  for (const section of POLICY_SECTION_NAMES) {
    const v = sectionValidators.get(section)!;
    if (doc[section] === undefined) problems.push({ field: section, reason: 'is required' });
    else
      for (const p of problemsOf(v, doc[section]))
        problems.push({ field: p.field === '(rule)' ? section : `${section}.${p.field}`, reason: p.reason });
  }
  if (doc.version !== 1) problems.push({ field: 'version', reason: 'must be 1' });
  const list = doc.rules;
  if (!Array.isArray(list) || list.length === 0)
    problems.push({ field: 'rules', reason: 'must be a non-empty list' });
  const rules: Rule[] = [];
  const ids = new Set<string>();
  for (const [index, r] of (Array.isArray(list) ? list : []).entries()) {
    const rule = isObj(r) && typeof r.id === 'string' ? r.id : undefined;
    if (!isObj(r)) {
      problems.push({ index, field: '(rule)', reason: 'must be a mapping' });
      continue;
    }
    if (rule && ids.has(rule))
      problems.push({ rule, index, field: 'id', reason: 'is used by an earlier rule' });
    if (rule) ids.add(rule);
    const kind = r.kind;
    const v = typeof kind === 'string' ? validators.get(kind as RuleKind) : undefined;
    if (!v) {
      problems.push({ rule, index, field: 'kind', reason: `must be one of ${RULE_KINDS.join(', ')}` });
      continue;
    }
    const ps = problemsOf(v, r);
    for (const p of ps) problems.push({ rule, index, ...p });
    if (kind === 'banned_claims' && ps.length === 0) {
      const params = r.params as { allowed: string[] };
      for (const [i, a] of params.allowed.entries()) {
        try {
          new RegExp(a);
        } catch (e) {
          problems.push({
            rule,
            index,
            field: `params.allowed[${i}]`,
            reason: `is not a valid regular expression: ${(e as Error).message}`,
          });
        }
      }
    }
    if (ps.length === 0) rules.push(r as unknown as Rule);
  }
  if (problems.length === 0) problems.push(...crossReferences(doc as unknown as Policy, rules));
  if (problems.length > 0) {
    const lines = problems.map(
      (p) =>
        `${p.rule ? `rule "${p.rule}"` : p.index !== undefined ? `rules[${p.index}]` : 'file'}: ${p.field} ${p.reason}`,
    );
    throw new AppError(
      'invalid_input',
      {
        en: `${source}: the rules were not loaded:\n  ${lines.join('\n  ')}`,
        zh: `${source}：规则未加载（正在运行的规则保持不变）：\n  ${lines.join('\n  ')}`,
      },
      problems,
    );
  }
  const policy = Object.fromEntries(POLICY_SECTION_NAMES.map((k) => [k, doc[k]])) as Policy;
  return { version: 1, rules, policy, source };
}

/** The decision policy names rules whose parameters it reuses; they must exist and be of the right kind. */
function crossReferences(policy: Policy, rules: Rule[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const want = (field: string, id: string, kind: RuleKind) => {
    const r = byId.get(id);
    if (!r) out.push({ field, reason: `names no rule in this file ("${id}")` });
    else if (r.kind !== kind)
      out.push({ field, reason: `names rule "${id}" of kind ${r.kind}, not ${kind}` });
  };
  policy.decisions.shared_identifier.rules.forEach((id, i) => {
    want(`decisions.shared_identifier.rules[${i}]`, id, 'shared_identifier');
  });
  want('decisions.price.rule', policy.decisions.price.rule, 'price_deviation');
  return out;
}

export function parseRules(text: string, source: string): RuleSet {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new AppError('invalid_input', {
      en: `${source}: not valid YAML: ${(e as Error).message}`,
      zh: `${source}：不是有效的 YAML：${(e as Error).message}`,
    });
  }
  return validateRules(doc, source);
}

/** The rule file's text, or an error naming the path and why it cannot be read. */
export function readRulesText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('config_invalid', {
      en: `Cannot read the rule file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      zh: `无法读取规则文件 ${path}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}。`,
    });
  }
}

export function loadRulesFile(path = DEFAULT_RULES_FILE): RuleSet {
  return parseRules(readRulesText(path), path);
}
