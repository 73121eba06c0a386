// Rule administration: the rule set in force, reloads (from the file, or a new text), and each rule's
// hit counts. A bad file is refused with the rule id and field, and the running rules stay.
import { existsSync, writeFileSync } from 'node:fs';
import { parseRules, readRulesText } from './rules/load.ts';
import type { Rule, RuleSet } from './rules/schema.ts';
import type { RuleHits, StreamEngine } from './stream/engine.ts';

export interface RuleStatus extends RuleHits {
  description: Rule['description'];
  basis: Rule['basis'];
  weight: number;
}

export class RuleAdmin {
  constructor(
    private readonly file: string,
    private current: RuleSet,
    private readonly engine: Pick<StreamEngine, 'setRules' | 'ruleHits'>,
  ) {}

  get rules(): RuleSet {
    return this.current;
  }

  /** Reloads from the rule file, or from `text` (then also written to the file). */
  reload(text?: string): { rules: number; source: string } {
    const source = text === undefined ? this.file : 'request body';
    const next = parseRules(text ?? readRulesText(this.file), source);
    this.engine.setRules(next);
    this.current = { ...next, source: this.file };
    if (text !== undefined && existsSync(this.file)) writeFileSync(this.file, text);
    return { rules: next.rules.length, source };
  }

  status(): RuleStatus[] {
    const hits = new Map(this.engine.ruleHits().map((h) => [h.rule, h]));
    return this.current.rules.map((r) => ({
      ...(hits.get(r.id) ?? { rule: r.id, kind: r.kind, mode: r.mode, hits: 0 }),
      description: r.description,
      basis: r.basis,
      weight: r.weight,
    }));
  }
}
