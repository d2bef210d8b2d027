import type { SearchHit } from '../contract/index.js';
import {
  isSearchableTable,
  searchHitLabel,
  toFtsQuery,
  type SearchableTable,
} from '../domain/searchText.js';
import type { Reader } from '../store/readQuery.js';

/** Full-text + pinyin search across leads, contacts, accounts and opportunities. */
export function searchAll(r: Reader, q: string, limit: number): SearchHit[] {
  const match = toFtsQuery(q);
  if (!match) return [];
  // Over-fetch a little: deleted rows stay indexed and are dropped below.
  const docs = r.all(
    r.qb
      .selectFrom('search_fts')
      .innerJoin('search_doc', 'search_doc.doc_id', 'search_fts.rowid')
      .select(['search_doc.entity', 'search_doc.row_id'])
      .where('search_fts', '=', match as never)
      .orderBy('search_fts.rank')
      .limit(limit * 2),
  );
  const byTable = new Map<SearchableTable, string[]>();
  for (const d of docs) {
    if (!isSearchableTable(d.entity)) continue;
    byTable.set(d.entity, [...(byTable.get(d.entity) ?? []), d.row_id]);
  }
  const rows = new Map<string, { table: SearchableTable; row: Record<string, unknown> }>();
  for (const [table, ids] of byTable) {
    const found = r.all(
      r.qb.selectFrom(table).selectAll().where('id', 'in', ids).where('deleted_at', 'is', null),
    ) as Record<string, unknown>[];
    for (const row of found) rows.set(`${table}:${String(row.id)}`, { table, row });
  }
  const hits: SearchHit[] = [];
  for (const d of docs) {
    const found = rows.get(`${d.entity}:${d.row_id}`);
    if (!found) continue;
    hits.push({ entity: found.table, id: d.row_id, ...searchHitLabel(found.table, found.row) });
    if (hits.length >= limit) break;
  }
  return hits;
}
