// The sync servers this device talks to, in the local `sync_peers` table (never synced:
// it holds this device's token). Part 1 keeps one active server.
import { randomUUID } from 'node:crypto';
import type { SyncPeerTable } from '../store/database.js';
import type { SqlValue, Store } from '../store/store.js';

export type SyncPeer = SyncPeerTable;

export function activePeer(store: Store): SyncPeer | null {
  return (
    store.read((r) =>
      r.first(
        r.qb
          .selectFrom('sync_peers')
          .selectAll()
          .where('active', '=', 1)
          .orderBy('created_at', 'desc')
          .limit(1),
      ),
    ) ?? null
  );
}

/** Points this device at a server. The same address and token keep their cursors; a new
 * one starts from the beginning (entries are idempotent, so nothing is sent twice into
 * the log). Any other server is switched off, not forgotten. */
export function connectPeer(store: Store, url: string, token: string): SyncPeer {
  const base = url.trim().replace(/\/+$/, '');
  const existing = store.read((r) =>
    r.first(
      r.qb.selectFrom('sync_peers').selectAll().where('url', '=', base).where('token', '=', token),
    ),
  );
  store.write((tx) => {
    tx.updateLocal('sync_peers', { column: 'active', value: 1 }, { active: 0 });
    if (existing) tx.updateLocal('sync_peers', { column: 'id', value: existing.id }, { active: 1 });
    else
      tx.insertLocal('sync_peers', {
        id: randomUUID(),
        url: base,
        token,
        active: 1,
        created_at: tx.now,
      });
  });
  return activePeer(store)!;
}

export function disconnectPeer(store: Store): void {
  store.write((tx) => tx.updateLocal('sync_peers', { column: 'active', value: 1 }, { active: 0 }));
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
