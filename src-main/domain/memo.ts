/** A pure function of one string, remembered for up to `max` distinct arguments (then
 * forgotten all at once: imports repeat the same phones, names and companies thousands of
 * times, and a bounded map needs no eviction bookkeeping). Only for pure functions whose
 * results are never mutated by callers. */
export function memoize<R>(fn: (key: string) => R, max = 20_000): (key: string) => R {
  const cache = new Map<string, R>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as R;
    const value = fn(key);
    if (cache.size >= max) cache.clear();
    cache.set(key, value);
    return value;
  };
}
