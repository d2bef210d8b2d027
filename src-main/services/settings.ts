import { defaultTeamSettings, teamSettingsSchema, type TeamSettings } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';

const settingId = (key: string) => `team.${key}`;

/** Team settings with defaults for keys never set. A stored value that no longer
 * validates (written by another version) falls back to the default instead of failing. */
export function readTeamSettings(r: Reader): TeamSettings {
  // Read on every phone check and duplicate lookup: an import asks 100 000 times.
  return r.derived('teamSettings', ['settings'], () => Object.freeze(parseTeamSettings(r)));
}

function parseTeamSettings(r: Reader): TeamSettings {
  const rows = r.all(
    r.qb.selectFrom('settings').select(['id', 'value']).where('deleted_at', 'is', null),
  );
  const merged: Record<string, unknown> = { ...defaultTeamSettings };
  for (const row of rows) {
    if (!row.id.startsWith('team.') || row.value === null) continue;
    const key = row.id.slice(5);
    try {
      merged[key] = JSON.parse(row.value);
    } catch {
      // keep the default
    }
  }
  const parsed = teamSettingsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const safe: Record<string, unknown> = { ...defaultTeamSettings };
  for (const key of Object.keys(defaultTeamSettings) as (keyof TeamSettings)[]) {
    const one = teamSettingsSchema.shape[key].safeParse(merged[key]);
    if (one.success) safe[key] = one.data;
  }
  return safe as TeamSettings;
}

export function updateTeamSettings(store: Store, patch: Partial<TeamSettings>): TeamSettings {
  return store.write((tx) => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      writeSetting(tx, settingId(key), JSON.stringify(value));
    }
    return readTeamSettings(tx);
  });
}

/** One synced setting row's value as parsed JSON; undefined when unset or unreadable. */
export function readSettingJson(r: Reader, id: string): unknown {
  const row = r.first(
    r.qb
      .selectFrom('settings')
      .select('value')
      .where('id', '=', id)
      .where('deleted_at', 'is', null),
  );
  if (!row?.value) return undefined;
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}

/** Writes one synced setting row (team settings, the scoring configuration). */
export function writeSetting(tx: WriteTx, id: string, value: string): void {
  const existing = tx.first(tx.qb.selectFrom('settings').select('id').where('id', '=', id));
  if (existing) tx.update('settings', id, { value, deleted_at: null });
  else tx.insert('settings', { value }, id);
}
