// Pairing, devices and roles of a synced team, declared once for the server (src-server),
// the laptop's sync engine and the app. docs/sync.md › Trust model explains them in prose.
import { z } from 'zod';
import { leadSourceSchema, userRoles, type UserRole } from './enums.js';
import { NODE_ID_PATTERN } from './sync.js';

/** A member's role on a sync server is the team member's role (lowest first). */
export const memberRoles = userRoles;
export type MemberRole = UserRole;
export const memberRoleSchema = z.enum(memberRoles);

/** Team configuration: written by admins and managers only (the server refuses a rep's
 * entry; the app shows these settings read-only to a rep). Each table names the columns a
 * rep's laptop may still write to it — the round-robin cursor moves when a rep's capture is
 * assigned by the team's rules. */
export const TEAM_CONFIG_TABLES: Readonly<Record<string, readonly string[]>> = {
  stages: [],
  scoring_rules: [],
  assignment_rules: ['rr_cursor'],
  targets: [],
  users: [],
  settings: [],
  custom_fields: [],
};

/** True when writing these fields of this table is team configuration. */
export function isTeamConfigWrite(table: string, fields: Iterable<string>): boolean {
  const allowed = TEAM_CONFIG_TABLES[table];
  if (!allowed) return false;
  for (const f of fields) if (!allowed.includes(f)) return true;
  return false;
}

export function mayWriteTeamConfig(role: string | null | undefined): boolean {
  return role === 'admin' || role === 'manager';
}

/** How long an invite code works. */
export const INVITE_TTL_MS = 24 * 60 * 60 * 1000;

/** A one-time code: `lbi_` + 160 random bits (base64url). */
export const INVITE_CODE_PATTERN = /^lbi_[A-Za-z0-9_-]{20,60}$/;
/** A certificate's SHA-256 fingerprint, hex without separators. */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;

export const joinRequestSchema = z.strictObject({
  code: z.string().trim().regex(INVITE_CODE_PATTERN, 'not an invite code'),
  nodeId: z.string().regex(NODE_ID_PATTERN),
  /** The computer's name, to tell a person's laptops apart in the device list. */
  label: z.string().trim().max(80).optional(),
  /** Who uses this laptop today: an admin code (which names nobody) keeps that person. */
  user: z
    .strictObject({
      id: z
        .string()
        .min(1)
        .max(100)
        .regex(/^[\x21-\x7e]+$/)
        .optional(),
      name: z.string().trim().min(1).max(120),
    })
    .optional(),
});
export type JoinRequest = z.input<typeof joinRequestSchema>;

export interface JoinResponse {
  /** This device's token: kept by the laptop, never shown. */
  token: string;
  workspace: { id: string; name: string };
  user: { id: string; name: string; role: MemberRole };
  device: { id: string };
}

export const inviteRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  role: memberRoleSchema,
  /** An existing team member (their leads stay theirs); otherwise a new one is made. */
  userId: z.string().min(1).max(100).optional(),
});
export type InviteRequest = z.input<typeof inviteRequestSchema>;

export interface InviteResponse {
  code: string;
  expiresAt: number;
  name: string;
  role: MemberRole;
}

/** An invite as the app shows it: the link (and its QR code) to hand over. */
export interface TeamInvite extends InviteResponse {
  link: string;
}

/** A device as an admin sees it. */
export interface TeamDevice {
  id: string;
  memberId: string;
  member: string;
  role: string;
  label: string | null;
  appVersion: string | null;
  createdAt: number;
  lastSeenAt: number | null;
  /** Entries the laptop said were waiting to go up, at its last hello. */
  waiting: number | null;
  revokedAt: number | null;
}

// ---- the join link (pasted, or read from a QR code) ----

export const JOIN_LINK_PREFIX = 'leadbook://join';

export interface JoinLink {
  server: string;
  code: string;
  /** A hub's certificate fingerprint: the laptop pins it. */
  fingerprint?: string | undefined;
}

export function formatJoinLink(link: JoinLink): string {
  const q = new URLSearchParams({ server: link.server, code: link.code });
  if (link.fingerprint) q.set('fp', link.fingerprint);
  return `${JOIN_LINK_PREFIX}?${q}`;
}

/** Reads a join link; null when the text is not one (a typo, half a link). */
export function parseJoinLink(text: string): JoinLink | null {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(JOIN_LINK_PREFIX)) return null;
  const q = new URLSearchParams(trimmed.slice(trimmed.indexOf('?') + 1));
  const server = (q.get('server') ?? '').trim().replace(/\/+$/, '');
  const code = (q.get('code') ?? '').trim();
  const fp = normaliseFingerprint(q.get('fp') ?? '');
  if (!/^https?:\/\/[^\s/]+/i.test(server) || !INVITE_CODE_PATTERN.test(code)) return null;
  if (q.get('fp') && !fp) return null;
  return { server, code, ...(fp ? { fingerprint: fp } : {}) };
}

/** `AB:CD:…` (as Node and browsers print it) or plain hex → lower-case hex, or null. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/[:\s]/g, '').toLowerCase();
  return FINGERPRINT_PATTERN.test(hex) ? hex : null;
}

// ---- the booth hub (one laptop serving sync over the local network) ----

export interface HubStatus {
  on: boolean;
  /** The address other laptops use (https://<this laptop's LAN address>:<port>). */
  url: string | null;
  /** SHA-256 of the hub's self-signed certificate (hex): carried by its QR code. */
  fingerprint: string | null;
  /** This laptop's local-network addresses the hub can serve on. */
  addresses: string[];
  /** Why the hub could not start (no network, port taken), in the server's words. */
  problem: string | null;
}

export const hubStartInput = z.strictObject({
  /** One of this laptop's addresses (tests and single-interface setups pass 127.0.0.1). */
  host: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F:.]{2,45}$/, 'not an IP address')
    .optional(),
  port: z.number().int().min(0).max(65535).optional(),
});
export type HubStartInput = z.infer<typeof hubStartInput>;

// ---- sync by file (no network at all) ----

/** The extension of a sync file (passed by USB stick, AirDrop, e-mail or WeChat). */
export const SYNC_FILE_EXTENSION = '.leadbook-sync';

/** What "Receive a file" did. */
export interface SyncFileImport {
  /** The laptop that wrote it. */
  from: string;
  entries: number;
  applied: number;
  duplicates: number;
}

/** The team this laptop exchanges sync files with (null: none yet). */
export interface FileSyncStatus {
  workspace: string | null;
  /** Laptops met through files: name, when their last file came, what they confirmed. */
  peers: { name: string; lastFileAt: number | null }[];
  /** Entries the next file would carry (since the oldest confirmation). */
  pending: number;
}

export const FILE_PAIR_PREFIX = 'leadbook://pair-file';

export interface FilePairLink {
  workspace: string;
  name: string;
  key: string;
}

export function formatFilePairLink(link: FilePairLink): string {
  const q = new URLSearchParams({ workspace: link.workspace, name: link.name, key: link.key });
  return `${FILE_PAIR_PREFIX}?${q}`;
}

export function parseFilePairLink(text: string): FilePairLink | null {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(FILE_PAIR_PREFIX)) return null;
  const q = new URLSearchParams(trimmed.slice(trimmed.indexOf('?') + 1));
  const workspace = q.get('workspace') ?? '';
  const key = q.get('key') ?? '';
  const name = (q.get('name') ?? '').slice(0, 120);
  if (!/^[\x21-\x7e]{1,100}$/.test(workspace) || !/^[A-Za-z0-9_-]{43}$/.test(key)) return null;
  return { workspace, name: name || workspace, key };
}

// ---- conflicts ----

/** A value typed here and a concurrent one from elsewhere on the same field (see
 * docs/sync.md › Conflicts). Both stay in the log; "keep mine" writes mine again. */
export interface SyncConflict {
  id: number;
  table: string;
  rowId: string;
  /** The record's name, to find it from Settings. */
  record: string | null;
  field: string;
  mine: string | number | null;
  mineAt: number;
  mineAuthor: string | null;
  theirs: string | number | null;
  theirsAt: number;
  theirsAuthor: string | null;
  /** The laptop the other value was written on, when known. */
  theirsDevice: string | null;
  /** Which value the record holds after the merge (the newer one). */
  winner: 'mine' | 'theirs';
  /** When it was noticed here. */
  at: number;
  /** When someone chose a value here. */
  resolvedAt: number | null;
  /** When a later change to the same field (here or elsewhere) replaced both values. */
  supersededAt: number | null;
}

export const resolveConflictInput = z.strictObject({
  id: z.number().int().min(1),
  keep: z.enum(['mine', 'theirs']),
});

// ---- website forms → leads ----

/** A website form's public key: in the form's HTML, so not a secret — it only lets a
 * website post new leads (validated, size- and rate-limited). */
export const FORM_KEY_PATTERN = /^lbf_[A-Za-z0-9_-]{16,40}$/;
/** The hidden field that catches spam bots: a person never fills it. */
export const FORM_HONEYPOT = 'leadbook_hp';
/** The fields a form may post (anything else is kept in the lead's notes). */
export const formFields = ['name', 'company', 'email', 'phone', 'title', 'message'] as const;
export const utmFields = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;
export const formLimits = {
  /** One submission's body. */
  maxBodyBytes: 64 * 1024,
  /** Fields beyond the known ones, kept in the notes. */
  maxExtraFields: 20,
  maxExtraChars: 1_000,
  maxMessageChars: 5_000,
  /** Submissions per minute from one address. */
  perMinute: 10,
} as const;

export const formKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  source: leadSourceSchema.optional(),
  campaignId: z.string().min(1).max(100).optional(),
  /** Where a browser goes after a post (a thank-you page); JSON posts get JSON. */
  redirectUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/\S+$/i, 'must start with http:// or https://')
    .optional(),
});
export type FormKeyInput = z.input<typeof formKeyInput>;

export interface FormKey {
  key: string;
  name: string;
  source: string | null;
  campaignId: string | null;
  redirectUrl: string | null;
  createdAt: number;
  revokedAt: number | null;
  /** Leads it brought in. */
  received: number;
}

/** A form key as Settings shows it: with the address websites post to and its HTML. */
export interface FormKeyView extends FormKey {
  action: string;
  snippet: string;
}

/** The copy-paste HTML for a form key (Settings shows it; docs/sync.md explains it). */
export function formSnippet(serverUrl: string, key: string): string {
  const action = `${serverUrl.replace(/\/+$/, '')}/v1/forms/${key}`;
  return `<form action="${action}" method="post" accept-charset="utf-8">
  <input name="name" placeholder="姓名 / Name" required>
  <input name="company" placeholder="公司 / Company">
  <input name="email" type="email" placeholder="邮箱 / Email">
  <input name="phone" type="tel" placeholder="电话 / Phone">
  <textarea name="message" placeholder="留言 / Message"></textarea>
  <!-- Leave empty: it catches spam bots. -->
  <input name="${FORM_HONEYPOT}" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-9999px">
  <button type="submit">提交 / Send</button>
</form>`;
}
