// How big a rule file may be. Each limit is far above the bundled file (in brackets) and low enough that no
// accepted file makes detection slow: the cost of a listing or a chat message grows with the patterns'
// program size, and the cost of every event with the number of rules.
export interface RuleLimits {
  /** Bytes of YAML (bundled: 16 KB). */
  fileBytes: number;
  /** Rules in the file (bundled: 14). Each costs every event some work: 100 copies of the bundled kinds
   * stream at ~15k events/s on the bench's market, against ~55k for the bundled 14. */
  rules: number;
  /** Words and patterns in all of one rule's lists (bundled: 60 at most). */
  wordsPerRule: number;
  /** Characters of one word (bundled: 8 at most). */
  wordChars: number;
  /** Characters of one pattern (bundled: 80 at most). */
  patternChars: number;
  /** RE2 program size of one pattern: the work per character of text it costs (bundled: 109 at most). */
  patternProgram: number;
  /** RE2 program size of every pattern in the file together (bundled: 714). */
  patternProgramTotal: number;
}

export const RULE_LIMITS: Readonly<RuleLimits> = Object.freeze({
  fileBytes: 1024 * 1024,
  rules: 100,
  wordsPerRule: 1000,
  wordChars: 64,
  patternChars: 256,
  patternProgram: 1000,
  patternProgramTotal: 10_000,
});
