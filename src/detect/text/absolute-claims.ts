// Banned absolute claims in listings (广告法 Art. 9(3), 绝对化用语). Lawful uses named in SAMR's guide — usage
// tips, grades set by a standard, true background, first-time wording, goals — are removed before matching,
// so "最佳食用期" or "第一次使用" never count. Word lists come from the rule file (rules are data); the words
// are literal and the lawful uses linear-time patterns, so no file makes a listing slow to read.
import { LinearPattern } from './patterns.ts';
import { WordMatcher } from './word-matcher.ts';

export interface ClaimLexicon {
  /** Terms that are a claim wherever they stand (after lawful uses are removed). */
  terms: string[];
  /** Patterns (RE2 syntax) of lawful uses, removed before matching. */
  allowed: string[];
  /** Terms that make any claim more serious: health effects, returns on money (never minor). */
  aggravating: string[];
  /** base + per_extra_term × (distinct terms − 1), + in_title, + aggravated. */
  score: ClaimScore;
}

export interface ClaimScore {
  base: number;
  per_extra_term: number;
  in_title: number;
  aggravated: number;
}

export interface ClaimHit {
  term: string;
  /** The words around the hit, for the person checking. */
  snippet: string;
  field: 'title' | 'description';
}

export interface ClaimFinding {
  hits: ClaimHit[];
  aggravated: boolean;
  score: number;
}

export interface CompiledLexicon {
  /** Leftmost-longest, so "全网最低价" wins over "最低价". */
  terms: WordMatcher;
  allowed: LinearPattern[];
  aggravating: WordMatcher | undefined;
  score: ClaimScore;
}

export function compileLexicon(lex: ClaimLexicon): CompiledLexicon {
  return {
    terms: new WordMatcher(lex.terms),
    allowed: lex.allowed.map((a) => new LinearPattern(a)),
    aggravating: lex.aggravating.length ? new WordMatcher(lex.aggravating) : undefined,
    score: lex.score,
  };
}

/** Characters that separate nothing a reader sees: blanks and zero-width marks. */
const INVISIBLE = /^[\s\u200b-\u200d\u2060\ufeff]*$/u;
/** Marks a reader skips when they stand inside a word (销量·第一, N-o.1, 全网*第一), not between words. */
const INNER_MARK = /^[·・•*\-_.丨|/\\~～]$/u;
const WORD = /^[\p{Script=Han}A-Za-z0-9]$/u;
/** Formal and circled numerals read as the plain ones (第壹 → 第一); NFKC already turns ① into 1. */
const NUMERALS: Record<string, string> = { 壹: '一', 弌: '一', 貳: '二', 贰: '二', 叁: '三', 參: '三' };
const BLANK = '\u0000';

/**
 * The text as a reader takes it in: NFKC folds full-width and compatibility forms (ＮＯ.１ → NO.1); blanks
 * between characters are dropped (全 网 第 一 → 全网第一), and so are marks inside a word (销量·第一,
 * N-o.1); formal numerals read as plain ones, and 第1 as 第一, since spelling a claim around a keyword
 * filter does not make it lawful: the shopper still reads the claim. `at[i]` is where the i-th code unit
 * came from in the original, for snippets.
 */
export function readable(text: string): { text: string; at: number[] } {
  const chars: Array<{ n: string; i: number }> = [];
  let i = 0;
  for (const ch of text) {
    let n = ch.normalize('NFKC');
    n = NUMERALS[n] ?? n;
    if (!INVISIBLE.test(n)) chars.push({ n, i });
    i += ch.length;
  }
  let out = '';
  const at: number[] = [];
  let prev = '';
  for (let k = 0; k < chars.length; k++) {
    let { n } = chars[k];
    const next = chars[k + 1]?.n ?? '';
    if (INNER_MARK.test(n) && WORD.test(prev) && WORD.test(next)) continue;
    if (n === '1' && prev === '第' && !/^[0-9]$/.test(next)) n = '一';
    out += n;
    for (let q = 0; q < n.length; q++) at.push(chars[k].i);
    prev = n.length === 1 ? n : '';
  }
  return { text: out, at };
}

/** `text` with every match of `p` replaced by as many placeholders, so positions still line up. */
function blank(text: string, p: LinearPattern): string {
  let out = '';
  let at = 0;
  for (const m of p.matches(text)) {
    if (m.length === 0) continue;
    out += text.slice(at, m.index) + BLANK.repeat(m.length);
    at = m.index + m.length;
  }
  return at === 0 ? text : out + text.slice(at);
}

function scan(text: string, lex: CompiledLexicon, field: ClaimHit['field'], out: ClaimHit[], brand?: string) {
  const seen = readable(text);
  let cleaned = seen.text;
  // A trademark that happens to contain 最 or 第一 is an allowed use.
  const b = brand ? readable(brand).text : '';
  if (b.length >= 2) cleaned = cleaned.split(b).join(BLANK.repeat(b.length));
  // Blank out lawful uses with a placeholder of the same length, so positions still line up.
  for (const p of lex.allowed) cleaned = blank(cleaned, p);
  for (const m of lex.terms.findAll(cleaned)) {
    const start = seen.at[m.start];
    const end = seen.at[m.end - 1] + 1;
    out.push({
      term: cleaned.slice(m.start, m.end),
      snippet: text.slice(Math.max(0, start - 8), end + 8),
      field,
    });
  }
}

export function findClaims(
  listing: { title: string; description?: string; brand?: string },
  lex: CompiledLexicon,
): ClaimFinding {
  const hits: ClaimHit[] = [];
  scan(listing.title, lex, 'title', hits, listing.brand);
  if (listing.description) scan(listing.description, lex, 'description', hits, listing.brand);
  const text = `${listing.title} ${listing.description ?? ''}`;
  const aggravated = hits.length > 0 && !!lex.aggravating?.test(text);
  const distinct = new Set(hits.map((h) => h.term.toLowerCase())).size;
  // One clear term is already a violation; more distinct terms, a title hit, or health/finance make it surer.
  const w = lex.score;
  const score =
    hits.length === 0
      ? 0
      : Math.min(
          1,
          w.base +
            w.per_extra_term * (distinct - 1) +
            (hits.some((h) => h.field === 'title') ? w.in_title : 0) +
            (aggravated ? w.aggravated : 0),
        );
  return { hits, aggravated, score };
}
