// Synced tables have no FK constraints (rows arrive in any order from other devices), so
// a user's write is checked here instead: every reference must name a live row.
import { ApiError, type SyncedTable } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';

const referenceTargets: Record<string, SyncedTable> = {
  owner_id: 'users',
  user_id: 'users',
  campaign_id: 'campaigns',
  account_id: 'accounts',
  contact_id: 'contacts',
  lead_id: 'leads',
  opportunity_id: 'opportunities',
  stage_id: 'stages',
  from_stage_id: 'stages',
  to_stage_id: 'stages',
  converted_opportunity_id: 'opportunities',
  converted_account_id: 'accounts',
  converted_contact_id: 'contacts',
};

export function rowExists(
  r: Reader,
  table: SyncedTable,
  id: string,
  allowDeleted = false,
): boolean {
  let q = r.qb.selectFrom(table).select('id').where('id', '=', id);
  if (!allowDeleted) q = q.where('deleted_at', 'is', null);
  return r.first(q) !== undefined;
}

/** Throws BAD_INPUT naming the first field that points at a missing or deleted row. */
export function assertReferences(r: Reader, values: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(values)) {
    const target = referenceTargets[field];
    if (!target || typeof value !== 'string') continue;
    if (!rowExists(r, target, value)) {
      throw new ApiError('BAD_INPUT', `${field} refers to a record that does not exist`, [
        { path: field, message: `no ${target} row with id ${value}` },
      ]);
    }
  }
}
