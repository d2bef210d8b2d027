// Typed money becomes integer minor units by decimal text, never through a float.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  majorToMinor,
  minorToMajorText,
  rescaleMinor,
} from '../../src-renderer/components/format.js';

describe('money typed by a user', () => {
  it('reads amounts exactly, in the currency’s minor units', () => {
    expect(majorToMinor('0.29', 'CNY')).toBe(29);
    expect(majorToMinor('12,345.50', 'CNY')).toBe(1_234_550);
    expect(majorToMinor('1 200', 'USD')).toBe(120_000);
    expect(majorToMinor('1200', 'JPY')).toBe(1200);
    expect(majorToMinor('9999999999', 'CNY')).toBe(999_999_999_900);
  });

  it('refuses what is not a plain non-negative amount', () => {
    for (const bad of ['', 'abc', '-5', '1.234', '1e5', '12.5.1', '¥100'])
      expect(majorToMinor(bad, 'CNY'), bad).toBeNaN();
    expect(majorToMinor('12.5', 'JPY')).toBeNaN();
  });

  it('round-trips every amount through the input text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 14 }),
        fc.constantFrom('CNY', 'USD', 'EUR', 'JPY', 'KWD'),
        (minor, currency) => majorToMinor(minorToMajorText(minor, currency), currency) === minor,
      ),
    );
  });

  it('keeps the written amount when a deal changes currency', () => {
    expect(rescaleMinor(1_200_050, 'CNY', 'USD')).toBe(1_200_050); // 12,000.50 → 12,000.50
    expect(rescaleMinor(1_200_050, 'CNY', 'JPY')).toBe(12_001); // no minor unit: rounded
    expect(rescaleMinor(12_001, 'JPY', 'CNY')).toBe(1_200_100);
    expect(rescaleMinor(5, 'KWD', 'CNY')).toBe(1); // 0.005 KWD (3 digits) → 0.01
  });
});
