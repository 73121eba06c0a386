// Ground truth files (`truth.ndjson`: one line per abusive subject) and honest cohorts.
import { readFileSync } from 'node:fs';
import { SUBJECT_KINDS, type SubjectKind } from '../detect/index.ts';
import { AppError } from '../platform/errors.ts';

/**
 * kind → id → the schemes it is labelled with. A label with a mode other than classic is also listed as
 * `scheme:mode` (e.g. `extortion:adaptive`), so evaluation reports each scheme's modes apart too.
 */
export type Truth = Record<SubjectKind, Map<string, string[]>>;

export function loadTruth(path: string): Truth {
  const t = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, new Map<string, string[]>()])) as Truth;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r: { kind?: string; id?: string; scheme?: string; mode?: string };
      try {
        r = JSON.parse(line);
      } catch {
        throw new AppError('invalid_input', {
          en: `${path} line ${i + 1}: not valid JSON.`,
          zh: `${path} 第 ${i + 1} 行：不是有效的 JSON。`,
        });
      }
      if (!r.kind || !(SUBJECT_KINDS as readonly string[]).includes(r.kind)) {
        throw new AppError('invalid_input', {
          en: `${path} line ${i + 1}: kind must be one of ${SUBJECT_KINDS.join(', ')}.`,
          zh: `${path} 第 ${i + 1} 行：kind 必须是 ${SUBJECT_KINDS.join('、')} 之一。`,
        });
      }
      if (typeof r.id !== 'string')
        throw new AppError('invalid_input', {
          en: `${path} line ${i + 1}: id must be a string.`,
          zh: `${path} 第 ${i + 1} 行：id 必须是字符串。`,
        });
      const m = t[r.kind as SubjectKind];
      const l = m.get(r.id) ?? [];
      if (r.scheme && !l.includes(r.scheme)) l.push(r.scheme);
      const moded = r.scheme && r.mode && r.mode !== 'classic' ? `${r.scheme}:${r.mode}` : undefined;
      if (moded && !l.includes(moded)) l.push(moded);
      m.set(r.id, l);
    });
  return t;
}

export function positives(t: Truth): Record<SubjectKind, Set<string>> {
  return Object.fromEntries(SUBJECT_KINDS.map((k) => [k, new Set(t[k].keys())])) as Record<
    SubjectKind,
    Set<string>
  >;
}
