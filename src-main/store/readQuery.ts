// A query builder that cannot write: kysely compiles SELECTs for us, better-sqlite3 runs
// them synchronously. Code outside the store gets this, never a database handle.
import type BetterSqlite3 from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
} from 'kysely';
import type { ReadonlyKysely } from 'kysely/readonly';
import type { Database } from './database.js';

export type QueryBuilder = ReadonlyKysely<Database>;

/** Builds SQL only: executing it through kysely fails, by design. */
export function createQueryBuilder(): QueryBuilder {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }) as unknown as QueryBuilder;
}

export interface Reader {
  readonly qb: QueryBuilder;
  all<R>(query: Compilable<R>): R[];
  first<R>(query: Compilable<R>): R | undefined;
  /** A `SELECT count(*) AS n` over `tables`, remembered until one of them next changes:
   * a 100 000-row list asks for its total on every filter change and re-render, and the
   * count is the slowest part of a page. Name every table the query reads. */
  count(query: Compilable<{ n: number }>, tables: string | readonly string[]): number;
  /** A value computed from `tables` (team settings), remembered until one of them next
   * changes. An entry may name one written column, 'opportunities.stage_position' (not a
   * generated one such as `stage_id`: name the column it comes from): the value then
   * survives edits of the table's other columns (not new or merged rows). The value is
   * shared: callers must not mutate it. */
  derived<T>(key: string, tables: readonly string[], compute: () => T): T;
}

/** Prepared statements are cached by SQL text; the cache is bounded so ad-hoc filter
 * combinations cannot grow it without limit. */
export class StatementCache {
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly max = 400,
  ) {}

  get(sqlText: string): BetterSqlite3.Statement {
    let stmt = this.cache.get(sqlText);
    if (stmt) {
      this.cache.delete(sqlText);
      this.cache.set(sqlText, stmt);
      return stmt;
    }
    stmt = this.db.prepare(sqlText);
    this.cache.set(sqlText, stmt);
    if (this.cache.size > this.max) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return stmt;
  }
}

const COUNT_CACHE_MAX = 200;

export function createReader(
  qb: QueryBuilder,
  statements: StatementCache,
  versionOf: (table: string) => number,
): Reader {
  const counts = new Map<string, number>();
  const values = new Map<string, { versions: string; value: unknown }>();
  const prepare = (query: Compilable<unknown>) => {
    const compiled = query.compile();
    // Second line of defence after the read-only type: only SELECTs run here.
    if (compiled.query.kind !== 'SelectQueryNode') {
      throw new Error(`read queries must be SELECTs, got ${compiled.query.kind}`);
    }
    return { stmt: statements.get(compiled.sql), params: compiled.parameters as unknown[] };
  };
  return {
    qb,
    all<R>(query: Compilable<R>): R[] {
      const { stmt, params } = prepare(query);
      return stmt.all(...params) as R[];
    },
    first<R>(query: Compilable<R>): R | undefined {
      const { stmt, params } = prepare(query);
      return stmt.get(...params) as R | undefined;
    },
    count(query, tables) {
      const compiled = query.compile();
      const versions = (typeof tables === 'string' ? [tables] : tables)
        .map((t) => `${t}@${versionOf(t)}`)
        .join(',');
      const key = `${versions}\u0000${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`;
      const hit = counts.get(key);
      if (hit !== undefined) return hit;
      const { stmt, params } = prepare(query);
      const n = (stmt.get(...params) as { n: number } | undefined)?.n ?? 0;
      if (counts.size >= COUNT_CACHE_MAX) counts.clear();
      counts.set(key, n);
      return n;
    },
    derived<T>(key: string, tables: readonly string[], compute: () => T): T {
      const versions = tables.map((t) => `${t}@${versionOf(t)}`).join(',');
      const hit = values.get(key);
      if (hit && hit.versions === versions) return hit.value as T;
      const value = compute();
      values.set(key, { versions, value });
      return value;
    },
  };
}
