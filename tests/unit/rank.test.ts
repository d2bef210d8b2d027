import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRank, rankBetween } from '../../src-main/domain/rank.js';

describe('fractional ranks', () => {
  it('a rank between two others sorts strictly between them', () => {
    const rank = fc
      .array(fc.tuple(fc.nat({ max: 2 }), fc.nat()), { maxLength: 60 })
      .map((steps) => {
        // Build valid ranks the way the board does: appends, prepends and inserts.
        let list: string[] = [];
        for (const [kind, at] of steps) {
          if (kind === 0) list = [...list, rankBetween(list[list.length - 1] ?? null, null)];
          else if (kind === 1) list = [rankBetween(null, list[0] ?? null), ...list];
          else {
            const i = at % (list.length + 1);
            list.splice(i, 0, rankBetween(list[i - 1] ?? null, list[i] ?? null));
          }
        }
        return list.length ? list[steps.length % list.length]! : 'a0';
      });
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

  it('refuses bounds in the wrong order and malformed ranks', () => {
    expect(() => rankBetween('a1', 'a0')).toThrow();
    expect(() => rankBetween('not a rank', null)).toThrow();
  });

  it('appending stays short: keys grow logarithmically, not linearly', () => {
    let last: string | null = null;
    for (let i = 0; i < 100_000; i++) last = rankBetween(last, null);
    expect(last!.length).toBeLessThanOrEqual(4);
    let first: string | null = null;
    for (let i = 0; i < 10_000; i++) first = rankBetween(null, first);
    expect(first!.length).toBeLessThanOrEqual(4);
    expect(first! < 'a0').toBe(true);
  });
});
