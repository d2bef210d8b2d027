// Preferences of this device, kept in the local `meta` table (never synced): which team
// member uses this laptop (stamped on its changes, default owner of captured leads) and
// the event its booth is at (pre-filled on every captured lead until changed).
import { ApiError, type DeviceSettings } from '../contract/index.js';
import type { Store } from '../store/store.js';

const USER_KEY = 'device.currentUserId';
const EVENT_KEY = 'device.currentEventId';

export function readDevice(store: Store): DeviceSettings {
  return {
    currentUserId: store.getMeta(USER_KEY) || null,
    currentEventId: store.getMeta(EVENT_KEY) || null,
  };
}

/** Called when a database is opened: changes made here carry the chosen user. */
export function applyDeviceAuthor(store: Store): void {
  store.setAuthor(readDevice(store).currentUserId);
}

export function updateDevice(
  store: Store,
  patch: { currentUserId?: string | null; currentEventId?: string | null },
): DeviceSettings {
  const live = (table: 'users' | 'campaigns', id: string, path: string) => {
    const row = store.read((r) =>
      r.first(
        r.qb.selectFrom(table).select('id').where('id', '=', id).where('deleted_at', 'is', null),
      ),
    );
    if (!row)
      throw new ApiError('BAD_INPUT', `${path} does not name a live record`, [
        { path, message: 'unknown record' },
      ]);
  };
  // Check both before writing either: a refused update changes nothing.
  if (patch.currentUserId) live('users', patch.currentUserId, 'currentUserId');
  if (patch.currentEventId) live('campaigns', patch.currentEventId, 'currentEventId');
  if (patch.currentUserId !== undefined) store.setMeta(USER_KEY, patch.currentUserId ?? '');
  if (patch.currentEventId !== undefined) store.setMeta(EVENT_KEY, patch.currentEventId ?? '');
  applyDeviceAuthor(store);
  return readDevice(store);
}
