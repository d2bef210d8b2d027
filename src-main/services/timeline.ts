// A record's timeline: its activities and every change to its fields, newest first — and
// for an opportunity its stage changes too. Field changes come from the change log (the
// one record of who changed what and when), so edits made on other devices show once
// they are synced.
import type { FieldChange, TimelineItem } from '../contract/index.js';
import { parseHlc } from '../domain/hlc.js';
import type { Reader } from '../store/readQuery.js';
import type { SqlValue } from '../store/store.js';
import { opportunityHistory } from './opportunities.js';
import { listConflicts } from './conflicts.js';
import { getRecord } from './recordRows.js';

/** Bookkeeping columns that say nothing to a user on their own. */
const hiddenFields = new Set(['created_at', 'updated_at', 'deleted_at']);
/** On an opportunity the stage entries tell these better (from → to, who, amount). */
const stageFields = new Set([...hiddenFields, 'stage_position', 'closed_at']);

function userNames(r: Reader, ids: Iterable<string | null>): Map<string, string> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (!wanted.length) return new Map();
  return new Map(
    r
      .all(r.qb.selectFrom('users').select(['id', 'name']).where('id', 'in', wanted))
      .map((u) => [u.id, u.name ?? '']),
  );
}

function changeItems(
  r: Reader,
  table: 'leads' | 'opportunities',
  rowId: string,
  hidden: ReadonlySet<string>,
): TimelineItem[] {
  const entries = r.all(
    r.qb
      .selectFrom('change_log')
      .select(['hlc', 'fields', 'author'])
      .where('tbl', '=', table)
      .where('row_id', '=', rowId)
      .orderBy('hlc'),
  );
  const names = userNames(
    r,
    entries.map((e) => e.author),
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
      if (!hidden.has(field) && from !== to) changes.push({ field, from, to });
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
  labelLinks(r, items);
  return items;
}

/** Links to accounts and contacts are ids in the log; the timeline says their names. */
function labelLinks(r: Reader, items: TimelineItem[]): void {
  const links = { account_id: 'accounts', contact_id: 'contacts' } as const;
  const changes = items.flatMap((i) =>
    i.kind === 'change' ? i.changes.filter((c) => c.field in links) : [],
  );
  if (!changes.length) return;
  const names = new Map<string, string>();
  for (const table of Object.values(links)) {
    const ids = changes.flatMap((c) =>
      [c.from, c.to].filter((v): v is string => typeof v === 'string'),
    );
    for (const row of r.all(
      r.qb
        .selectFrom(table)
        .select(['id', 'name'])
        .where('id', 'in', [...new Set(ids)]),
    ))
      names.set(row.id, row.name ?? '');
  }
  for (const c of changes) {
    c.fromLabel = typeof c.from === 'string' ? (names.get(c.from) ?? null) : null;
    c.toLabel = typeof c.to === 'string' ? (names.get(c.to) ?? null) : null;
  }
}

function activityItems(
  r: Reader,
  column: 'lead_id' | 'opportunity_id',
  rowId: string,
): TimelineItem[] {
  return r
    .all(
      r.qb
        .selectFrom('activities')
        .selectAll()
        .where(column, '=', rowId)
        .where('deleted_at', 'is', null),
    )
    .map((activity) => ({
      kind: 'activity',
      at: activity.occurred_at ?? activity.due_at ?? activity.created_at,
      activity,
    }));
}

/** Conflicts on this record (a value typed here met one from another laptop). */
function conflictItems(r: Reader, table: 'leads' | 'opportunities', rowId: string): TimelineItem[] {
  return listConflicts(r, { table, rowId }).map((conflict) => ({
    kind: 'conflict',
    at: conflict.at,
    conflict,
  }));
}

const newestFirst = (items: TimelineItem[]) => items.sort((a, b) => b.at - a.at);

export function leadTimeline(r: Reader, leadId: string): TimelineItem[] {
  getRecord(r, 'leads', leadId);
  return newestFirst([
    ...changeItems(r, 'leads', leadId, hiddenFields),
    ...activityItems(r, 'lead_id', leadId),
    ...conflictItems(r, 'leads', leadId),
  ]);
}

/** The opportunity detail's timeline: stage changes (with who and the amount at that
 * moment), activities and field changes. */
export function opportunityTimeline(r: Reader, id: string): TimelineItem[] {
  getRecord(r, 'opportunities', id);
  const history = opportunityHistory(r, id);
  const names = userNames(
    r,
    history.map((h) => h.user_id),
  );
  const stageItems = history.flatMap((h): TimelineItem[] =>
    // Columns are nullable in the row type; a history row always has both.
    h.to_stage_id === null || h.changed_at === null
      ? []
      : [
          {
            kind: 'stage',
            at: h.changed_at,
            id: h.id,
            from_stage_id: h.from_stage_id,
            to_stage_id: h.to_stage_id,
            user_id: h.user_id,
            user_name: h.user_id ? (names.get(h.user_id) ?? null) : null,
            amount: h.amount,
            currency: h.currency,
          },
        ],
  );
  return newestFirst([
    ...stageItems,
    ...changeItems(r, 'opportunities', id, stageFields),
    ...activityItems(r, 'opportunity_id', id),
    ...conflictItems(r, 'opportunities', id),
  ]);
}
