// Device tokens: 256 random bits, shown once when made and stored only as a SHA-256 hash.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const PREFIX = 'lbt_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** A one-time invite code (single use, expires): 160 random bits. */
export function newInviteCode(): string {
  return 'lbi_' + randomBytes(20).toString('base64url');
}

/** A website form's public key (it sits in the form's HTML). */
export function newFormKey(): string {
  return 'lbf_' + randomBytes(18).toString('base64url');
}

/** The key that signs a workspace's `.leadbook-sync` files. */
export function newFileKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The HLC node id of a workspace's own entries. */
export function newServerNodeId(): string {
  return randomBytes(8).toString('hex');
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
