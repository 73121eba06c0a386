// Patterns from the rule file (chat offers, money demands, lawful uses of a claim word) run in time linear
// in the text: RE2's engine (re2js, pure JavaScript) rather than V8's backtracking one, where `(a+)+b`
// takes seconds over 32 characters. RE2 syntax is JavaScript's without lookaround and backreferences;
// `\s` and `\uXXXX` are read as JavaScript reads them, so a file written for RegExp keeps its meaning.
// Entries without any pattern syntax are words, and go to the word matcher.
import { RE2JS } from 're2js';
import { WordMatcher } from './word-matcher.ts';

/** What a word or pattern list is used for: does it occur in a text? */
export interface TextTest {
  test(text: string): boolean;
}

/** JavaScript's `\s`, as the inside of an RE2 class. */
const SPACE =
  '\\t-\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
const SYNTAX = /[\\.+*?()|[\]{}^$]/;

/** An entry with no pattern syntax in it: a word. */
export const isWord = (entry: string) => !SYNTAX.test(entry);

/** The RE2 spelling of a JavaScript pattern (`\s`, `\S`, `\uXXXX`); RE2 itself judges the rest. */
export function toRe2(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1];
      const hex = /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))
        ? source.slice(i + 2, i + 6)
        : undefined;
      if (n === 's') out += inClass ? SPACE : `[${SPACE}]`;
      else if (n === 'S' && !inClass) out += `[^${SPACE}]`;
      else if (n === 'u' && hex) {
        out += `\\x{${hex}}`;
        i += 4;
      } else out += c + n;
      i++;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A `]` first in a class (after any `^`) is a member, not the end.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

export class LinearPattern implements TextTest {
  private readonly re: RE2JS;

  /** Throws a RE2JS exception when RE2 cannot read the pattern (see `patternProblem`). */
  constructor(readonly source: string) {
    this.re = RE2JS.compile(toRe2(source), RE2JS.CASE_INSENSITIVE);
  }

  /** RE2's measure of the work per character of text. */
  get programSize(): number {
    return this.re.programSize();
  }

  test(text: string): boolean {
    return this.re.test(text);
  }

  /** Every match, leftmost first and none overlapping, as `text.matchAll(/…/gi)` gives them. */
  *matches(text: string): Generator<{ index: number; length: number }> {
    for (const m of this.re.matchAll(text)) yield { index: m.index ?? 0, length: m[0].length };
  }
}

/** RE2's program size for `source`, or why it cannot be a pattern (in English, for the rule-file error). */
export function checkPattern(source: string, maxProgram: number): { size: number } | { problem: string } {
  let p: LinearPattern;
  try {
    p = new LinearPattern(source);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`');
    return {
      problem: `is not a pattern that can be matched in linear time (RE2 syntax: no lookaround, no backreferences): ${why}`,
    };
  }
  const size = p.programSize;
  if (size > maxProgram)
    return {
      problem: `is too complex: RE2 compiles it to ${size} steps, at most ${maxProgram} are accepted`,
    };
  return { size };
}

const NEVER: TextTest = { test: () => false };

/** A list of literal words. */
export function wordTest(words: readonly string[]): TextTest {
  return words.length ? new WordMatcher(words) : NEVER;
}

/** A list of patterns: does any of them occur? Plain words among them go to the word matcher. */
export function patternTest(entries: readonly string[]): TextTest {
  const words = entries.filter(isWord);
  const rest = entries.filter((e) => !isWord(e));
  const w = words.length ? new WordMatcher(words) : undefined;
  const p = rest.length ? new LinearPattern(rest.map((e) => `(?:${e})`).join('|')) : undefined;
  if (!p) return w ?? NEVER;
  if (!w) return p;
  return { test: (text) => w.test(text) || p.test(text) };
}
