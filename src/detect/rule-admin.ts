// Rule administration: the rule set in force, reloads (from the file, or a new text), and each rule's
// hit counts. A bad file is refused with the rule id and field, and the running rules stay. A new text is
// kept in the data folder — never in the install — and is what the next start loads; every change is
// recorded with who made it, when and why.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../platform/errors.ts';
import type { DetectionRepository, RuleChange } from './repository.ts';
import { RULE_LIMITS, type RuleLimits } from './rules/limits.ts';
import { DEFAULT_RULES_FILE, parseRules, readRulesText } from './rules/load.ts';
import type { Rule, RuleSet } from './rules/schema.ts';
import type { RuleHits, StreamEngine } from './stream/engine.ts';

/** A rule in force with its hits, as GET /v1/rules answers it. */
export interface RuleStatus extends Omit<RuleHits, 'lastHitAt'> {
  last_hit_at?: string;
  description: Rule['description'];
  basis: Rule['basis'];
  weight: number;
}

/** Where the rules in force come from. */
export interface RuleSource {
  /** `configured`: TIANPING_RULES names the file; `stored`: a reload's text in the data folder; else bundled. */
  kind: 'configured' | 'stored' | 'bundled';
  path: string;
}

/** The name of the stored rule file in the data folder. */
export const STORED_RULES = 'rules.yaml';

/** The file a start loads: the configured one, else the one a reload stored in the data folder, else the bundled one. */
export function ruleSource(opts: { rulesFile?: string; dataDir?: string }): RuleSource {
  if (opts.rulesFile) return { kind: 'configured', path: opts.rulesFile };
  const stored = opts.dataDir ? join(opts.dataDir, STORED_RULES) : undefined;
  if (stored && existsSync(stored)) return { kind: 'stored', path: stored };
  return { kind: 'bundled', path: DEFAULT_RULES_FILE };
}

/** Who asks for a reload: a key over the API, or a signal to the process. */
export type RuleActor = { via: 'api'; key: { id: string; name: string } } | { via: 'signal' };

export interface ReloadResult {
  rules: number;
  /** Where the text came from: the file read again, or "request body". */
  source: string;
  /** Where the new text was stored, or null when it was not (a reread, or no data folder). */
  stored: string | null;
  change: RuleChange;
}

export const MAX_REASON_CHARS = 500;

/** Writes `text` to `path` so that a crash leaves either the old file or the new one, never half of one. */
function writeDurably(path: string, text: string, commit: () => Promise<void>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return commit().then(
    () => renameSync(tmp, path),
    (e) => {
      rmSync(tmp, { force: true });
      throw e;
    },
  );
}

export class RuleAdmin {
  private source: RuleSource;
  private current: RuleSet;
  /** Reloads run one at a time, so two texts never interleave between file, record and engine. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      source: RuleSource;
      initial: RuleSet;
      engine: Pick<StreamEngine, 'setRules' | 'ruleHits'>;
      repo: DetectionRepository;
      /** The folder a reload's text is stored in; none: kept in memory only (tests). */
      dataDir?: string;
      limits?: RuleLimits;
      now?: () => Date;
    },
  ) {
    this.source = deps.source;
    this.current = deps.initial;
  }

  get rules(): RuleSet {
    return this.current;
  }

  /** Where the rules in force were read from. */
  get origin(): RuleSource {
    return this.source;
  }

  /**
   * Reloads from the file in force, or puts `text` in force and stores it in the data folder. Refused,
   * with the running rules left alone, when the text is bad or a configured file owns the rules.
   */
  reload(actor: RuleActor, opts: { text?: string; reason?: string } = {}): Promise<ReloadResult> {
    const run = this.queue.then(() => this.reloadNow(actor, opts));
    this.queue = run.catch(() => {});
    return run;
  }

  private async reloadNow(actor: RuleActor, opts: { text?: string; reason?: string }): Promise<ReloadResult> {
    const limits = this.deps.limits ?? RULE_LIMITS;
    const reason = opts.reason?.trim() || undefined;
    if (reason && [...reason].length > MAX_REASON_CHARS)
      throw new AppError(
        'invalid_input',
        {
          en: `The reason is ${[...reason].length} characters long; at most ${MAX_REASON_CHARS} are accepted.`,
          zh: `原因长 ${[...reason].length} 个字符；最多 ${MAX_REASON_CHARS} 个。`,
        },
        [{ field: 'reason', reason: `must be at most ${MAX_REASON_CHARS} characters` }],
      );
    const fromBody = opts.text !== undefined;
    if (fromBody && this.source.kind === 'configured')
      throw new AppError('conflict', {
        en: `The rules come from ${this.source.path} (TIANPING_RULES), which a restart would load again: edit that file and reload without a body, or unset TIANPING_RULES to keep the rules in the data folder.`,
        zh: `规则来自 ${this.source.path}（TIANPING_RULES），重启后仍会加载该文件：请编辑该文件后不带请求体重新加载，或取消 TIANPING_RULES，改由数据目录保存规则。`,
      });
    const text = opts.text ?? readRulesText(this.source.path, limits);
    const source = fromBody ? 'request body' : this.source.path;
    const next = parseRules(text, source, limits);
    const storedPath = fromBody && this.deps.dataDir ? join(this.deps.dataDir, STORED_RULES) : undefined;
    let change: RuleChange | undefined;
    const record = async () => {
      change = await this.deps.repo.recordRuleChange({
        at: (this.deps.now?.() ?? new Date()).toISOString(),
        ...(actor.via === 'api' ? { via: 'api', key: actor.key } : { via: 'signal' }),
        reason,
        source,
        storedPath,
        sha256: createHash('sha256').update(text).digest('hex'),
        rules: next.rules.length,
        text,
      });
    };
    // The record is committed before the new file takes the old one's place, so no change goes unrecorded.
    if (storedPath) await writeDurably(storedPath, text, record);
    else await record();
    this.deps.engine.setRules(next);
    if (storedPath) this.source = { kind: 'stored', path: storedPath };
    this.current = { ...next, source: storedPath ?? source };
    return { rules: next.rules.length, source, stored: storedPath ?? null, change: change! };
  }

  status(): RuleStatus[] {
    const hits = new Map(this.deps.engine.ruleHits().map((h) => [h.rule, h]));
    return this.current.rules.map((r) => {
      const h = hits.get(r.id);
      return {
        rule: r.id,
        kind: r.kind,
        mode: r.mode,
        hits: h?.hits ?? 0,
        ...(h?.lastHitAt ? { last_hit_at: h.lastHitAt } : {}),
        description: r.description,
        basis: r.basis,
        weight: r.weight,
      };
    });
  }

  history(limit: number, before?: number): Promise<RuleChange[]> {
    return this.deps.repo.listRuleChanges(limit, before);
  }

  change(id: number): Promise<(RuleChange & { text: string }) | undefined> {
    return this.deps.repo.getRuleChange(id);
  }
}
