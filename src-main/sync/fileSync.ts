// Sync by file, for teams with no network at all: "Send changes as a file" writes the
// entries the other laptops have not confirmed into one gzip'd, signed `.leadbook-sync`
// file; "Receive a file" applies it like a pull. Files carry acknowledgements both ways
// (what the writer holds of each laptop's log), so the next file starts where the other
// side stands. Applying is idempotent: the same file twice changes nothing.
//
// Layout: gzip( <header JSON line> "\n" <payload JSON> ). The header names the format, the
// workspace (to say plainly "another team" rather than "tampered") and an HMAC-SHA256 of the
// payload's bytes under the workspace's file key. Nothing in the payload is read before the
// signature holds.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import zlib from 'node:zlib';
import { z } from 'zod';
import {
  ApiError,
  syncEntrySchema,
  type SyncFileImport,
  type SyncValue,
} from '../contract/index.js';
import type { Change, Store } from '../store/store.js';
import { toSyncEntry } from './engine.js';

export interface FileIdentity {
  workspaceId: string;
  workspaceName: string;
  /** base64url, 256 bits. */
  key: string;
}

const FORMAT = 'leadbook-sync';
const VERSION = 1;
/** A file is refused past this much JSON once unzipped (a zip bomb, a wrong file). */
const MAX_UNZIPPED = 512 * 1024 * 1024;
const PAGE = 5_000;
const APPLY_BATCH = 1_000;
/** The `via` of entries that came in a file from laptop <node>. */
export const fileVia = (node: string) => `file:${node}`;
/** The peer id under which file exports are recorded in sync_pushes (conflict detection). */
const FILE_PUSHES = 'file';

const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  workspace: z.string(),
  workspaceName: z.string().optional(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

const payloadSchema = z.strictObject({
  id: z.string(),
  workspace: z.string(),
  from: z.strictObject({ node: z.string().regex(/^[0-9a-f]{16}$/), name: z.string().max(120) }),
  createdAt: z.number(),
  /** Entries after this seq of the writer's log… */
  since: z.number().int().min(0),
  /** …up to this one. */
  upTo: z.number().int().min(0),
  /** How far the writer holds each laptop's log (by node). */
  acks: z.record(z.string(), z.number().int().min(0)),
  entries: z.array(syncEntrySchema),
});

function mac(key: string, payload: Buffer): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(payload).digest('hex');
}

/** Writes the changes the other laptops have not confirmed (or all of them). */
export function writeSyncFile(
  store: Store,
  identity: FileIdentity,
  options: { everything: boolean; deviceName: string },
): { bytes: Buffer; entries: number } {
  const { since, upTo, acks, only } = store.read((r) => {
    const peers = r.all(r.qb.selectFrom('file_peers').select(['node_id', 'confirmed', 'received']));
    const since =
      options.everything || !peers.length ? 0 : Math.min(...peers.map((p) => p.confirmed));
    return {
      since,
      upTo: store.logHead(),
      acks: Object.fromEntries(peers.map((p) => [p.node_id, p.received])),
      // With one other laptop, what came from it is not sent back to it.
      only: !options.everything && peers.length === 1 ? peers[0]!.node_id : null,
    };
  });
  const entries: z.infer<typeof syncEntrySchema>[] = [];
  for (let after = since; ;) {
    const page = store.read(() => store.logSince(after, PAGE)).filter((e) => e.seq <= upTo);
    for (const e of page)
      if (!only || (e.via !== fileVia(only) && !e.hlc.endsWith(only))) entries.push(toSyncEntry(e));
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  const payload = Buffer.from(
    JSON.stringify({
      id: randomUUID(),
      workspace: identity.workspaceId,
      from: { node: store.nodeId, name: options.deviceName.slice(0, 120) },
      createdAt: Date.now(),
      since,
      upTo,
      acks,
      entries,
    }),
    'utf8',
  );
  const header = JSON.stringify({
    format: FORMAT,
    version: VERSION,
    workspace: identity.workspaceId,
    workspaceName: identity.workspaceName,
    mac: mac(identity.key, payload),
  });
  // From this moment the values in it may be seen elsewhere (conflict detection).
  store.write((tx) => {
    const known = tx.first(
      tx.qb
        .selectFrom('sync_pushes')
        .select('seq')
        .where('peer_id', '=', FILE_PUSHES)
        .where('seq', '=', upTo),
    );
    if (!known) tx.insertLocal('sync_pushes', { peer_id: FILE_PUSHES, seq: upTo, at: tx.now });
  });
  return {
    bytes: zlib.gzipSync(Buffer.concat([Buffer.from(header + '\n', 'utf8'), payload]), {
      level: 6,
    }),
    entries: entries.length,
  };
}

/** Checks and applies a sync file. Refuses, changing nothing, a file that is not one, is
 * cut off, belongs to another team or was altered. */
export function readSyncFile(
  store: Store,
  identity: FileIdentity | null,
  bytes: Buffer,
): SyncFileImport {
  let raw: Buffer;
  try {
    raw = zlib.gunzipSync(bytes, { maxOutputLength: MAX_UNZIPPED });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end/i.test((err as Error).message))
      throw new ApiError(
        'BAD_INPUT',
        'this sync file is incomplete (cut off while it was copied or sent): ask for it again',
      );
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new ApiError('PAYLOAD_TOO_LARGE', 'this file is too large to be a Leadbook sync file');
    throw new ApiError('BAD_INPUT', 'this is not a Leadbook sync file (.leadbook-sync)');
  }
  const nl = raw.indexOf(0x0a);
  let header: z.infer<typeof headerSchema>;
  try {
    header = headerSchema.parse(
      JSON.parse(raw.subarray(0, nl < 0 ? raw.length : nl).toString('utf8')),
    );
  } catch {
    throw new ApiError('BAD_INPUT', 'this is not a Leadbook sync file (.leadbook-sync)');
  }
  if (header.version > VERSION)
    throw new ApiError(
      'BAD_INPUT',
      'this sync file was written by a newer Leadbook: update this app first',
    );
  if (!identity)
    throw new ApiError(
      'BAD_INPUT',
      `this laptop is not paired for sync by file with the team “${header.workspaceName ?? header.workspace}”: pair it first (scan the pairing QR code on a team laptop)`,
    );
  if (header.workspace !== identity.workspaceId)
    throw new ApiError(
      'BAD_INPUT',
      `this file is from another team (“${header.workspaceName ?? header.workspace}”), not “${identity.workspaceName}”: it was not applied`,
    );
  const payloadBytes = raw.subarray(nl + 1);
  const expected = Buffer.from(mac(identity.key, payloadBytes), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(header.mac, 'hex')))
    throw new ApiError(
      'BAD_INPUT',
      'this sync file was changed after it was written, or damaged: it was not applied',
    );
  const parsed = payloadSchema.safeParse(JSON.parse(payloadBytes.toString('utf8')));
  if (!parsed.success || parsed.data.workspace !== identity.workspaceId)
    throw new ApiError('BAD_INPUT', 'this sync file holds entries Leadbook cannot read');
  const file = parsed.data;
  if (file.from.node === store.nodeId)
    throw new ApiError('BAD_INPUT', 'this file was written on this laptop: send it to another one');

  const result: SyncFileImport = {
    from: file.from.name,
    entries: file.entries.length,
    applied: 0,
    duplicates: 0,
  };
  const via = fileVia(file.from.node);
  const changes: Change[] = file.entries.map((e) => ({
    hlc: e.hlc,
    table: e.table,
    rowId: e.rowId,
    fields: e.fields as Record<string, SyncValue>,
    author: e.author ?? null,
    device: file.from.name,
  }));
  // Refused whole (a clock far ahead) before anything is applied; then applied in batches
  // so the app keeps answering — a batch applied twice changes nothing.
  store.assertApplicable(changes);
  for (let i = 0; i < changes.length; i += APPLY_BATCH) {
    const done = store.applyChanges(changes.slice(i, i + APPLY_BATCH), { via });
    result.applied += done.applied;
    result.duplicates += done.duplicates;
  }
  store.write((tx) => {
    const peer = tx.first(
      tx.qb.selectFrom('file_peers').selectAll().where('node_id', '=', file.from.node),
    );
    const received = peer?.received ?? 0;
    // Their log is held without a gap only when this file starts where we stood.
    const nowReceived = file.since <= received ? Math.max(received, file.upTo) : received;
    const confirmed = Math.max(peer?.confirmed ?? 0, file.acks[store.nodeId] ?? 0);
    const values = {
      name: file.from.name,
      received: nowReceived,
      confirmed,
      last_file_at: tx.now,
    };
    if (peer) tx.updateLocal('file_peers', { column: 'node_id', value: file.from.node }, values);
    else tx.insertLocal('file_peers', { node_id: file.from.node, ...values });
  });
  return result;
}
