// Ground truth files (`truth.ndjson`: one line per abusive subject) and honest cohorts.
import { readFileSync } from 'node:fs';
import { SUBJECT_KINDS, type SubjectKind } from '../detect/index.ts';

export type Truth = Record<SubjectKind, Map<string, string[]>>;

export function loadTruth(path: string): Truth {
  const t = Object.fromEntries(SUBJECT_KINDS.map((k) => [k, new Map<string, string[]>()])) as Truth;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r: { kind?: string; id?: string; scheme?: string };
      try {
        r = JSON.parse(line);
      } catch {
        throw new Error(`${path} line ${i + 1}: not valid JSON`);
      }
      if (!r.kind || !(SUBJECT_KINDS as readonly string[]).includes(r.kind)) {
        throw new Error(`${path} line ${i + 1}: kind must be one of ${SUBJECT_KINDS.join(', ')}`);
      }
      if (typeof r.id !== 'string') throw new Error(`${path} line ${i + 1}: id must be a string`);
      const m = t[r.kind as SubjectKind];
      const l = m.get(r.id) ?? [];
      if (r.scheme && !l.includes(r.scheme)) l.push(r.scheme);
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
