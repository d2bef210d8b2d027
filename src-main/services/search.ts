import type { ReadonlyKysely } from 'kysely/readonly';
import { sql } from 'kysely';
import type { SearchHit } from '../contract/index.js';
import {
  searchableTables,
  searchHitLabel,
  toFtsQuery,
  type SearchableTable,
} from '../domain/searchText.js';
import type { Reader } from '../store/readQuery.js';

type AnyDb = Record<string, Record<string, unknown>>;

/** Full-text + pinyin search across leads, contacts, accounts and opportunities: the best
 * matches of each entity by FTS rank, merged. */
export function searchAll(r: Reader, q: string, limit: number): SearchHit[] {
  const match = toFtsQuery(q);
  if (!match) return [];
  const qb = r.qb as unknown as ReadonlyKysely<AnyDb>;
  const found: { rank: number; hit: SearchHit }[] = [];
  for (const table of searchableTables) {
    const fts = `search_${table}`;
    const rows = r.all(
      qb
        .selectFrom(fts)
        .crossJoin(table)
        .where(sql<boolean>`${sql.ref(`${table}.rowid`)} = ${sql.ref(`${fts}.rowid`)}`)
        .where(sql<boolean>`${sql.table(fts)} MATCH ${match}`)
        .where(`${table}.deleted_at`, 'is', null)
        .selectAll(table)
        .select(sql<number>`${sql.ref(`${fts}.rank`)}`.as('_rank'))
        .orderBy(sql`${sql.ref(`${fts}.rank`)}`)
        .limit(limit),
    ) as (Record<string, unknown> & { _rank: number; id: string })[];
    for (const row of rows) {
      found.push({
        rank: row._rank,
        hit: { entity: table as SearchableTable, id: row.id, ...searchHitLabel(table, row) },
      });
    }
  }
  return found
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((f) => f.hit);
}
