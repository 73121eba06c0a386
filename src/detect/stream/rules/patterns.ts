// Word and pattern lists from the rule file, compiled once per list: a reload brings new arrays, and so new
// matchers. Both match in time linear in the text (src/detect/text/patterns.ts).
import { patternTest, type TextTest, wordTest } from '../../text/patterns.ts';

export function patternCache(): { words(list: string[]): TextTest; patterns(list: string[]): TextTest } {
  const cache = new WeakMap<string[], TextTest>();
  const get = (list: string[], make: (l: string[]) => TextTest) => {
    let t = cache.get(list);
    if (!t) cache.set(list, (t = make(list)));
    return t;
  };
  return { words: (list) => get(list, wordTest), patterns: (list) => get(list, patternTest) };
}
