// Bulk actions on a selection of leads (F1 list): each is one transaction, so a bulk
// change either happens to every lead it applies to or to none.
import type { BulkResult, ReassignResult } from '../contract/index.js';
import type { Store } from '../store/store.js';
import { planReassignment } from './assignment.js';
import { setLeadDeletedIn, updateLeadIn } from './leads.js';
import { getRecord } from './recordRows.js';

/** Sets the same fields on many leads. Converted (read-only) and deleted leads are skipped
 * rather than failing the whole selection; any other refusal (an unknown owner, an
 * unqualified status without a reason) fails it whole and changes nothing. */
export function bulkUpdateLeads(
  store: Store,
  ids: readonly string[],
  patch: Record<string, unknown>,
): BulkResult {
  return store.write((tx) => {
    const result: BulkResult = { changed: 0, skipped: 0 };
    for (const id of new Set(ids)) {
      const lead = getRecord(tx, 'leads', id);
      if (lead.deleted_at !== null || lead.status === 'converted') {
        result.skipped++;
        continue;
      }
      if (updateLeadIn(tx, id, patch)) result.changed++;
      else result.skipped++;
    }
    return result;
  });
}

/** Soft-deletes (or, for undo, restores) many leads at once. */
export function bulkSetLeadsDeleted(
  store: Store,
  ids: readonly string[],
  deleted: boolean,
): BulkResult {
  return store.write((tx) => {
    const result: BulkResult = { changed: 0, skipped: 0 };
    for (const id of new Set(ids)) {
      if (setLeadDeletedIn(tx, id, deleted)) result.changed++;
      else result.skipped++;
    }
    return result;
  });
}

/** Applies the assignment rules again to the chosen leads ("reassign by rules"). */
export function reassignLeads(store: Store, ids: readonly string[]): ReassignResult {
  return store.write((tx) => {
    const { changes, result } = planReassignment(tx, ids);
    for (const { id, patch } of changes) updateLeadIn(tx, id, patch);
    return result;
  });
}
