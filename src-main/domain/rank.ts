// Fractional ranks: strings whose order places a card between two others without
// renumbering the column. Base-62 digits, compared as plain strings (ASCII order).

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

function digit(s: string, i: number, fallback: number): number {
  return i < s.length ? DIGITS.indexOf(s[i]!) : fallback;
}

export function isRank(s: string): boolean {
  return /^[0-9A-Za-z]*[1-9A-Za-z]$/.test(s);
}

/** A rank strictly between `before` and `after` (either may be null for an open end). */
export function rankBetween(before: string | null, after: string | null): string {
  const a = before ?? '';
  const b = after;
  if (b !== null && a >= b) throw new Error(`rankBetween: "${a}" is not before "${b}"`);
  let out = '';
  for (let i = 0; ; i++) {
    const lo = digit(a, i, 0);
    const hi = b === null ? BASE : digit(b, i, BASE);
    if (hi - lo > 1) {
      return out + DIGITS[Math.floor((lo + hi) / 2)]!;
    }
    // No room at this digit: keep the lower digit and look one place further.
    out += DIGITS[lo]!;
    if (b !== null && hi > lo) {
      // From here on `b` no longer bounds us (our prefix is already below it).
      return out + rankBetween(a.slice(i + 1) || null, null);
    }
  }
}
