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

/** The server's member for this device becomes "I am" when nobody was chosen. The member
 * is a team member on every laptop (same id, so the timeline names them everywhere): the
 * server writes that row into the log when it makes the member, so it arrives by pull. */
export function adoptSyncIdentity(store: Store, user: { id: string }): void {
  if (readDevice(store).currentUserId) return;
  const existing = store.read((r) =>
    r.first(
      r.qb
        .selectFrom('users')
        .select('id')
        .where('id', '=', user.id)
        .where('deleted_at', 'is', null),
    ),
  );
  if (existing) updateDevice(store, { currentUserId: user.id });
}
