// The local store: the one owner of the SQLite handle. Everything else gets a read-only
// query builder and, inside `write`, the mutation API — never the raw handle — so no
// code path can change a synced table without recording the change (DESIGN.md, "Every
// write is a change"). Temp triggers back this up at run time.
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { IDENTIFIER_PATTERN, SEED_NODE_ID, type SyncedTable } from '../contract/index.js';
import {
  buildSearchDoc,
  isSearchableTable,
  searchDocInputFor,
  type SearchableTable,
  SEARCH_DOC_VERSION,
  searchDocColumns,
  searchableTables,
} from '../domain/searchText.js';
import { formatHlc, HlcClock, parseHlc, type ClockOptions, type Hlc } from '../domain/hlc.js';
import type { DatabaseKey } from './cipher.js';
import { newId } from './ids.js';
import { copyDatabase } from './sqlite.js';
import {
  createQueryBuilder,
  createReader,
  StatementCache,
  type QueryBuilder,
  type Reader,
} from './readQuery.js';
import { isSyncedColumn, isSyncedTable, syncedColumnsOf, syncedTableNames } from './syncSchema.js';

export type SqlValue = string | number | null;

/** Tables of this device only, written inside use cases but never synced. */
export const localTables = [
  'import_batches',
  'import_batch_leads',
  'lead_merges',
  'sync_peers',
  'sync_refused',
  'sync_pushes',
  'file_peers',
  'sync_conflicts',
  'lead_photos',
] as const;
export type LocalTable = (typeof localTables)[number];

/** One entry of the change log: every field one mutation changed on one row. */
export interface Change {
  hlc: string;
  table: string;
  rowId: string;
  fields: Record<string, SqlValue>;
  /** The user id chosen on the device that made the change, when one was chosen. */
  author?: string | null;
  /** The name of the device that wrote it, when the peer knows it (shown in conflicts). */
  device?: string | null;
}

/** A change-log entry with where it stands in this file: what the sync engine pushes. */
export interface LoggedChange extends Change {
  /** Order of arrival in this file. */
  seq: number;
  /** The sync peer it came from (null: written on this device). */
  via: string | null;
}

export interface ApplyOptions {
  /** The sync peer these changes come from: recorded so they are never sent back to it. */
  via?: string;
  /** A local-only row to update in the same transaction (the sync cursor that covers these
   * changes), so a crash can never separate the two. */
  alsoSetLocal?: {
    table: LocalTable;
    where: { column: string; value: SqlValue };
    values: Record<string, SqlValue>;
  };
}

/** One row being merged in a batch: its fields' clocks and the values that won so far. */
interface MergingRow {
  table: SyncedTable;
  rowId: string;
  clocks: Record<string, string>;
  winners: Record<string, SqlValue>;
  candidates: ConflictCandidate[];
}

export interface ApplyResult {
  /** Entries merged now (some of their fields may have lost to newer local values). */
  applied: number;
  /** Entries already seen before (duplicates are harmless). */
  duplicates: number;
  /** Fields kept for a table or column this version does not know yet. */
  pendingFields: number;
}

export interface StoreEvent {
  tables: SyncedTable[];
  origin: 'local' | 'sync';
}

export interface Mutator {
  /** Inserts a row; returns its id. Values may set created_at (imports, demo history).
   * `derived` are locally-derived columns (a new lead's score) written in the same
   * statement and, like setDerived, never logged: one write of the row instead of two. */
  insert(
    table: SyncedTable,
    values: Record<string, unknown>,
    id?: string,
    derived?: Record<string, SqlValue>,
  ): string;
  /** Changes the given fields; returns false when nothing differed (nothing logged). */
  update(table: SyncedTable, id: string, patch: Record<string, unknown>): boolean;
  softDelete(table: SyncedTable, id: string): boolean;
  restore(table: SyncedTable, id: string): boolean;
  /** Inserts a built-in row (a default stage) unless it was ever seeded here. Its change is
   * stamped with a fixed, oldest-possible HLC, so every device seeds the identical entry
   * and any real edit, on any device, wins over it. `values` must not vary by device. */
  seed(table: SyncedTable, id: string, values: Record<string, SqlValue>, seq: number): boolean;
  /** Writes a row of a local-only table (import history, a card's photo as bytes): never
   * logged, never synced. */
  insertLocal(table: LocalTable, values: Record<string, SqlValue | Uint8Array>): void;
  /** Sets columns of local-only rows matching `where` (one column = value). */
  updateLocal(
    table: LocalTable,
    where: { column: string; value: SqlValue },
    values: Record<string, SqlValue>,
  ): void;
  /** Deletes rows of a local-only table (never synced, never logged). */
  deleteLocal(table: LocalTable, where: { column: string; value: SqlValue }): void;
  /** Sets a value of this device's meta table (a learned model), in the transaction. */
  setMeta(key: string, value: string): void;
  /** Writes locally-derived columns (scores). Not logged: each device recomputes them. */
  setDerived(table: 'leads' | 'opportunities', id: string, values: Record<string, SqlValue>): void;
  /** The same for many rows at once, with one statement: `rows` are [id, ...values in the
   * order of `columns`] (rescoring 100 000 leads). */
  setDerivedRows(
    table: 'leads' | 'opportunities',
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): void;
}

export interface WriteTx extends Reader, Mutator {
  /** Wall-clock time of this transaction, for timestamps written by the use case. */
  readonly now: number;
  /** The user working on this device (stamped on its changes), for rows that say who
   * did something (a stage change). */
  readonly author: string | null;
}

export class WriteOutsideTransactionError extends Error {
  constructor() {
    super('this write transaction has already ended');
  }
}

export interface StoreOptions {
  clock?: ClockOptions;
  /** Injectable wall clock for created_at/updated_at (tests). */
  now?: () => number;
  /** Run-time tripwire against writes that bypass the mutation path. Default: on where
   * LEADBOOK_WRITE_GUARD=1 (the test configs and `npm run dev` set it), off in the shipped
   * app — see writeGuardByDefault. */
  writeGuard?: boolean;
  /** Set by openStore: the key the file was opened with (workers open their own
   * connections with it), and whether the file is read-only. */
  key?: DatabaseKey | null;
  readonly?: boolean;
  /** Run once the connection is closed (removes a read-only file's private copy). */
  onClose?: () => void;
}

const SEARCH_VERSION_KEY = 'search_doc_version';
/** Rows re-indexed per transaction: a write typed meanwhile waits at most ~0.1 s. */
export const REINDEX_PAGE = 2000;
const SEARCH_REBUILD_KEY = 'search_rebuild';

/** Per table being rebuilt: the last rowid its new search index holds (TABLE_REBUILT once
 * every row is in). */
export type SearchRebuildMarks = Partial<Record<SearchableTable, number>>;
const TABLE_REBUILT = Number.MAX_SAFE_INTEGER;

/** The next table a rebuild has rows left in (none: ready to swap in). */
export function tableToRebuild(marks: SearchRebuildMarks): SearchableTable | undefined {
  return searchableTables.find((t) => marks[t] !== undefined && marks[t] !== TABLE_REBUILT);
}

/** The guard's triggers make SQLite keep a statement journal for every write to a synced
 * table: measured at ~40 % of a lead's insert (docs/benchmarks.md, issue 21). Only this
 * class holds the connection (the layer rules keep every other module away from SQLite),
 * so a bypass can only be a bug in the store itself — which every test run, with the
 * guard on, would catch. The shipped app leaves it off. */
export function writeGuardByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LEADBOOK_WRITE_GUARD === '1';
}

/** The next arrival number, read in the same statement as the insert (the write lock is
 * held, so another connection — an import worker — cannot take the same number). */
const NEXT_SEQ = '(SELECT coalesce(max(seq), 0) + 1 FROM change_log)';

/** Distinct column sets of inserts kept prepared (tables × the shapes use cases write). */
const INSERT_STATEMENTS_MAX = 200;

/** WAL pages gathered before a checkpoint while merging from a sync peer (~40 MB). */
const SYNC_WAL_AUTOCHECKPOINT = 10_000;

/** From this many entries, a merge lifts the run-time guard for its transaction. */
const BULK_APPLY_ENTRIES = 200;
/** Columns every write touches: two laptops both stamping them is no conflict. */
const NO_CONFLICT_COLUMNS = new Set(['updated_at', 'created_at']);

/** A field of a merged row whose newest value was written on this device. */
interface ConflictCandidate {
  col: string;
  mineHlc: string;
  theirs: Change;
  value: SqlValue;
}

const derivedColumns: Record<'leads' | 'opportunities', ReadonlySet<string>> = {
  leads: new Set(['score', 'grade', 'score_breakdown', 'predicted_probability', 'scored_at']),
  opportunities: new Set(['predicted_probability']),
};

function toSqlValue(table: string, column: string, v: unknown): SqlValue {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`${table}.${column}: not a finite number`);
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`${table}.${column}: unsupported value type ${typeof v}`);
}

function localTable(table: string): string {
  if (!(localTables as readonly string[]).includes(table))
    throw new Error(`not a local table: ${table}`);
  return quoteIdent(table);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad identifier: ${name}`);
  return `"${name}"`;
}

export class Store {
  readonly qb: QueryBuilder;
  private readonly statements: StatementCache;
  private readonly insertStatements = new Map<string, BetterSqlite3.Statement>();
  private logStatement: BetterSqlite3.Statement | null = null;
  private readonly searchStatements = new Map<string, BetterSqlite3.Statement>();
  /** A search rebuild under way (this connection's or another's): per table, the last
   * rowid its new index holds. */
  private rebuilding: SearchRebuildMarks | null = null;
  private readonly reader: Reader;
  private readonly clock: HlcClock;
  private readonly wallNow: () => number;
  private gateDepth = 0;
  private guardOn = false;
  private author: string | null = null;
  private localWriteGuard: ((table: string, fields: Record<string, SqlValue>) => void) | null =
    null;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** Bumped on every write to a table (and again when its transaction ends, committed or
   * not), so anything cached per table version is never stale. */
  private readonly versions = new Map<string, number>();
  /** Version keys moved in the open transaction (columns, 'table.*'): moved again when it
   * ends, as its tables are. */
  private txKeys: Set<string> | null = null;
  /** SQLite's `data_version` as last seen: it moves when ANOTHER connection commits (an
   * import worker, the CLI run beside the app). */
  private dataVersion: number;
  private readonly dataVersionStmt: BetterSqlite3.Statement;
  /** The arrival number written with each log entry. Empty only on a file opened with an
   * older list of migrations (the upgrade tests write data the way that version did). */
  private readonly seqColumn: string;
  private readonly seqValue: string;
  /** The key this file was opened with (null: a plain file). Workers need it to open
   * their own connections. */
  readonly key: DatabaseKey | null;
  /** Opened read-only (a read-only file, folder or mount): every write is refused. */
  readonly readOnly: boolean;
  private onClose: (() => void) | undefined;

  /** Use `openStore` (store/open.ts): it migrates and backs up first. */
  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly path: string,
    readonly nodeId: string,
    options: StoreOptions = {},
  ) {
    this.qb = createQueryBuilder();
    this.statements = new StatementCache(db);
    this.reader = createReader(this.qb, this.statements, (key) => this.versionOf(key));
    this.wallNow = options.now ?? Date.now;
    this.key = options.key ?? null;
    this.readOnly = options.readonly ?? false;
    this.onClose = options.onClose;
    const hasSeq = (db.prepare('PRAGMA table_info(change_log)').all() as { name: string }[]).some(
      (c) => c.name === 'seq',
    );
    this.seqColumn = hasSeq ? ', seq' : '';
    this.seqValue = hasSeq ? `, ${NEXT_SEQ}` : '';
    const last = db.prepare('SELECT max(hlc) AS hlc FROM change_log').get() as {
      hlc: string | null;
    };
    const parsed = last.hlc ? parseHlc(last.hlc) : null;
    this.clock = new HlcClock(nodeId, parsed && { ...parsed, node: nodeId }, options.clock);
    this.db.function('leadbook_gate', { deterministic: false, varargs: false }, () =>
      this.gateDepth > 0 ? 1 : 0,
    );
    this.guardOn = options.writeGuard ?? writeGuardByDefault();
    if (this.guardOn) this.installGuard();
    this.dataVersionStmt = db.prepare('PRAGMA data_version').pluck();
    this.dataVersion = this.dataVersionStmt.get() as number;
    this.rebuilding = this.rebuildMarks();
  }

  /** Catches up with commits made by another connection to the same file: every cached
   * count is dropped, and the HLC clock moves past the newest change logged there — that
   * connection logs under this same node id, and a later edit made here must sort after
   * it. Runs at the start of every transaction; costs one pragma when nothing changed. */
  private catchUpWithOtherWriters(): boolean {
    const version = this.dataVersionStmt.get() as number;
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    // A search rebuild runs on another connection: where it stands decides which
    // documents this one's writes also go to.
    this.rebuilding = this.rebuildMarks();
    this.bump(
      new Set([
        ...syncedTableNames,
        ...syncedTableNames.map((t) => `${t}.*`),
        ...localTables,
        ...this.versions.keys(),
      ]),
    );
    const last = this.statements.get('SELECT max(hlc) AS hlc FROM change_log').get() as {
      hlc: string | null;
    };
    const parsed = last.hlc ? parseHlc(last.hlc) : null;
    if (parsed && parsed.node === this.nodeId) this.clock.recv(parsed);
    else if (parsed) this.clock.recv({ ...parsed, node: this.nodeId });
    return true;
  }

  /** Called when another connection has written (an import worker finished): catch up at
   * once and tell listeners, so open lists and counts refresh. */
  noticeOtherWriter(tables: SyncedTable[]): void {
    const changed = this.read(() => this.catchUpWithOtherWriters());
    if (changed || tables.length) this.emit({ tables, origin: 'local' });
  }

  /** How long a write waits for another connection's transaction (an import being
   * saved) before it fails as busy. better-sqlite3 waits synchronously, so while a long
   * write runs elsewhere this is kept short: the app answers "busy" instead of freezing. */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  // ---- reads ----

  all<R>(query: Compilable<R>): R[] {
    return this.reader.all(query);
  }
  count(query: Compilable<{ n: number }>, tables: string | readonly string[]): number {
    return this.reader.count(query, tables);
  }
  derived<T>(key: string, tables: readonly string[], compute: () => T): T {
    return this.reader.derived(key, tables, compute);
  }
  first<R>(query: Compilable<R>): R | undefined {
    return this.reader.first(query);
  }
  /** Runs several reads on one consistent snapshot. */
  read<T>(fn: (r: Reader) => T): T {
    return this.db
      .transaction(() => {
        this.catchUpWithOtherWriters();
        return fn(this.reader);
      })
      .deferred();
  }

  // ---- writes ----

  private bump(tables: Iterable<string>): void {
    for (const t of tables) this.versions.set(t, (this.versions.get(t) ?? 0) + 1);
  }

  /** The version of a table, or of one column ('opportunities.stage_position'): a column's
   * moves when a row's value of it changes, and with every new or merged row of its table
   * ('table.*'). Both counters only grow, so their sum moves whenever either does. A report
   * part that depends on a few columns survives edits of the others (a deal's next step
   * leaves the learned win rates alone). */
  private versionOf(key: string): number {
    const dot = key.indexOf('.');
    if (dot < 0) return this.versions.get(key) ?? 0;
    const table = key.slice(0, dot);
    const column = key.slice(dot + 1);
    // A generated column (stage_id) is never written, so its version would never move.
    const derived = (derivedColumns as Record<string, ReadonlySet<string>>)[table];
    if (!isSyncedColumn(table, column) && !derived?.has(column))
      throw new Error(`${key} is not a written column: name the column it is computed from`);
    return (this.versions.get(key) ?? 0) + (this.versions.get(`${table}.*`) ?? 0);
  }

  /** Notes columns of `table` written in this transaction — 'row' for a new or merged row,
   * where any column may have changed. */
  private noteColumns(table: string, columns: Iterable<string> | 'row'): void {
    const keys = columns === 'row' ? [`${table}.*`] : [...columns].map((c) => `${table}.${c}`);
    this.bump(keys);
    for (const k of keys) this.txKeys?.add(k);
  }

  /** One transaction with the write gate open: all of `fn` commits or none of it; table
   * versions move whether it commits or not; listeners hear about committed changes. */
  private gated<T>(origin: StoreEvent['origin'], fn: (touched: Set<SyncedTable>) => T): T {
    const touched = this.touchedSet();
    const keys = new Set<string>();
    const outerKeys = this.txKeys;
    this.txKeys = keys;
    let result: T;
    this.gateDepth++;
    try {
      result = this.db
        .transaction(() => {
          this.catchUpWithOtherWriters();
          return fn(touched);
        })
        .immediate();
    } finally {
      this.gateDepth--;
      this.txKeys = outerKeys;
      this.bump(touched);
      this.bump(keys);
      for (const k of keys) outerKeys?.add(k);
    }
    if (touched.size) this.emit({ tables: [...touched], origin });
    return result;
  }

  /** The set of tables a transaction touches; adding one bumps its version at once. */
  private touchedSet(): Set<SyncedTable> {
    const set = new Set<SyncedTable>();
    const add = set.add.bind(set);
    set.add = (t: SyncedTable) => {
      this.bump([t]);
      return add(t);
    };
    return set;
  }

  /** One use case = one transaction: all of it lands, or none of it. Listeners hear
   * which tables changed after the commit. */
  write<T>(fn: (tx: WriteTx) => T): T {
    return this.gated('local', (touched) => {
      let open = true;
      try {
        return fn(this.writeTx(touched, () => open));
      } finally {
        open = false;
      }
    });
  }

  /** A write of many rows (an import): the same mutation path — change log, search index,
   * rules — with the run-time write guard's triggers lifted for this one transaction. The
   * guard catches code that bypasses this very path, and on a bulk write it costs as much
   * as the rest of each row (a statement journal per statement). It is reinstated before
   * the transaction ends, and a rollback restores it too. */
  writeBulk<T>(fn: (tx: WriteTx) => T): T {
    return this.gated('local', (touched) => {
      const guarded = this.guardOn;
      if (guarded) this.dropGuard();
      let open = true;
      try {
        return fn(this.writeTx(touched, () => open));
      } finally {
        open = false;
        if (guarded) this.installGuard();
      }
    });
  }

  private writeTx(touched: Set<SyncedTable>, isOpen: () => boolean): WriteTx {
    const now = this.wallNow();
    const check = () => {
      if (!isOpen()) throw new WriteOutsideTransactionError();
    };
    const tx: WriteTx = {
      qb: this.qb,
      now,
      author: this.author,
      all: (q) => this.reader.all(q),
      first: (q) => this.reader.first(q),
      count: (q, table) => this.reader.count(q, table),
      derived: (key, tables, compute) => this.reader.derived(key, tables, compute),
      insert: (table, values, id, derived) => (
        check(),
        touched.add(table),
        this.insert(table, values, id, now, derived)
      ),
      update: (table, id, patch) => {
        check();
        const changed = this.update(table, id, patch, now);
        if (changed) touched.add(table);
        return changed;
      },
      softDelete: (table, id) => tx.update(table, id, { deleted_at: now }),
      restore: (table, id) => tx.update(table, id, { deleted_at: null }),
      seed: (table, id, values, seq) => {
        check();
        const seeded = this.seed(table, id, values, seq);
        if (seeded) touched.add(table);
        return seeded;
      },
      setDerived: (table, id, values) => (
        check(),
        touched.add(table),
        this.setDerived(table, id, values)
      ),
      setDerivedRows: (table, columns, rows) => (
        check(),
        touched.add(table),
        this.setDerivedRows(table, columns, rows)
      ),
      setMeta: (key, value) => (check(), this.setMeta(key, value)),
      insertLocal: (table, values) => {
        check();
        const cols = Object.keys(values);
        this.statements
          .get(
            `INSERT INTO ${localTable(table)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          )
          .run(...cols.map((c) => values[c]));
      },
      updateLocal: (table, where, values) => {
        check();
        this.updateLocalRows(table, where, values);
      },
      deleteLocal: (table, where) => {
        check();
        this.statements
          .get(`DELETE FROM ${localTable(table)} WHERE ${quoteIdent(where.column)} = ?`)
          .run(where.value);
      },
    };
    return tx;
  }

  private updateLocalRows(
    table: LocalTable,
    where: { column: string; value: SqlValue },
    values: Record<string, SqlValue>,
  ): void {
    const cols = Object.keys(values);
    this.statements
      .get(
        `UPDATE ${localTable(table)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE ${quoteIdent(where.column)} = ?`,
      )
      .run(...cols.map((c) => values[c]), where.value);
  }

  private insert(
    table: SyncedTable,
    values: Record<string, unknown>,
    id: string | undefined,
    now: number,
    derived?: Record<string, SqlValue>,
  ): string {
    const rowId = id ?? newId(now);
    const fields: Record<string, SqlValue> = {};
    for (const col in values) {
      const v = values[col];
      if (v === undefined) continue;
      this.assertColumn(table, col);
      fields[col] = toSqlValue(table, col, v);
    }
    fields.created_at ??= now;
    fields.updated_at ??= fields.created_at;
    fields.deleted_at ??= null;
    const cols = Object.keys(fields);
    const derivedCols = derived ? Object.keys(derived) : [];
    const args: SqlValue[] = [rowId];
    for (const c of cols) args.push(fields[c]!);
    for (const c of derivedCols) args.push(derived![c]!);
    const { lastInsertRowid } = this.insertStatement(table, cols, derivedCols).run(args);
    this.logLocal(table, rowId, fields);
    this.noteColumns(table, 'row');
    if (isSearchableTable(table)) this.indexRow(table, rowId, fields, lastInsertRowid, true);
    return rowId;
  }

  /** The INSERT for one set of columns, built and checked once: an import writes 100 000
   * rows with the same columns, and building the statement's text for each row showed up
   * in the write path's profile. */
  private insertStatement(
    table: SyncedTable,
    cols: readonly string[],
    derivedCols: readonly string[],
  ): BetterSqlite3.Statement {
    const key = `${table}|${cols.join(',')}|${derivedCols.join(',')}`;
    let stmt = this.insertStatements.get(key);
    if (!stmt) {
      if (derivedCols.length && !(table === 'leads' || table === 'opportunities'))
        throw new Error(`${table} has no derived columns`);
      for (const c of derivedCols)
        if (!derivedColumns[table as 'leads' | 'opportunities'].has(c))
          throw new Error(`${table}.${c} is not a derived column`);
      const all = [...cols, ...derivedCols];
      stmt = this.db.prepare(
        `INSERT INTO ${quoteIdent(table)} (id, ${all.map(quoteIdent).join(', ')}) VALUES (?${', ?'.repeat(all.length)})`,
      );
      if (this.insertStatements.size >= INSERT_STATEMENTS_MAX) this.insertStatements.clear();
      this.insertStatements.set(key, stmt);
    }
    return stmt;
  }

  private update(
    table: SyncedTable,
    id: string,
    patch: Record<string, unknown>,
    now: number,
  ): boolean {
    const found = this.statements
      .get(`SELECT rowid AS _rowid, * FROM ${quoteIdent(table)} WHERE id = ?`)
      .get(id) as (Record<string, SqlValue> & { _rowid: number }) | undefined;
    if (!found) throw new RowNotFoundError(table, id);
    const { _rowid: rowid, ...current } = found;
    const fields: Record<string, SqlValue> = {};
    for (const [col, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      this.assertColumn(table, col);
      if (col === 'created_at') throw new Error('created_at cannot be changed');
      const value = toSqlValue(table, col, v);
      if (current[col] !== value) fields[col] = value;
    }
    if (Object.keys(fields).length === 0) return false;
    fields.updated_at = Math.max(now, (current.updated_at as number | null) ?? 0);
    const cols = Object.keys(fields);
    this.statements
      .get(
        `UPDATE ${quoteIdent(table)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE id = ?`,
      )
      .run(...cols.map((c) => fields[c]), id);
    this.logLocal(table, id, fields);
    this.noteColumns(table, cols);
    if (isSearchableTable(table)) this.indexRow(table, id, { ...current, ...fields }, rowid);
    return true;
  }

  private seed(
    table: SyncedTable,
    id: string,
    values: Record<string, SqlValue>,
    seq: number,
  ): boolean {
    const hlc = formatHlc({ millis: 0, counter: seq, node: SEED_NODE_ID });
    if (this.statements.get('SELECT 1 FROM change_log WHERE hlc = ?').get(hlc)) return false;
    const fields: Record<string, SqlValue> = { created_at: 0, updated_at: 0, deleted_at: null };
    for (const [col, v] of Object.entries(values)) {
      this.assertColumn(table, col);
      fields[col] = v;
    }
    this.statements
      .get(
        `INSERT INTO change_log (hlc, tbl, row_id, fields, origin${this.seqColumn}) VALUES (?, ?, ?, ?, 'local'${this.seqValue})`,
      )
      .run(hlc, table, id, JSON.stringify(fields));
    // Merged like a remote change: if the row already came from another device, only
    // fields nobody has written yet take the seeded value.
    this.mergeFields(hlc, table, id, fields, new Set());
    return true;
  }

  private setDerived(
    table: 'leads' | 'opportunities',
    id: string,
    values: Record<string, SqlValue>,
  ): void {
    const cols = Object.keys(values);
    for (const c of cols) {
      if (!derivedColumns[table].has(c)) throw new Error(`${table}.${c} is not a derived column`);
    }
    if (!cols.length) return;
    this.statements
      .get(
        `UPDATE ${quoteIdent(table)} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE id = ?`,
      )
      .run(...cols.map((c) => values[c]), id);
    this.noteColumns(table, cols);
  }

  private setDerivedRows(
    table: 'leads' | 'opportunities',
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
  ): void {
    for (const c of columns) {
      if (!derivedColumns[table].has(c)) throw new Error(`${table}.${c} is not a derived column`);
    }
    if (!columns.length || !rows.length) return;
    const statement = this.statements.get(
      `UPDATE ${quoteIdent(table)} SET ${columns.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE id = ?`,
    );
    for (const [id, ...values] of rows) statement.run(...values, id);
    this.noteColumns(table, columns);
  }

  private assertColumn(table: string, col: string): void {
    if (!isSyncedColumn(table, col)) throw new Error(`${table}.${col} is not a synced column`);
  }

  private logLocal(table: string, rowId: string, fields: Record<string, SqlValue>): void {
    // Inside the write's transaction: a refused write rolls back whole.
    this.localWriteGuard?.(table, fields);
    const hlc = this.clock.send();
    this.logStatement ??= this.db.prepare(
      `INSERT INTO change_log (hlc, tbl, row_id, fields, origin, author${this.seqColumn}) VALUES (?, ?, ?, ?, 'local', ?${this.seqValue})`,
    );
    this.logStatement.run(hlc, table, rowId, JSON.stringify(fields), this.author);
  }

  /** Checks every change typed here before it is logged (a rep of a synced team may not
   * change team settings); throws to refuse it. */
  setLocalWriteGuard(
    guard: ((table: string, fields: Record<string, SqlValue>) => void) | null,
  ): void {
    this.localWriteGuard = guard;
  }

  /** Who is using this device: stamped on every change made here from now on. */
  setAuthor(userId: string | null): void {
    this.author = userId;
  }

  /** The user id stamped on changes made here (handed to an import worker's connection). */
  getAuthor(): string | null {
    return this.author;
  }

  /** Keeps the row's full-text document in step with the row, in the same transaction.
   * The document's rowid is the row's own rowid (read when not given). */
  private indexRow(
    table: SearchableTable,
    rowId: string,
    row: Record<string, SqlValue>,
    rowid?: number | bigint,
    /** The row was just inserted: it has no document to replace. */
    fresh = false,
  ): void {
    const doc = buildSearchDoc(searchDocInputFor(table, row));
    const rid =
      rowid ??
      (
        this.statements.get(`SELECT rowid FROM ${quoteIdent(table)} WHERE id = ?`).get(rowId) as {
          rowid: number;
        }
      ).rowid;
    if (!fresh) this.searchStatement(table, 'delete').run(rid);
    this.searchStatement(table, 'insert').run(rid, doc.body, doc.han1, doc.pinyin, doc.pinyin_mid);
    // A rebuild under way has already passed this row: its new index gets the document
    // too (rows after the mark are read by the rebuild itself, as they are by then).
    const mark = this.rebuilding?.[table];
    if (mark !== undefined && Number(rid) <= mark) {
      this.searchStatement(table, 'delete', true).run(rid);
      this.searchStatement(table, 'insert', true).run(
        rid,
        doc.body,
        doc.han1,
        doc.pinyin,
        doc.pinyin_mid,
      );
    }
  }

  private searchStatement(
    table: SearchableTable,
    op: 'insert' | 'delete',
    next = false,
  ): BetterSqlite3.Statement {
    const key = `${table}|${op}|${next}`;
    let stmt = this.searchStatements.get(key);
    if (!stmt) {
      const fts = quoteIdent(`search_${table}${next ? '_next' : ''}`);
      stmt = this.db.prepare(
        op === 'delete'
          ? `DELETE FROM ${fts} WHERE rowid = ?`
          : `INSERT INTO ${fts} (rowid, body, han1, pinyin, pinyin_mid) VALUES (?, ?, ?, ?, ?)`,
      );
      this.searchStatements.set(key, stmt);
    }
    return stmt;
  }

  /** Rows of every searchable table (what a re-index would have to read), only counted
   * when the index is outdated. */
  searchableRows(): number {
    if (this.searchIndexCurrent()) return 0;
    return searchableTables.reduce(
      (n, t) =>
        n +
        (this.statements.get(`SELECT count(*) AS n FROM ${quoteIdent(t)}`).get() as { n: number })
          .n,
      0,
    );
  }

  /** Whether the search documents were built by this version's indexing rules. */
  searchIndexCurrent(): boolean {
    return this.getMeta(SEARCH_VERSION_KEY) === String(SEARCH_DOC_VERSION);
  }

  /** Rebuilds every search document at once when they were built by other rules (a
   * one-shot CLI command); the app runs the same steps in the background
   * (searchIndexWorker.ts) while the workspace is used. Returns the rows indexed. */
  ensureSearchIndex(): number {
    if (this.searchIndexCurrent()) return 0;
    let indexed = 0;
    for (let marks = this.startSearchRebuild(); ;) {
      const table = tableToRebuild(marks);
      if (!table) break;
      const page = this.rebuildSearchPage(table, REINDEX_PAGE);
      indexed += page.count;
      marks = page.marks;
    }
    this.finishSearchRebuild();
    return indexed;
  }

  /** Starts (or resumes, after a crash or a quit) a rebuild of the search documents into
   * new tables beside the ones search uses — which keep answering, with their old
   * documents, until the rebuild swaps them in. Answers where each table stands. */
  startSearchRebuild(): SearchRebuildMarks {
    return this.db
      .transaction(() => {
        const saved = this.rebuildMarks();
        if (saved) return saved;
        const marks: SearchRebuildMarks = {};
        for (const table of searchableTables) {
          const created = (
            this.db
              .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
              .get(`search_${table}`) as { sql: string }
          ).sql;
          // The same definition as the migration gave the table, under the new name.
          this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(`search_${table}_next`)}`);
          this.db.exec(
            created.replace(
              /^CREATE VIRTUAL TABLE\s+"?search_[a-z]+"?/i,
              `CREATE VIRTUAL TABLE ${quoteIdent(`search_${table}_next`)}`,
            ),
          );
          // No merging while it is filled (each page's segment would be merged again
          // and again): one merge when it is swapped in.
          const next = quoteIdent(`search_${table}_next`);
          this.db.exec(`INSERT INTO ${next} (${next}, rank) VALUES ('automerge', 0)`);
          marks[table] = 0;
        }
        this.setMeta(SEARCH_REBUILD_KEY, JSON.stringify(marks));
        this.rebuilding = marks;
        return marks;
      })
      .immediate();
  }

  /** Builds the documents of the next `limit` rows of `table` into its new index, in one
   * transaction; a table done is dropped from the marks. */
  rebuildSearchPage(
    table: SearchableTable,
    limit: number,
  ): { count: number; marks: SearchRebuildMarks } {
    return this.db
      .transaction(() => {
        const marks = this.rebuildMarks() ?? {};
        const after = marks[table];
        if (after === undefined || after === TABLE_REBUILT) return { count: 0, marks };
        // Only the columns this file has: one opened with older migrations (the upgrade
        // tests) lacks the newest.
        const present = new Set(
          (
            this.statements.get(`SELECT name FROM pragma_table_info(?)`).all(table) as {
              name: string;
            }[]
          ).map((c) => c.name),
        );
        const columns = searchDocColumns[table].filter((c) => present.has(c));
        const rows = this.statements
          .get(
            `SELECT rowid, ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
          )
          .all(after, limit) as (Record<string, SqlValue> & { rowid: number })[];
        const insert = this.searchStatement(table, 'insert', true);
        for (const row of rows) {
          const doc = buildSearchDoc(searchDocInputFor(table, row));
          insert.run(row.rowid, doc.body, doc.han1, doc.pinyin, doc.pinyin_mid);
        }
        // A table done keeps a mark past every rowid until the swap: rows written to it
        // meanwhile must still reach its new index.
        const next: SearchRebuildMarks = {
          ...marks,
          [table]: rows.length ? rows.at(-1)!.rowid : TABLE_REBUILT,
        };
        this.setMeta(SEARCH_REBUILD_KEY, JSON.stringify(next));
        this.rebuilding = next;
        return { count: rows.length, marks: next };
      })
      .immediate();
  }

  /** Swaps the rebuilt indexes in (one transaction), records the rules they follow, and
   * merges them. Another connection may have rebuilt alongside (a one-shot command run
   * beside the app): whoever comes second finds the swap done and does nothing. */
  finishSearchRebuild(): void {
    const swapped = this.db
      .transaction(() => {
        const marks = this.rebuildMarks();
        if (!marks || tableToRebuild(marks)) return false;
        for (const table of searchableTables) {
          this.db.exec(`DROP TABLE ${quoteIdent(`search_${table}`)}`);
          const fts = quoteIdent(`search_${table}`);
          this.db.exec(`ALTER TABLE ${quoteIdent(`search_${table}_next`)} RENAME TO ${fts}`);
          // FTS5's default again: everyday writes merge small segments as they go.
          this.db.exec(`INSERT INTO ${fts} (${fts}, rank) VALUES ('automerge', 4)`);
        }
        this.statements.get('DELETE FROM meta WHERE key = ?').run(SEARCH_REBUILD_KEY);
        this.setMeta(SEARCH_VERSION_KEY, String(SEARCH_DOC_VERSION));
        this.rebuilding = null;
        return true;
      })
      .immediate();
    this.searchStatements.clear();
    if (swapped) this.optimizeSearchIndex();
  }

  /** Where a rebuild stands, as saved in the file (null: none under way). */
  private rebuildMarks(): SearchRebuildMarks | null {
    const saved = this.getMeta(SEARCH_REBUILD_KEY);
    return saved ? (JSON.parse(saved) as SearchRebuildMarks) : null;
  }

  /** Merges each full-text index into one b-tree. Many small transactions (typing leads
   * in, syncing, building the demo) leave an index in many segments, and every term of a
   * query is then looked up in each: after bulk writes this makes duplicate lookups and
   * searches about four times faster at 100 000 leads, for about a second of work. It
   * changes no data — only how the index is laid out. */
  optimizeSearchIndex(tables: readonly SearchableTable[] = searchableTables): void {
    this.db
      .transaction(() => {
        for (const table of tables) {
          const fts = quoteIdent(`search_${table}`);
          this.statements.get(`INSERT INTO ${fts} (${fts}) VALUES ('optimize')`).run();
        }
      })
      .immediate();
  }

  // ---- merging changes from other devices ----

  /** Merges changes made elsewhere: last writer wins per field (by HLC), idempotent and
   * independent of delivery order. Unknown tables/columns are kept as pending. The whole
   * batch is one transaction; a batch from a clock too far ahead is refused whole. */
  /** Checks changes as applyChanges does (shape, clock), without applying any: a file
   * applied in several transactions is refused whole before the first. */
  assertApplicable(changes: readonly Change[]): void {
    for (const c of changes) {
      validateChange(c);
      this.clock.assertWithinDrift(parseHlc(c.hlc)!);
    }
  }

  applyChanges(changes: readonly Change[], options: ApplyOptions = {}): ApplyResult {
    const via = options.via ?? null;
    const parsed = changes.map((c) => {
      validateChange(c);
      const h = parseHlc(c.hlc)!;
      return { c, h };
    });
    for (const { h } of parsed) {
      // Checked before anything is applied so a refused batch changes nothing.
      this.clock.assertWithinDrift(h);
    }
    parsed.sort((a, b) => (a.c.hlc < b.c.hlc ? -1 : a.c.hlc > b.c.hlc ? 1 : 0));
    const result: ApplyResult = { applied: 0, duplicates: 0, pendingFields: 0 };
    // A big batch (a first pull) is written with the run-time guard lifted, as an import is
    // (see writeBulk): this is the mutation path itself, and the guard's triggers make
    // SQLite keep a statement journal per row written — a third of the cost of a merge.
    const bulk = this.guardOn && parsed.length >= BULK_APPLY_ENTRIES;
    // What comes from a sync peer can be fetched from it again, and its cursor commits with
    // it: such a commit need not wait for the disk (synchronous=NORMAL in WAL mode stays
    // consistent after a power cut; the newest merges are pulled again). A write typed here
    // still commits with FULL, which also makes every merge before it durable.
    const relaxed = via !== null;
    if (relaxed) {
      this.db.pragma('synchronous = NORMAL');
      // Batch after batch of a pull rewrites the same hot index pages: checkpointing them
      // into the file after every batch (the default, at 1 000 WAL pages) costs a sixth of
      // a first pull. The next write typed here checkpoints what has gathered.
      this.db.pragma(`wal_autocheckpoint = ${SYNC_WAL_AUTOCHECKPOINT}`);
    }
    try {
      this.gated('sync', (touched) => {
        if (bulk) this.dropGuard();
        try {
          this.mergeBatch(parsed, via, options, result, touched);
        } finally {
          if (bulk) this.installGuard();
        }
      });
    } finally {
      if (relaxed) {
        this.db.pragma('synchronous = FULL');
        this.db.pragma('wal_autocheckpoint = 1000');
      }
    }
    return result;
  }

  private mergeBatch(
    parsed: { c: Change; h: Hlc }[],
    via: string | null,
    options: ApplyOptions,
    result: ApplyResult,
    touched: Set<SyncedTable>,
  ): void {
    {
      // Which entries are already here, in one query per 500 instead of one per entry.
      const seen = new Set<string>();
      for (let i = 0; i < parsed.length; i += 500) {
        const chunk = parsed.slice(i, i + 500).map((p) => p.c.hlc);
        const rows = this.statements
          .get(`SELECT hlc FROM change_log WHERE hlc IN (${chunk.map(() => '?').join(', ')})`)
          .all(...chunk) as { hlc: string }[];
        for (const r of rows) seen.add(r.hlc);
      }
      const insertLog = this.statements.get(
        `INSERT INTO change_log (hlc, tbl, row_id, fields, origin, author, via${this.seqColumn}) VALUES (?, ?, ?, ?, 'remote', ?, ?${this.seqValue})`,
      );
      // Each row's field clocks are read once per batch and its winning values written once
      // (and its search document rebuilt once), however many of its entries the batch holds:
      // a first pull brings every entry of every row, and per-entry reads and rewrites made
      // it several times slower than writing the rows. Entries are merged in HLC order, so
      // the result is what applying them one by one would give.
      const rows = new Map<string, MergingRow>();
      for (const { c, h } of parsed) {
        if (seen.has(c.hlc)) {
          result.duplicates++;
          continue;
        }
        seen.add(c.hlc);
        insertLog.run(c.hlc, c.table, c.rowId, JSON.stringify(c.fields), c.author ?? null, via);
        this.clock.recv(h);
        result.applied++;
        if (!isSyncedTable(c.table)) {
          result.pendingFields += this.mergeFields(c.hlc, c.table, c.rowId, c.fields, touched);
          continue;
        }
        const key = `${c.table}\u0000${c.rowId}`;
        let row = rows.get(key);
        if (!row) {
          row = {
            table: c.table,
            rowId: c.rowId,
            clocks: this.fieldClocks(c.table, c.rowId, c.hlc),
            winners: {},
            candidates: [],
          };
          rows.set(key, row);
        }
        for (const [col, value] of Object.entries(c.fields)) {
          if (!isSyncedColumn(c.table, col)) {
            this.keepPending(c.hlc, c.table, c.rowId, col, value);
            result.pendingFields++;
            continue;
          }
          const known = row.clocks[col];
          if (col === 'deleted_at' && value !== null) {
            // Deleted elsewhere while edited here: the edits stay on the (deleted) row, and
            // the conflict offers to restore it.
            let newestMine: string | null = null;
            for (const [other, clock] of Object.entries(row.clocks))
              if (
                !NO_CONFLICT_COLUMNS.has(other) &&
                this.isMine(clock) &&
                clock > (newestMine ?? '')
              )
                newestMine = clock;
            if (newestMine) row.candidates.push({ col, mineHlc: newestMine, theirs: c, value });
          } else if (known !== undefined && !NO_CONFLICT_COLUMNS.has(col) && this.isMine(known))
            row.candidates.push({ col, mineHlc: known, theirs: c, value });
          if (known === undefined || c.hlc > known) {
            row.winners[col] = value;
            row.clocks[col] = c.hlc;
          }
        }
      }
      // Table by table: each table's B-trees stay hot in the page cache while it is written.
      const ordered = [...rows.values()].sort((a, b) =>
        a.table < b.table ? -1 : a.table > b.table ? 1 : 0,
      );
      for (const row of ordered) {
        this.writeWinners(row.table, row.rowId, row.winners, touched);
        for (const k of row.candidates) this.noteConflict(row.table, row.rowId, k);
      }
      const local = options.alsoSetLocal;
      if (local) this.updateLocalRows(local.table, local.where, local.values);
    }
  }

  private isMine(hlc: string): boolean {
    return hlc.endsWith(this.nodeId);
  }

  /** Records a conflict when the value from elsewhere was written before the value typed
   * here had reached any server or hub — its writer cannot have seen ours, so one of two
   * values typed by people was replaced without anyone choosing it. A later write (made
   * after ours was shared) is an ordinary edit. Both values stay in change_log either way. */
  private noteConflict(table: SyncedTable, rowId: string, k: ConflictCandidate): void {
    const mine = this.statements
      .get('SELECT seq, fields, author FROM change_log WHERE hlc = ?')
      .get(k.mineHlc) as { seq: number | null; fields: string; author: string | null } | undefined;
    if (!mine) return;
    const shared = this.statements
      .get('SELECT min(at) AS at FROM sync_pushes WHERE seq >= ?')
      .get(mine.seq ?? 0) as { at: number | null };
    const theirsAt = parseHlc(k.theirs.hlc)!.millis;
    if (shared.at !== null && theirsAt >= shared.at) return;
    const deletion = k.col === 'deleted_at' && !(k.col in JSON.parse(mine.fields));
    const mineValue: SqlValue = deletion
      ? null
      : ((JSON.parse(mine.fields) as Record<string, SqlValue>)[k.col] ?? null);
    if (!deletion && mineValue === k.value) return;
    this.statements
      .get(
        `INSERT OR IGNORE INTO sync_conflicts (tbl, row_id, col, mine_value, mine_hlc, mine_author,
           theirs_value, theirs_hlc, theirs_author, theirs_device, winner, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        table,
        rowId,
        k.col,
        JSON.stringify(mineValue),
        k.mineHlc,
        mine.author,
        JSON.stringify(k.value),
        k.theirs.hlc,
        k.theirs.author ?? null,
        k.theirs.device ?? null,
        // A deletion met edits of other fields: the row is deleted whatever their order.
        deletion || k.theirs.hlc > k.mineHlc ? 'theirs' : 'mine',
        Date.now(),
      );
  }

  private keepPending(
    hlc: string,
    table: string,
    rowId: string,
    col: string,
    value: SqlValue,
  ): void {
    this.statements
      .get(
        'INSERT OR IGNORE INTO pending_changes (hlc, tbl, row_id, col, value) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hlc, table, rowId, col, JSON.stringify(value));
  }

  /** Writes the values that won for one row (insert or update), and its search document. */
  private writeWinners(
    table: SyncedTable,
    rowId: string,
    winners: Record<string, SqlValue>,
    touched: Set<SyncedTable>,
  ): void {
    const cols = Object.keys(winners);
    if (!cols.length) return;
    const t = quoteIdent(table);
    touched.add(table);
    this.noteColumns(table, 'row');
    if (!isSearchableTable(table)) {
      this.statements
        .get(
          `INSERT INTO ${t} (id, ${cols.map(quoteIdent).join(', ')}) VALUES (?${', ?'.repeat(cols.length)})
           ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`,
        )
        .run(rowId, ...cols.map((c) => winners[c]));
      return;
    }
    // A searchable row is read first (its search document needs the whole row): then it is
    // an update, or an insert whose document is new — no second read, no delete.
    const found = this.statements
      .get(`SELECT rowid AS _rowid, * FROM ${t} WHERE id = ?`)
      .get(rowId) as (Record<string, SqlValue> & { _rowid: number }) | undefined;
    if (found) {
      const { _rowid: rowid, ...current } = found;
      this.statements
        .get(`UPDATE ${t} SET ${cols.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE id = ?`)
        .run(...cols.map((c) => winners[c]), rowId);
      this.indexRow(table, rowId, { ...current, ...winners }, rowid);
    } else {
      const { lastInsertRowid } = this.statements
        .get(
          `INSERT INTO ${t} (id, ${cols.map(quoteIdent).join(', ')}) VALUES (?${', ?'.repeat(cols.length)})`,
        )
        .run(rowId, ...cols.map((c) => winners[c]));
      this.indexRow(table, rowId, winners, lastInsertRowid, true);
    }
  }

  /** Applies the fields of one change that are newer than what the row has; returns how
   * many fields went to the pending table. */
  private mergeFields(
    hlc: string,
    table: string,
    rowId: string,
    fields: Record<string, SqlValue>,
    touched: Set<SyncedTable>,
  ): number {
    let pending = 0;
    if (!isSyncedTable(table)) {
      for (const [col, value] of Object.entries(fields))
        this.keepPending(hlc, table, rowId, col, value);
      return Object.keys(fields).length;
    }
    const clocks = this.fieldClocks(table, rowId, hlc);
    const winners: Record<string, SqlValue> = {};
    for (const [col, value] of Object.entries(fields)) {
      if (!isSyncedColumn(table, col)) {
        this.keepPending(hlc, table, rowId, col, value);
        pending++;
        continue;
      }
      const known = clocks[col];
      if (known === undefined || hlc > known) winners[col] = value;
    }
    this.writeWinners(table, rowId, winners, touched);
    return pending;
  }

  /** The newest HLC of each field of a row, from its change-log entries (other than
   * `except`, the entry being merged). Rows have few entries, and the index on
   * (tbl, row_id, hlc) finds them directly. */
  private fieldClocks(table: string, rowId: string, except: string): Record<string, string> {
    const entries = this.statements
      .get(
        'SELECT hlc, fields FROM change_log WHERE tbl = ? AND row_id = ? AND hlc <> ? ORDER BY hlc',
      )
      .all(table, rowId, except) as { hlc: string; fields: string }[];
    const clocks: Record<string, string> = {};
    for (const e of entries) {
      for (const col of Object.keys(JSON.parse(e.fields) as Record<string, unknown>))
        clocks[col] = e.hlc;
    }
    return clocks;
  }

  /** Applies pending fields whose table and column this version now knows (run after
   * migrations). Returns how many fields were merged. */
  replayPending(): number {
    const rows = this.db
      .prepare('SELECT hlc, tbl, row_id, col, value FROM pending_changes ORDER BY hlc')
      .all() as {
      hlc: string;
      tbl: string;
      row_id: string;
      col: string;
      value: string | null;
    }[];
    const ready = rows.filter((r) => isSyncedColumn(r.tbl, r.col));
    if (!ready.length) return 0;
    this.gated('sync', (touched) => {
      for (const r of ready) {
        const value = r.value === null ? null : (JSON.parse(r.value) as SqlValue);
        this.mergeFields(r.hlc, r.tbl, r.row_id, { [r.col]: value }, touched);
        this.statements
          .get('DELETE FROM pending_changes WHERE hlc = ? AND tbl = ? AND row_id = ? AND col = ?')
          .run(r.hlc, r.tbl, r.row_id, r.col);
      }
    });
    return ready.length;
  }

  /** Change-log entries after `afterHlc` (exclusive), oldest first: what to send to
   * another device or the sync server. */
  changesSince(afterHlc: string | null = null, limit = 10_000): Change[] {
    const rows = this.statements
      .get(
        'SELECT hlc, tbl, row_id, fields, author FROM change_log WHERE hlc > ? ORDER BY hlc LIMIT ?',
      )
      .all(afterHlc ?? '', limit) as {
      hlc: string;
      tbl: string;
      row_id: string;
      fields: string;
      author: string | null;
    }[];
    return rows.map((r) => ({
      hlc: r.hlc,
      table: r.tbl,
      rowId: r.row_id,
      fields: JSON.parse(r.fields) as Record<string, SqlValue>,
      author: r.author,
    }));
  }

  // ---- the log in order of arrival (what the sync engine pushes) ----

  /** Entries that arrived in this file after local seq `afterSeq`, in arrival order. */
  logSince(afterSeq: number, limit: number): LoggedChange[] {
    const rows = this.statements
      .get(
        'SELECT seq, hlc, tbl, row_id, fields, author, via FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit) as {
      seq: number;
      hlc: string;
      tbl: string;
      row_id: string;
      fields: string;
      author: string | null;
      via: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      hlc: r.hlc,
      table: r.tbl,
      rowId: r.row_id,
      fields: JSON.parse(r.fields) as Record<string, SqlValue>,
      author: r.author,
      via: r.via,
    }));
  }

  /** The newest local seq. */
  logHead(): number {
    return (
      (this.statements.get('SELECT max(seq) AS s FROM change_log').get() as { s: number | null })
        .s ?? 0
    );
  }

  /** How many entries after `afterSeq` did not come from `peer`: what still has to go up. */
  countWaiting(afterSeq: number, peer: string): number {
    return (
      this.statements
        .get('SELECT count(*) AS n FROM change_log WHERE seq > ? AND (via IS NULL OR via <> ?)')
        .get(afterSeq, peer) as { n: number }
    ).n;
  }

  /** Forgets that entries came from `peer`: after that peer lost entries (a server restored
   * from an older backup), everything it may lack is pushed to it again. */
  forgetVia(peer: string): void {
    this.statements.get('UPDATE change_log SET via = NULL WHERE via = ?').run(peer);
  }

  // ---- events ----

  onChange(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // A failing listener (a closed window) must not undo or block a committed write.
        console.error('leadbook: change listener failed', err);
      }
    }
  }

  // ---- local metadata (not synced) ----

  getMeta(key: string): string | undefined {
    const row = this.statements.get('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements
      .get(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /** A consistent copy, encrypted like this file, even while the app keeps writing.
   * Blocks this connection for as long as the copy takes: the app makes its scheduled
   * backups on a worker's connection instead (services/backups.ts). */
  backupTo(destination: string): void {
    copyDatabase(this.db, destination);
  }

  close(): void {
    this.listeners.clear();
    if (this.db.open) this.db.close();
    this.onClose?.();
    this.onClose = undefined;
  }

  // ---- guard ----

  /** Temp triggers make every INSERT/DELETE, and every UPDATE of a synced column, fail
   * unless it runs inside the mutation path (`leadbook_gate()` is 1 only there). */
  private dropGuard(): void {
    for (const table of syncedTableNames)
      for (const op of ['insert', 'update', 'delete'])
        this.db.exec(`DROP TRIGGER IF EXISTS temp.guard_${table}_${op}`);
  }

  private installGuard(): void {
    for (const table of syncedTableNames) {
      const t = quoteIdent(table);
      // Only what this file has: a file opened with older migrations (in tests, to check
      // the next one) lacks the newest tables and columns.
      const present = new Set(
        (
          this.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]
        ).map((c) => c.name),
      );
      if (!present.size) continue;
      const cols = [...syncedColumnsOf(table)]
        .filter((c) => present.has(c))
        .map(quoteIdent)
        .join(', ');
      const raise = `SELECT RAISE(ABORT, 'leadbook: ${table} may only be written through the mutation path')`;
      this.db.exec(`
        CREATE TEMP TRIGGER IF NOT EXISTS guard_${table}_insert BEFORE INSERT ON main.${t}
          WHEN leadbook_gate() = 0 BEGIN ${raise}; END;
        CREATE TEMP TRIGGER IF NOT EXISTS guard_${table}_update BEFORE UPDATE OF ${cols} ON main.${t}
          WHEN leadbook_gate() = 0 BEGIN ${raise}; END;
        CREATE TEMP TRIGGER IF NOT EXISTS guard_${table}_delete BEFORE DELETE ON main.${t}
          WHEN leadbook_gate() = 0 BEGIN ${raise}; END;`);
    }
  }
}

export class RowNotFoundError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`${table} ${id} not found`);
    this.name = 'RowNotFoundError';
  }
}

export class InvalidChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

function validateChange(c: Change): void {
  if (typeof c !== 'object' || c === null) throw new InvalidChangeError('change must be an object');
  if (typeof c.hlc !== 'string' || !parseHlc(c.hlc))
    throw new InvalidChangeError(`bad hlc: ${String(c.hlc)}`);
  if (typeof c.table !== 'string' || !IDENTIFIER_PATTERN.test(c.table))
    throw new InvalidChangeError(`bad table name in change ${c.hlc}`);
  if (typeof c.rowId !== 'string' || c.rowId.length === 0 || c.rowId.length > 100)
    throw new InvalidChangeError(`bad row id in change ${c.hlc}`);
  if (typeof c.fields !== 'object' || c.fields === null || Array.isArray(c.fields))
    throw new InvalidChangeError(`bad fields in change ${c.hlc}`);
  if (c.author != null && (typeof c.author !== 'string' || c.author.length > 100))
    throw new InvalidChangeError(`bad author in change ${c.hlc}`);
  for (const [col, v] of Object.entries(c.fields)) {
    if (!IDENTIFIER_PATTERN.test(col))
      throw new InvalidChangeError(`bad column ${col} in change ${c.hlc}`);
    if (!(v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))))
      throw new InvalidChangeError(`bad value for ${col} in change ${c.hlc}`);
  }
}
