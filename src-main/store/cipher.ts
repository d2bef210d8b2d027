// Encryption at rest. The SQLite module is SQLite3MultipleCiphers (installed under the
// name better-sqlite3), set to SQLCipher 4's format so the file can also be opened with
// the sqlcipher shell given the key.
//
// A workspace key is either 32 random bytes (what the app makes; used as SQLCipher's raw
// key, so opening costs nothing) or a passphrase someone chose for web mode (run through
// SQLCipher's PBKDF2, ~0.1 s per connection). The random key is written for people as a
// recovery key: 52 Crockford base32 characters and a 4-character check, in groups of 4.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

export type DatabaseKey = { readonly raw: string } | { readonly passphrase: string };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 32;
const BODY_CHARS = Math.ceil((KEY_BYTES * 8) / 5); // 52
const CHECK_CHARS = 4;

export class RecoveryKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryKeyError';
  }
}

export function newDatabaseKey(): DatabaseKey {
  return { raw: randomBytes(KEY_BYTES).toString('hex') };
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

function checkOf(body: string): string {
  return base32(createHash('sha256').update(body).digest()).slice(0, CHECK_CHARS);
}

/** The recovery key as shown to a person: `XXXX-XXXX-…` (14 groups). Only a random key
 * has one; a passphrase is its own recovery key. */
export function recoveryKeyText(key: DatabaseKey): string | null {
  if (!('raw' in key)) return null;
  const body = base32(Buffer.from(key.raw, 'hex')).slice(0, BODY_CHARS);
  return `${body}${checkOf(body)}`.match(/.{1,4}/g)!.join('-');
}

/** Reads a recovery key as typed or pasted: case, spaces and dashes do not matter, and
 * O/I/L read as 0/1/1. Throws on a typo (the check group does not match). */
export function parseRecoveryKey(text: string): DatabaseKey {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== BODY_CHARS + CHECK_CHARS || !/^[0-9A-HJKMNP-TV-Z]+$/.test(clean))
    throw new RecoveryKeyError(
      `a recovery key has ${BODY_CHARS + CHECK_CHARS} letters and digits in groups of 4`,
    );
  const body = clean.slice(0, BODY_CHARS);
  if (checkOf(body) !== clean.slice(BODY_CHARS))
    throw new RecoveryKeyError('this recovery key has a typo (its last group does not match)');
  const bytes = unbase32(body)!.subarray(0, KEY_BYTES);
  return { raw: bytes.toString('hex') };
}

/** What `LEADBOOK_KEY` or a key file holds: a recovery key, 64 hex digits (a raw key), or
 * else a passphrase of at least 8 characters. */
export function keyFromText(text: string): DatabaseKey {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return { raw: t.toLowerCase() };
  const compact = t.replace(/[\s-]/g, '');
  if (compact.length === BODY_CHARS + CHECK_CHARS && /^[0-9a-z]+$/i.test(compact))
    return parseRecoveryKey(t);
  if (t.length < 8) throw new RecoveryKeyError('a workspace passphrase has at least 8 characters');
  return { passphrase: t };
}

/** `key`: must run first on a new connection, before anything reads the file. `rekey`:
 * encrypts an open plain file (not in WAL mode) with the key. */
export function applyKey(
  db: BetterSqlite3.Database,
  key: DatabaseKey,
  pragma: 'key' | 'rekey' = 'key',
): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // Both forms go in as hex, so no quote in a passphrase can break out of the pragma.
  if ('raw' in key) db.pragma(`${pragma} = "x'${key.raw}'"`);
  else db.pragma(`hex${pragma} = '${Buffer.from(key.passphrase, 'utf8').toString('hex')}'`);
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True when the file starts like a plain SQLite database; an encrypted file's first
 * bytes are random (SQLCipher keeps its salt there). */
export function isPlainDatabaseFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    return n === 16 && head.equals(SQLITE_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function sameKey(a: DatabaseKey | null | undefined, b: DatabaseKey | null | undefined) {
  if (!a || !b) return !a && !b;
  return 'raw' in a
    ? 'raw' in b && a.raw === b.raw
    : 'passphrase' in b && a.passphrase === b.passphrase;
}
