// The sync servers and hubs this device talks to, in the local `sync_peers` table (never
// synced: it holds this device's token, sealed by the SecretBox where there is a keychain).
// One team server and one booth hub may be active at once; entries flow through both.
import { randomUUID } from 'node:crypto';
import type { SyncPeerKind } from '../contract/index.js';
import type { SyncPeerTable } from '../store/database.js';
import type { SqlValue, Store } from '../store/store.js';

export type SyncPeer = SyncPeerTable;

export function activePeers(store: Store): SyncPeer[] {
  return store.read((r) =>
    r.all(
      r.qb
        .selectFrom('sync_peers')
        .selectAll()
        .where('active', '=', 1)
        // The team server first: it is what the frame's status describes.
        .orderBy('kind', 'desc')
        .orderBy('created_at'),
    ),
  );
}

/** The active peer with this id (null once disconnected). */
export function activePeer(store: Store, id: string): SyncPeer | null {
  return (
    store.read((r) =>
      r.first(
        r.qb.selectFrom('sync_peers').selectAll().where('id', '=', id).where('active', '=', 1),
      ),
    ) ?? null
  );
}

export interface PeerInput {
  url: string;
  /** As stored (sealed where there is a keychain). */
  token: string;
  kind: SyncPeerKind;
  fingerprint?: string | null;
  role?: string | null;
  deviceId?: string | null;
  workspace?: { id: string; name: string } | null;
  user?: { id: string; name: string } | null;
}

/** Points this device at a server or hub. The same address (and kind) keeps its cursors;
 * another of the same kind is switched off, not forgotten. Entries are idempotent, so a
 * new peer starting from the beginning sends nothing twice into its log. */
export function connectPeer(store: Store, input: PeerInput): SyncPeer {
  const base = input.url.trim().replace(/\/+$/, '');
  const existing = store.read((r) =>
    r.first(
      r.qb
        .selectFrom('sync_peers')
        .select('id')
        .where('url', '=', base)
        .where('kind', '=', input.kind),
    ),
  );
  const id = existing?.id ?? randomUUID();
  const values: Record<string, SqlValue> = {
    token: input.token,
    active: 1,
    kind: input.kind,
    fingerprint: input.fingerprint ?? null,
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.deviceId !== undefined ? { device_id: input.deviceId } : {}),
    ...(input.workspace
      ? { workspace_id: input.workspace.id, workspace_name: input.workspace.name }
      : {}),
    ...(input.user ? { user_id: input.user.id, user_name: input.user.name } : {}),
  };
  store.write((tx) => {
    tx.updateLocal('sync_peers', { column: 'kind', value: input.kind }, { active: 0 });
    if (existing) tx.updateLocal('sync_peers', { column: 'id', value: id }, values);
    else tx.insertLocal('sync_peers', { id, url: base, created_at: tx.now, ...values });
  });
  return activePeer(store, id)!;
}

export function disconnectPeer(store: Store, id: string): void {
  store.write((tx) => tx.updateLocal('sync_peers', { column: 'id', value: id }, { active: 0 }));
}

export function updatePeer(
  store: Store,
  id: string,
  values: Partial<Record<keyof SyncPeer, SqlValue>>,
): void {
  store.write((tx) =>
    tx.updateLocal('sync_peers', { column: 'id', value: id }, values as Record<string, SqlValue>),
  );
}

/** Entries this peer refused (team settings written here by a rep): not offered again. */
export function refusedHlcs(store: Store, peerId: string): Set<string> {
  return new Set(
    store
      .read((r) =>
        r.all(r.qb.selectFrom('sync_refused').select('hlc').where('peer_id', '=', peerId)),
      )
      .map((x) => x.hlc),
  );
}

export function refuseEntries(
  store: Store,
  peerId: string,
  hlcs: readonly string[],
  reason: string,
): void {
  const known = refusedHlcs(store, peerId);
  const fresh = [...new Set(hlcs)].filter((h) => !known.has(h));
  if (!fresh.length) return;
  store.write((tx) => {
    for (const hlc of fresh)
      tx.insertLocal('sync_refused', { peer_id: peerId, hlc, reason, at: tx.now });
  });
}

/** Switches a known peer back on (a booth hub started again), at its current address. */
export function resumePeer(store: Store, id: string, url: string): SyncPeer | null {
  const peer = store.read((r) =>
    r.first(r.qb.selectFrom('sync_peers').selectAll().where('id', '=', id)),
  );
  if (!peer) return null;
  store.write((tx) => {
    tx.updateLocal('sync_peers', { column: 'kind', value: peer.kind }, { active: 0 });
    tx.updateLocal('sync_peers', { column: 'id', value: id }, { active: 1, url });
  });
  return activePeer(store, id);
}

/** Offers again what this peer refused (its user may now write team settings): the push
 * cursor goes back to the first of those entries — the rest between are already on the
 * server and come back as harmless duplicates. */
export function retryRefused(store: Store, peerId: string): number {
  const hlcs = [...refusedHlcs(store, peerId)];
  if (!hlcs.length) return 0;
  let first: number | null = null;
  store.read((r) => {
    for (let i = 0; i < hlcs.length; i += 500) {
      const row = r.first(
        r.qb
          .selectFrom('change_log')
          .select((eb) => eb.fn.min('seq').as('seq'))
          .where('hlc', 'in', hlcs.slice(i, i + 500)),
      );
      const seq = row?.seq ?? null;
      if (seq !== null && (first === null || seq < first)) first = seq;
    }
  });
  store.write((tx) => {
    tx.deleteLocal('sync_refused', { column: 'peer_id', value: peerId });
    const peer = tx.first(
      tx.qb.selectFrom('sync_peers').select('push_seq').where('id', '=', peerId),
    );
    if (peer && first !== null && first - 1 < peer.push_seq)
      tx.updateLocal('sync_peers', { column: 'id', value: peerId }, { push_seq: first - 1 });
  });
  return hlcs.length;
}
