import { describe, expect, it } from 'vitest';
import { memoize } from '../../src-main/domain/memo.js';

describe('memoize', () => {
  it('computes each argument once, remembers null results too, and stays bounded', () => {
    const calls: string[] = [];
    const f = memoize((k: string) => (calls.push(k), k === 'none' ? null : k.length), 3);
    expect([f('ab'), f('ab'), f('none'), f('none')]).toEqual([2, 2, null, null]);
    expect(calls).toEqual(['ab', 'none']);
    f('c');
    f('d'); // the fourth distinct key: the cache starts over
    f('ab');
    expect(calls).toEqual(['ab', 'none', 'c', 'd', 'ab']);
  });
});
