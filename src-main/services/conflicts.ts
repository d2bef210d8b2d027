// Conflicts a merge noticed (the store records them: store.ts › noteConflict): listed in
// Settings › Team sync for 30 days and on the record's timeline, and undone with one click —
// "keep mine" (or "use theirs") writes that value again as a new change, which then wins
// everywhere by the usual rule (the newest write). Nothing is deleted: both values stay in
// the change log whatever is chosen.
import { ApiError, type SyncConflict, type SyncedTable } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { SqlValue, Store } from '../store/store.js';
import { parseHlc } from '../domain/hlc.js';
import { isSyncedTable } from '../store/syncSchema.js';

/** How long Settings lists a conflict. */
export const CONFLICT_LIST_DAYS = 30;

/** Tables whose rows have a name to show beside a conflict. */
const NAMED = new Set(['leads', 'opportunities', 'accounts', 'contacts', 'campaigns', 'users']);

export function listConflicts(
  r: Reader,
  filter: { since?: number; table?: string; rowId?: string } = {},
): SyncConflict[] {
  let q = r.qb.selectFrom('sync_conflicts').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
  if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
  if (filter.table) q = q.where('tbl', '=', filter.table);
  if (filter.rowId) q = q.where('row_id', '=', filter.rowId);
  const rows = r.all(q.limit(500));
  const people = new Set<string>();
  for (const c of rows) {
    if (c.mine_author) people.add(c.mine_author);
    if (c.theirs_author) people.add(c.theirs_author);
  }
  const names = new Map<string, string>();
  if (people.size)
    for (const u of r.all(
      r.qb
        .selectFrom('users')
        .select(['id', 'name'])
        .where('id', 'in', [...people]),
    ))
      names.set(u.id, u.name ?? '');
  const recordName = (table: string, id: string): string | null => {
    if (!NAMED.has(table) || !isSyncedTable(table)) return null;
    const row = r.first(
      r.qb
        .selectFrom(table as 'leads')
        .select('name')
        .where('id', '=', id),
    );
    return row?.name ?? null;
  };
  const value = (json: string | null): string | number | null =>
    json === null ? null : (JSON.parse(json) as string | number | null);
  /** The newest write to the field after both values: the conflict is over. */
  const laterWrite = (
    table: string,
    rowId: string,
    field: string,
    after: string,
  ): number | null => {
    const entries = r.all(
      r.qb
        .selectFrom('change_log')
        .select(['hlc', 'fields'])
        .where('tbl', '=', table)
        .where('row_id', '=', rowId)
        .where('hlc', '>', after)
        .orderBy('hlc', 'desc'),
    );
    const hit = entries.find((e) => field in (JSON.parse(e.fields) as object));
    return hit ? (parseHlc(hit.hlc)?.millis ?? null) : null;
  };
  return rows.map((c) => ({
    id: c.id,
    table: c.tbl,
    rowId: c.row_id,
    record: recordName(c.tbl, c.row_id),
    field: c.col,
    mine: value(c.mine_value),
    mineAt: parseHlc(c.mine_hlc)?.millis ?? 0,
    mineAuthor: c.mine_author ? (names.get(c.mine_author) ?? null) : null,
    theirs: value(c.theirs_value),
    theirsAt: parseHlc(c.theirs_hlc)?.millis ?? 0,
    theirsAuthor: c.theirs_author ? (names.get(c.theirs_author) ?? null) : null,
    theirsDevice: c.theirs_device,
    winner: c.winner,
    at: c.at,
    resolvedAt: c.resolved_at,
    supersededAt:
      c.resolved_at === null
        ? laterWrite(c.tbl, c.row_id, c.col, c.mine_hlc > c.theirs_hlc ? c.mine_hlc : c.theirs_hlc)
        : null,
  }));
}

/** The conflicts of the last 30 days (Settings › Team sync). */
export function recentConflicts(r: Reader, now = Date.now()): SyncConflict[] {
  return listConflicts(r, { since: now - CONFLICT_LIST_DAYS * 24 * 3600_000 });
}

/** Writes the chosen value again as a new change (so it wins on every laptop after sync),
 * and marks the conflict settled — one transaction. */
export function resolveConflict(store: Store, id: number, keep: 'mine' | 'theirs'): SyncConflict {
  store.write((tx) => {
    const c = tx.first(tx.qb.selectFrom('sync_conflicts').selectAll().where('id', '=', id));
    if (!c) throw new ApiError('NOT_FOUND', `no conflict ${id}`);
    if (!isSyncedTable(c.tbl))
      throw new ApiError('BAD_INPUT', `${c.tbl} cannot be changed by this version of Leadbook`);
    const chosen = JSON.parse(
      (keep === 'mine' ? c.mine_value : c.theirs_value) ?? 'null',
    ) as SqlValue;
    const exists = tx.first(
      tx.qb
        .selectFrom(c.tbl as 'leads')
        .select('id')
        .where('id', '=', c.row_id),
    );
    if (!exists) throw new ApiError('NOT_FOUND', 'the record is gone');
    tx.update(c.tbl as SyncedTable, c.row_id, { [c.col]: chosen });
    tx.updateLocal('sync_conflicts', { column: 'id', value: id }, { resolved_at: tx.now });
  });
  return listConflicts(store, {}).find((c) => c.id === id)!;
}
