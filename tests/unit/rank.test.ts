import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRank, rankBetween } from '../../src-main/domain/rank.js';

describe('fractional ranks', () => {
  it('a rank between two others sorts strictly between them', () => {
    const rank = fc.stringMatching(/^[0-9A-Za-z]{0,5}[1-9A-Za-z]$/);
    fc.assert(
      fc.property(rank, rank, (x, y) => {
        fc.pre(x !== y);
        const [lo, hi] = x < y ? [x, y] : [y, x];
        const mid = rankBetween(lo, hi);
        expect(lo < mid && mid < hi).toBe(true);
        expect(isRank(mid)).toBe(true);
      }),
    );
  });

  it('repeated inserts at the same spot, at either end, keep order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (choices) => {
        const list: string[] = [];
        for (const c of choices) {
          const i = c % (list.length + 1);
          list.splice(i, 0, rankBetween(list[i - 1] ?? null, list[i] ?? null));
        }
        expect([...list].sort()).toEqual(list);
        expect(new Set(list).size).toBe(list.length);
      }),
    );
  });

  it('refuses bounds in the wrong order', () => {
    expect(() => rankBetween('b', 'a')).toThrow();
  });
});
