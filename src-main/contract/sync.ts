// The team-sync protocol (/v1), declared once: the server (src-server) validates requests
// with these schemas and the laptop's sync engine (src-main/sync) reads responses with
// them. docs/sync.md explains the rules in prose.
//
// The server never interprets rows: an entry is an opaque bundle of field values for one
// row of one table, keyed by its HLC. Only the *shape* is checked here.
import { z } from 'zod';

export const SYNC_PROTOCOL_VERSION = 1;

/** `<15-digit wall ms>-<4-hex counter>-<16-hex node id>`: see domain/hlc.ts. */
export const HLC_PATTERN = /^(\d{15})-([0-9a-f]{4})-([0-9a-f]{16})$/;
/** A device's HLC node id. */
export const NODE_ID_PATTERN = /^[0-9a-f]{16}$/;
/** The node id of built-in rows (default stages): every device seeds them with it, it sorts
 * before every real device, and such entries have no author. */
export const SEED_NODE_ID = '0000000000000000';
/** Table and column names: what SQLite and PostgreSQL both take unquoted. */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,63}$/;

export const syncLimits = {
  /** Entries in one push. */
  maxPushEntries: 1000,
  /** Entries in one pull answer. */
  maxPullEntries: 2000,
  /** A request body, after gzip is undone. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Fields of one entry (a row of the widest table has about 50). */
  maxFields: 200,
  /** One text value (notes pasted from an email). */
  maxValueChars: 100_000,
  /** A row id (UUIDv7 or a derived id). */
  maxRowIdChars: 100,
  /** How far an entry's clock may run ahead of the server's. */
  maxClockAheadMs: 60 * 60 * 1000,
} as const;

export const hlcSchema = z.string().regex(HLC_PATTERN, 'not an HLC timestamp');
export const syncValueSchema = z.union([
  z.string().max(syncLimits.maxValueChars),
  z.number().finite(),
  z.null(),
]);
export type SyncValue = z.infer<typeof syncValueSchema>;

/** One change as a laptop sends it: every field one mutation set on one row. */
export const syncEntrySchema = z.strictObject({
  hlc: hlcSchema,
  table: z.string().regex(IDENTIFIER_PATTERN, 'not a table name'),
  rowId: z
    .string()
    .min(1)
    .max(syncLimits.maxRowIdChars)
    .regex(/^[\x21-\x7e]+$/, 'not a row id'),
  fields: z
    .record(z.string().regex(IDENTIFIER_PATTERN, 'not a column name'), syncValueSchema)
    .refine((f) => Object.keys(f).length <= syncLimits.maxFields, 'too many fields'),
  /** What the laptop believes; the server replaces it with the device's user. */
  author: z.string().max(100).nullable().optional(),
});
export type SyncEntry = z.infer<typeof syncEntrySchema>;

/** An entry as the server hands it out: numbered by arrival on the server. */
export interface ServerEntry {
  seq: number;
  hlc: string;
  table: string;
  rowId: string;
  fields: Record<string, SyncValue>;
  /** The user of the device that pushed it (not the laptop's claim). */
  author: string | null;
  /** The name of the laptop whose clock stamped it, when the server knows it. */
  device?: string | null;
}

/** A position in the server's log the laptop has seen, with the HLC it saw there: if the
 * server no longer has that entry at that position, it lost entries (restored from an
 * older backup) and the laptop pushes again what the server lacks. */
export const checkpointSchema = z.strictObject({
  seq: z.number().int().min(1),
  hlc: hlcSchema,
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const helloRequestSchema = z.strictObject({
  /** This laptop's HLC node id, so the server knows which entries are its own. */
  nodeId: z.string().regex(NODE_ID_PATTERN),
  checkpoints: z.array(checkpointSchema).max(8).default([]),
  /** Entries waiting here to go up (shown to admins in the device list). */
  waiting: z.number().int().min(0).optional(),
});
export type HelloRequest = z.input<typeof helloRequestSchema>;

export interface HelloResponse {
  protocol: number;
  serverVersion: string;
  workspace: { id: string; name: string };
  /** Changes when the server's log was replaced: laptops start over (idempotently). */
  epoch: string;
  /** The newest server_seq. */
  head: number;
  user: { id: string; name: string; role: string };
  device: { id: string };
  /** The server's clock (ms), so a laptop can say by how much its own is wrong. */
  time: number;
  /** False when a checkpoint no longer matches: the laptop must start over. */
  checkpointsValid: boolean;
  /** Signs `.leadbook-sync` files between this workspace's laptops (sync by file). */
  fileKey?: string | null;
  /** The HLC node of entries the server writes itself (a website form's lead). */
  serverNode?: string | null;
}

export const pushRequestSchema = z.strictObject({
  entries: z.array(syncEntrySchema).min(1).max(syncLimits.maxPushEntries),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export interface PushResponse {
  epoch: string;
  /** Entries new to the server. */
  accepted: number;
  /** Entries it already had (a retried batch): harmless. */
  duplicates: number;
  head: number;
  /** Where the last entry of this batch stands in the server's log (new or not). */
  last: Checkpoint | null;
}

export const pullQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  /** The HLC of the entry at `after`, as the laptop saw it (checked when after > 0). */
  afterHlc: hlcSchema.optional(),
  limit: z.coerce.number().int().min(1).max(syncLimits.maxPullEntries).default(1000),
});
export type PullQuery = z.input<typeof pullQuerySchema>;

export interface PullResponse {
  epoch: string;
  entries: ServerEntry[];
  /** The cursor for the next pull: the seq of the last entry returned (or `after`). */
  next: number;
  nextHlc: string | null;
  more: boolean;
  head: number;
}

/** Error codes of the sync server. */
export const syncErrorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  /** The device's token was revoked by an admin. */
  'REVOKED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'CLOCK_AHEAD',
  'CLIENT_TOO_OLD',
  'CURSOR_RESET',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

export interface SyncErrorBody {
  error: {
    code: SyncErrorCode;
    message: string;
    /** The index of the first refused entry of a push. */
    index?: number;
    /** CLOCK_AHEAD: how far ahead, in minutes. */
    minutesAhead?: number;
    /** CLIENT_TOO_OLD: the oldest protocol the server speaks. */
    minProtocol?: number;
  };
}

/** Headers every laptop request carries. */
export const SYNC_HEADERS = {
  protocol: 'x-leadbook-protocol',
  appVersion: 'x-leadbook-version',
} as const;

// ---- what the app shows (Settings › Team sync, the frame's status) ----

export const syncStates = ['off', 'connecting', 'synced', 'syncing', 'offline', 'error'] as const;
export type SyncStateName = (typeof syncStates)[number];

/** Plain-word kinds of the last error, worded by the renderer in zh-CN and en. */
export const syncProblemKinds = [
  'unreachable',
  'token_refused',
  'clock_wrong',
  'app_too_old',
  'server_error',
  'refused_entries',
  'revoked',
  /** The server refused changes to team settings made here (this device's user is a rep). */
  'role_refused',
  /** A hub answered with another certificate than the one pinned when joining. */
  'wrong_certificate',
] as const;
export type SyncProblemKind = (typeof syncProblemKinds)[number];

export interface SyncProblem {
  kind: SyncProblemKind;
  /** The server's or network's own words (shown small, for whoever helps). */
  detail: string;
  /** clock_wrong: minutes this laptop's clock is off (positive = ahead). */
  minutes?: number;
  at: number;
}

export const syncPeerKinds = ['server', 'hub'] as const;
export type SyncPeerKind = (typeof syncPeerKinds)[number];

/** One server or hub this laptop syncs with. */
export interface SyncPeerStatus {
  id: string;
  kind: SyncPeerKind;
  state: SyncStateName;
  server: string;
  /** The pinned certificate fingerprint (a hub over TLS). */
  fingerprint: string | null;
  workspace: string | null;
  user: string | null;
  role: string | null;
  waiting: number;
  received: number;
  sent: number;
  /** Changes made here the server refused (team settings written by a rep): kept here. */
  refused: number;
  lastSyncedAt: number | null;
  problem: SyncProblem | null;
}

/** The whole picture: the fields at the top describe the team server (or the only peer);
 * `peers` lists every server and hub. */
export interface SyncStatus {
  state: SyncStateName;
  server: string | null;
  workspace: string | null;
  user: string | null;
  /** Entries written here (or received from elsewhere) not yet on the server. */
  waiting: number;
  /** Entries received from the server since it was connected. */
  received: number;
  sent: number;
  lastSyncedAt: number | null;
  problem: SyncProblem | null;
  /** The lowest role this device's user has on any peer: a rep may not change team
   * settings. Null when not synced. */
  role: string | null;
  peers: SyncPeerStatus[];
  /** Grows with every change told to the app: a client keeps the newest it has seen (an
   * answer to a request sent before a change must not undo the change's event). */
  revision: number;
}

export const syncConnectInput = z.strictObject({
  server: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .refine((s) => /^https?:\/\/[^\s/]+/i.test(s), 'must start with http:// or https://'),
  token: z.string().trim().min(16).max(200),
});
export type SyncConnectInput = z.infer<typeof syncConnectInput>;

/** What one sync cycle moved (the CLI prints it; "Sync now" shows it). */
export interface SyncOutcome {
  pushed: number;
  pushDuplicates: number;
  pulled: number;
  applied: number;
  duplicates: number;
  /** The server had lost entries: both cursors started over. */
  reset: boolean;
  head: number;
}
