// A lead's timeline: its activities and every change to its fields, newest first. Field
// changes come from the change log (the one record of who changed what and when), so the
// timeline shows edits made on other devices too once they are synced.
import type { FieldChange, TimelineItem } from '../contract/index.js';
import { parseHlc } from '../domain/hlc.js';
import type { Reader } from '../store/readQuery.js';
import type { SqlValue } from '../store/store.js';
import { getRecord } from './records.js';

/** Bookkeeping columns that say nothing to a user on their own. */
const hiddenFields = new Set(['created_at', 'updated_at', 'deleted_at']);

export function leadTimeline(r: Reader, leadId: string): TimelineItem[] {
  getRecord(r, 'leads', leadId);
  const entries = r.all(
    r.qb
      .selectFrom('change_log')
      .select(['hlc', 'fields', 'author'])
      .where('tbl', '=', 'leads')
      .where('row_id', '=', leadId)
      .orderBy('hlc'),
  );
  const authorIds = [...new Set(entries.map((e) => e.author).filter((a) => a !== null))];
  const names = new Map(
    (authorIds.length
      ? r.all(r.qb.selectFrom('users').select(['id', 'name']).where('id', 'in', authorIds))
      : []
    ).map((u) => [u.id, u.name]),
  );
  const items: TimelineItem[] = [];
  // Entries are replayed oldest first so each change can say what the field was before.
  // Merged entries that lost to a newer value still show: they did happen.
  const current = new Map<string, SqlValue>();
  entries.forEach((entry, index) => {
    const fields = JSON.parse(entry.fields) as Record<string, SqlValue>;
    const changes: FieldChange[] = [];
    for (const [field, to] of Object.entries(fields)) {
      const from = current.get(field) ?? null;
      current.set(field, to);
      if (!hiddenFields.has(field) && from !== to) changes.push({ field, from, to });
    }
    const action =
      index === 0
        ? 'created'
        : 'deleted_at' in fields
          ? fields.deleted_at === null
            ? 'restored'
            : 'deleted'
          : 'updated';
    if (action === 'updated' && changes.length === 0) return;
    items.push({
      kind: 'change',
      at: parseHlc(entry.hlc)?.millis ?? 0,
      hlc: entry.hlc,
      action,
      author_id: entry.author,
      author_name: entry.author ? (names.get(entry.author) ?? null) : null,
      changes: action === 'created' ? changes.filter((c) => c.to !== null) : changes,
    });
  });
  const activities = r.all(
    r.qb
      .selectFrom('activities')
      .selectAll()
      .where('lead_id', '=', leadId)
      .where('deleted_at', 'is', null),
  );
  for (const activity of activities) {
    items.push({
      kind: 'activity',
      at: activity.occurred_at ?? activity.due_at ?? activity.created_at,
      activity,
    });
  }
  return items.sort((a, b) => b.at - a.at);
}
