// Fractional ranks: strings whose order places a card between two others without
// renumbering the column (the scheme of rocicorp's fractional-indexing). A key is an
// integer part — a head letter giving its length, then base-62 digits — followed by an
// optional fraction. Appending at either end increments or decrements the integer part,
// so keys grow logarithmically (a million appends need 5 characters), not linearly;
// inserting between two neighbours extends the fraction.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = DIGITS[0]!;
const SMALLEST_INTEGER = `A${ZERO.repeat(26)}`;

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 'a'.charCodeAt(0) + 2;
  if (head >= 'A' && head <= 'Z') return 'Z'.charCodeAt(0) - head.charCodeAt(0) + 2;
  throw new Error(`invalid rank head: ${head}`);
}

function integerPart(key: string): string {
  const len = integerLength(key[0]!);
  if (len > key.length) throw new Error(`invalid rank: ${key}`);
  return key.slice(0, len);
}

function isValidInteger(int: string): boolean {
  return (
    int.length === integerLength(int[0]!) && [...int.slice(1)].every((c) => DIGITS.includes(c))
  );
}

export function isRank(key: string): boolean {
  try {
    if (!key || key === SMALLEST_INTEGER) return false;
    const int = integerPart(key);
    if (!isValidInteger(int)) return false;
    const frac = key.slice(int.length);
    return [...frac].every((c) => DIGITS.includes(c)) && !frac.endsWith(ZERO);
  } catch {
    return false;
  }
}

/** A fraction strictly between a and b ("" = 0, null = 1), with no trailing zero. */
function midpoint(a: string, b: string | null): string {
  if (b !== null && a >= b) throw new Error(`${a} >= ${b}`);
  if (b !== null) {
    // Shared prefix: keep it, find the midpoint of what follows.
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a ? DIGITS.indexOf(a[0]!) : 0;
  const digitB = b !== null ? DIGITS.indexOf(b[0]!) : DIGITS.length;
  if (digitB - digitA > 1) return DIGITS[Math.round(0.5 * (digitA + digitB))]!;
  // Adjacent digits: take a's first digit and find a midpoint after it.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[digitA]! + midpoint(a.slice(1), null);
}

function incrementInteger(x: string): string | null {
  const [head, ...digs] = [...x];
  let carry = true;
  for (let i = digs.length - 1; carry && i >= 0; i--) {
    const d = DIGITS.indexOf(digs[i]!) + 1;
    if (d === DIGITS.length) digs[i] = ZERO;
    else {
      digs[i] = DIGITS[d]!;
      carry = false;
    }
  }
  if (!carry) return head! + digs.join('');
  if (head === 'Z') return `a${ZERO}`;
  if (head === 'z') return null;
  const h = String.fromCharCode(head!.charCodeAt(0) + 1);
  if (h > 'a') digs.push(ZERO);
  else digs.pop();
  return h + digs.join('');
}

function decrementInteger(x: string): string | null {
  const [head, ...digs] = [...x];
  let borrow = true;
  for (let i = digs.length - 1; borrow && i >= 0; i--) {
    const d = DIGITS.indexOf(digs[i]!) - 1;
    if (d === -1) digs[i] = DIGITS[DIGITS.length - 1]!;
    else {
      digs[i] = DIGITS[d]!;
      borrow = false;
    }
  }
  if (!borrow) return head! + digs.join('');
  if (head === 'a') return `Z${DIGITS[DIGITS.length - 1]}`;
  if (head === 'A') return null;
  const h = String.fromCharCode(head!.charCodeAt(0) - 1);
  if (h < 'Z') digs.push(DIGITS[DIGITS.length - 1]!);
  else digs.pop();
  return h + digs.join('');
}

/** A rank strictly between `before` and `after` (either may be null for an open end). */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && !isRank(before)) throw new Error(`invalid rank: ${before}`);
  if (after !== null && !isRank(after)) throw new Error(`invalid rank: ${after}`);
  if (before !== null && after !== null && before >= after) {
    throw new Error(`rankBetween: "${before}" is not before "${after}"`);
  }
  if (before === null) {
    if (after === null) return `a${ZERO}`;
    const ib = integerPart(after);
    const fb = after.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint('', fb);
    if (ib < after) return ib;
    const dec = decrementInteger(ib);
    if (dec === null) throw new Error('cannot rank before the smallest key');
    return dec;
  }
  const ia = integerPart(before);
  const fa = before.slice(ia.length);
  if (after === null) {
    const inc = incrementInteger(ia);
    return inc === null ? ia + midpoint(fa, null) : inc;
  }
  const ib = integerPart(after);
  const fb = after.slice(ib.length);
  if (ia === ib) return ia + midpoint(fa, fb);
  const inc = incrementInteger(ia);
  if (inc === null) throw new Error('cannot rank after the largest key');
  return inc < after ? inc : ia + midpoint(fa, null);
}
