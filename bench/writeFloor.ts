// The write path's second floor (issue 21): what the mutation path must write for a lead,
// done with bare prepared statements — the row, its change-log entry (one row, the fields
// as JSON, an HLC and a sequence number) and its full-text document, built by the same
// domain function — in one transaction. The distance from the mutation path to this floor
// is the path's own overhead; the distance from this floor to the bare-row floor is what
// the change log and search cost.
import type BetterSqlite3 from 'better-sqlite3';
import { buildSearchDoc, searchDocInputFor } from '../src-main/domain/searchText.js';
import { formatHlc } from '../src-main/domain/hlc.js';

export interface WriteFloor {
  /** Row + change log + search document, prepared statements, one transaction. */
  sameWorkUsPerRow: number;
  /** Building the search documents alone (pinyin included), no I/O. */
  searchDocUsPerRow: number;
}

export function measureWriteFloor(
  db: BetterSqlite3.Database,
  rows: Record<string, string>[],
  columns: readonly string[],
): WriteFloor {
  const insertRow = db.prepare(
    `INSERT INTO leads (id, created_at, updated_at, deleted_at, ${columns.join(', ')}) VALUES (?, ?, ?, NULL${', ?'.repeat(columns.length)})`,
  );
  const insertLog = db.prepare(
    `INSERT INTO change_log (hlc, tbl, row_id, fields, origin, author, seq) VALUES (?, 'leads', ?, ?, 'local', NULL, ?)`,
  );
  const insertDoc = db.prepare(
    `INSERT INTO search_leads (rowid, body, han1, pinyin, pinyin_mid) VALUES (?, ?, ?, ?, ?)`,
  );
  const startSeq =
    ((db.prepare('SELECT max(seq) AS s FROM change_log').get() as { s: number | null }).s ?? 0) + 1;
  const t0 = performance.now();
  db.transaction(() => {
    rows.forEach((r, i) => {
      const now = Date.now();
      const id = `floor-${i}`;
      const fields: Record<string, string | number | null> = {};
      for (const c of columns) fields[c] = r[c] ?? null;
      fields.created_at = now;
      fields.updated_at = now;
      fields.deleted_at = null;
      const { lastInsertRowid } = insertRow.run(id, now, now, ...columns.map((c) => r[c] ?? null));
      insertLog.run(
        formatHlc({ millis: now, counter: i & 0xffff, node: 'f100000000000000' }),
        id,
        JSON.stringify(fields),
        startSeq + i,
      );
      const doc = buildSearchDoc(searchDocInputFor('leads', fields));
      insertDoc.run(lastInsertRowid, doc.body, doc.han1, doc.pinyin, doc.pinyin_mid);
    });
  })();
  const sameWorkUsPerRow = ((performance.now() - t0) * 1000) / rows.length;
  const t1 = performance.now();
  for (const r of rows) buildSearchDoc(searchDocInputFor('leads', r));
  const searchDocUsPerRow = ((performance.now() - t1) * 1000) / rows.length;
  return {
    sameWorkUsPerRow: Math.round(sameWorkUsPerRow * 10) / 10,
    searchDocUsPerRow: Math.round(searchDocUsPerRow * 10) / 10,
  };
}
