// Follow-up (F5): an activity's use cases — logged, edited, deleted, and what each does
// to its lead (a call makes a new lead contacted; every change rescores the lead) — and
// the agenda of tasks by day.
import { ApiError, type ActivityRow, type AgendaView } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import {
  getRecord,
  insertRecordIn,
  liveRecord,
  patchRecordIn,
  setRowDeletedIn,
} from './recordRows.js';
import { rescoreLeadIn } from './scoring.js';

type Values = Record<string, unknown>;

const DAY = 86_400_000;

/** Open tasks due today, overdue or upcoming, or recently done. The day's bounds come from
 * the caller: "today" is the user's local day, which only the UI knows. */
export function agenda(
  r: Reader,
  input: { view: AgendaView; day_start: number; day_end: number; limit: number },
): ActivityRow[] {
  let q = r.qb
    .selectFrom('activities')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('kind', '=', 'task');
  switch (input.view) {
    case 'overdue':
      q = q.where('done_at', 'is', null).where('due_at', '<', input.day_start).orderBy('due_at');
      break;
    case 'today':
      q = q
        .where('done_at', 'is', null)
        .where('due_at', '>=', input.day_start)
        .where('due_at', '<', input.day_end)
        .orderBy('due_at');
      break;
    case 'upcoming':
      q = q.where('done_at', 'is', null).where('due_at', '>=', input.day_end).orderBy('due_at');
      break;
    case 'done':
      q = q.where('done_at', 'is not', null).orderBy('done_at', 'desc');
      break;
  }
  return r.all(q.orderBy('id').limit(input.limit));
}

/** Logs an activity (or a task) on a transaction: a call or meeting logged on a new lead
 * means the lead has been contacted, and the lead's engagement score changes. */
export function createActivityIn(tx: WriteTx, input: Values, id?: string): string {
  const values = { ...input };
  const created = insertRecordIn(tx, 'activities', values, id);
  markLeadContacted(tx, values);
  rescoreLeadsOf(tx, [values.lead_id]);
  return created;
}

/** Edits an activity; true when something changed. A changed or moved activity changes
 * its lead's engagement (both leads', if it moved). */
export function updateActivityIn(tx: WriteTx, id: string, patch: Values): boolean {
  const before = liveRecord(tx, 'activities', id);
  const changed = patchRecordIn(tx, 'activities', id, { ...patch });
  rescoreLeadsOf(tx, [before.lead_id, patch.lead_id]);
  return changed;
}

/** Soft-deletes or restores an activity: its lead no longer (or again) counts it. */
export function setActivityDeletedIn(tx: WriteTx, id: string, deleted: boolean): boolean {
  const { before, changed } = setRowDeletedIn(tx, 'activities', id, deleted);
  if (changed) rescoreLeadsOf(tx, [before.lead_id]);
  return changed;
}

function markLeadContacted(tx: WriteTx, values: Values): void {
  if ((values.kind !== 'call' && values.kind !== 'meeting') || typeof values.lead_id !== 'string')
    return;
  const lead = tx.first(
    tx.qb.selectFrom('leads').select('status').where('id', '=', values.lead_id),
  );
  if (lead?.status === 'new') tx.update('leads', values.lead_id, { status: 'contacted' });
}

function rescoreLeadsOf(tx: WriteTx, leadIds: readonly unknown[]): void {
  for (const lead of new Set(leadIds)) if (typeof lead === 'string') rescoreLeadIn(tx, lead);
}

/** Pushes an open task `days` days later, counted from now when it is already overdue. */
export function snoozeTask(store: Store, id: string, days: number): ActivityRow {
  return store.write((tx) => {
    const task = getRecord(tx, 'activities', id);
    if (task.deleted_at !== null || task.kind !== 'task' || task.done_at !== null) {
      throw new ApiError('CONFLICT', 'only an open task can be snoozed');
    }
    tx.update('activities', id, { due_at: Math.max(task.due_at ?? tx.now, tx.now) + days * DAY });
    return getRecord(tx, 'activities', id);
  });
}
