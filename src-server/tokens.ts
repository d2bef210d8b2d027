// Device tokens: 256 random bits, shown once when made and stored only as a SHA-256 hash.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const PREFIX = 'lbt_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A plausible token: cheap to reject garbage before touching the database. */
export function looksLikeToken(token: string): boolean {
  return token.length >= 16 && token.length <= 200 && /^[A-Za-z0-9_-]+$/.test(token);
}

export function newEpoch(): string {
  return randomUUID();
}
