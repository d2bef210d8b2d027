// Rows as they were at an earlier instant, replayed from the change log: every write is
// logged with its hybrid-logical-clock time, so the newest logged write of a field before
// an instant is what the field held then (last writer wins, as when it was merged). The
// forecast's backtest asks what a deal's expected close, owner and amount were at the
// start of a past quarter — today's values would let the backtest see the future.
import type { SqlValue } from '../store/store.js';
import { formatHlc } from '../domain/hlc.js';
import type { Reader } from '../store/readQuery.js';

/** The smallest HLC at `instant`: every change logged before it sorts lower. */
const hlcAt = (instant: number) =>
  formatHlc({ millis: Math.max(0, Math.floor(instant)), counter: 0, node: '0'.repeat(16) });

/**
 * Each row of `table` the log knew before `instant`, with the `columns` written before it
 * (a column absent from its record was not set then). A row not in the map had no logged
 * write before `instant`: it was created later — or before the log began (demo data,
 * rows from before an upgrade), when its earlier values are simply not known.
 */
export function loggedValuesAsOf(
  r: Reader,
  table: string,
  columns: readonly string[],
  instant: number,
): Map<string, Partial<Record<string, SqlValue>>> {
  const entries = r.all(
    r.qb
      .selectFrom('change_log')
      .select(['row_id', 'fields'])
      .where('tbl', '=', table)
      .where('hlc', '<', hlcAt(instant))
      .orderBy('row_id')
      .orderBy('hlc'),
  );
  const rows = new Map<string, Partial<Record<string, SqlValue>>>();
  for (const e of entries) {
    const row = rows.get(e.row_id) ?? rows.set(e.row_id, {}).get(e.row_id)!;
    const fields = JSON.parse(e.fields) as Record<string, SqlValue>;
    for (const c of columns) if (c in fields) row[c] = fields[c];
  }
  return rows;
}
