// Loading the rule file: YAML in, a validated RuleSet out, or an error naming the rule id and the field.
// Besides its shape, a file is held to RULE_LIMITS, and every pattern must compile to RE2.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compile, type Validator } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../platform/errors.ts';
import { checkPattern } from '../text/patterns.ts';
import { RULE_LIMITS, type RuleLimits } from './limits.ts';
import {
  LIST_KIND,
  type ListKind,
  POLICY_SECTION_NAMES,
  POLICY_SECTIONS,
  type Policy,
  type PolicySection,
  RULE_KINDS,
  RULE_PARAMS,
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

/** The word and pattern lists of a rule's parameters, by field. */
function listsOf(kind: RuleKind, params: Record<string, unknown>): Array<[string, ListKind, string[]]> {
  const props = (RULE_PARAMS[kind] as unknown as { properties: Record<string, Record<string, unknown>> })
    .properties;
  const out: Array<[string, ListKind, string[]]> = [];
  for (const [field, schema] of Object.entries(props)) {
    const kindOf = schema[LIST_KIND] as ListKind | undefined;
    if (kindOf) out.push([field, kindOf, params[field] as string[]]);
  }
  return out;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A schema-valid rule's lists against the limits; adds each pattern's RE2 program size to `program`. */
function listProblems(
  kind: RuleKind,
  params: Record<string, unknown>,
  limits: RuleLimits,
  program: { total: number; largest?: { size: number; field: string; rule?: string } },
  rule: string | undefined,
): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  const lists = listsOf(kind, params);
  const entries = lists.reduce((n, [, , xs]) => n + xs.length, 0);
  if (entries > limits.wordsPerRule) {
    const [field, , xs] = lists.reduce((a, b) => (b[2].length > a[2].length ? b : a));
    out.push(
      xs.length > limits.wordsPerRule
        ? {
            field: `params.${field}`,
            reason: `holds ${count(xs.length)} entries; a rule may hold at most ${count(limits.wordsPerRule)} words and patterns`,
          }
        : {
            field: 'params',
            reason: `holds ${count(entries)} words and patterns in all (${lists.map(([f, , x]) => `${f} ${x.length}`).join(', ')}); at most ${count(limits.wordsPerRule)} are accepted`,
          },
    );
    return out;
  }
  for (const [field, listKind, xs] of lists) {
    for (const [i, x] of xs.entries()) {
      const at = `params.${field}[${i}]`;
      const chars = [...x].length;
      const max = listKind === 'words' ? limits.wordChars : limits.patternChars;
      if (chars > max) {
        out.push({
          field: at,
          reason: `is ${count(chars)} characters long; at most ${count(max)} are accepted`,
        });
        continue;
      }
      if (listKind !== 'patterns') continue;
      const checked = checkPattern(x, limits.patternProgram);
      if ('problem' in checked) {
        out.push({ field: at, reason: checked.problem });
        continue;
      }
      const size = checked.size;
      program.total += size;
      if (!program.largest || size > program.largest.size) program.largest = { size, field: at, rule };
    }
  }
  return out;
}

/** Validates a parsed rule document. Throws an AppError listing every problem; returns the set when clean. */
export function validateRules(doc: unknown, source: string, limits: RuleLimits = RULE_LIMITS): RuleSet {
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
  // Too many rules: refused before any of them is read, so a huge list costs nothing.
  const tooMany = Array.isArray(list) && list.length > limits.rules;
  if (tooMany)
    problems.push({
      field: 'rules',
      reason: `holds ${count(list.length)} rules; at most ${count(limits.rules)} are accepted`,
    });
  const rules: Rule[] = [];
  const ids = new Set<string>();
  const program: { total: number; largest?: { size: number; field: string; rule?: string } } = { total: 0 };
  for (const [index, r] of (Array.isArray(list) && !tooMany ? list : []).entries()) {
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
    if (ps.length === 0)
      ps.push(...listProblems(kind as RuleKind, r.params as Record<string, unknown>, limits, program, rule));
    for (const p of ps) problems.push({ rule, index, ...p });
    if (ps.length === 0) rules.push(r as unknown as Rule);
  }
  if (program.total > limits.patternProgramTotal) {
    const l = program.largest!;
    problems.push({
      field: 'rules',
      reason: `hold patterns that RE2 compiles to ${count(program.total)} steps in all; at most ${count(limits.patternProgramTotal)} are accepted (the largest: ${l.rule ? `rule "${l.rule}" ` : ''}${l.field}, ${count(l.size)} steps)`,
    });
  }
  if (problems.length === 0) problems.push(...crossReferences(doc as unknown as Policy, rules));
  if (problems.length > 0) refuse(source, problems);
  const policy = Object.fromEntries(POLICY_SECTION_NAMES.map((k) => [k, doc[k]])) as Policy;
  return { version: 1, rules, policy, source };
}

/** Throws the refusal: every problem on a line, naming the rule (or the file) and the field. */
function refuse(source: string, problems: RuleProblem[]): never {
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

const tooBig = (bytes: number, limits: RuleLimits): RuleProblem => ({
  field: 'size',
  reason: `is ${count(bytes)} bytes; at most ${count(limits.fileBytes)} are accepted`,
});

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

export function parseRules(text: string, source: string, limits: RuleLimits = RULE_LIMITS): RuleSet {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.fileBytes) refuse(source, [tooBig(bytes, limits)]);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new AppError('invalid_input', {
      en: `${source}: not valid YAML: ${(e as Error).message}`,
      zh: `${source}：不是有效的 YAML：${(e as Error).message}`,
    });
  }
  return validateRules(doc, source, limits);
}

/** The rule file's text, or an error naming the path and why it cannot be read (or is too big to). */
export function readRulesText(path: string, limits: RuleLimits = RULE_LIMITS): string {
  try {
    const bytes = statSync(path).size;
    if (bytes > limits.fileBytes) refuse(path, [tooBig(bytes, limits)]);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('config_invalid', {
      en: `Cannot read the rule file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`,
      zh: `无法读取规则文件 ${path}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}。`,
    });
  }
}

export function loadRulesFile(path = DEFAULT_RULES_FILE, limits: RuleLimits = RULE_LIMITS): RuleSet {
  return parseRules(readRulesText(path, limits), path, limits);
}
