// What the app does with what the sync engine brings in: leads touched by entries from
// other laptops are rescored here (scores are derived, never synced), and the team member
// the server knows this device as becomes a team member here too.
import type { Store } from '../store/store.js';
import { readDevice, updateDevice } from './device.js';
import { rescoreLeadIn } from './scoring.js';

/** Above this many leads in one sync, a full background rescore is cheaper than one by one. */
export const RESCORE_ONE_BY_ONE_MAX = 500;

/** Rescores the given leads in one transaction. */
export function rescoreSyncedLeads(store: Store, leadIds: Iterable<string>): void {
  store.write((tx) => {
    for (const id of leadIds) rescoreLeadIn(tx, id);
  });
}

/** The server's member for this device: made a team member (the same id on every laptop,
 * so the timeline names them everywhere), and chosen as "I am" when nobody was chosen. */
export function adoptSyncIdentity(
  store: Store,
  user: { id: string; name: string; role: string },
): void {
  const existing = store.read((r) =>
    r.first(r.qb.selectFrom('users').select(['id', 'deleted_at']).where('id', '=', user.id)),
  );
  if (!existing) {
    store.write((tx) =>
      tx.insert('users', { name: user.name, role: user.role, active: 1 }, user.id),
    );
  }
  if (!readDevice(store).currentUserId && (!existing || existing.deleted_at === null))
    updateDevice(store, { currentUserId: user.id });
}
