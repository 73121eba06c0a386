// Word lists from the rule file become one regular expression each, compiled once per list: a reload
// brings new arrays, and so new expressions.
export function patternCache(): (list: string[]) => RegExp {
  const cache = new WeakMap<string[], RegExp>();
  return (list) => {
    let re = cache.get(list);
    if (!re) cache.set(list, (re = new RegExp(list.join('|'), 'i')));
    return re;
  };
}
