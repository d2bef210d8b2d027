// Opening a database file: pragmas, a backup before any migration, migrations, identity.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { isPlainDatabaseFile, type DatabaseKey } from './cipher.js';
import { copyDatabase, openSqlite, WorkspaceLockedError } from './sqlite.js';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { migrations as allMigrations } from '../../migrations/index.js';
import { backupFileName, defaultBackupDir, KEEP_BACKUPS, pruneBackups } from './backups.js';
import { newNodeId } from './ids.js';
import { Store, type StoreOptions } from './store.js';

export interface OpenOptions extends StoreOptions {
  /** Where pre-migration backups go (default: `backups/` beside the database). */
  backupDir?: string;
  /** Migrations to run (tests pass a prefix of the list to test upgrades). */
  migrations?: Record<string, Migration>;
  /** Open without writing (default: when the file or its folder cannot be written). */
  readonly?: boolean;
  /** The workspace key. A new file is created encrypted with it; an existing plain file
   * opens plain (Settings › Security offers to encrypt it). */
  key?: DatabaseKey | null;
  /** Caps the file at this many pages (PRAGMA max_page_count): the tests make a disk
   * "full" with it where they cannot mount a small filesystem. */
  maxPageCount?: number;
  /** Search documents built by older rules: rebuilt while opening ('now', the default),
   * or left to the caller's background job ('later': the app shells). */
  searchIndex?: 'now' | 'later';
}

/** From this many rows to index, the app shells rebuild an outdated search index in the
 * background (~0.1 s per 1 000 rows). */
const REINDEX_LATER_FROM_ROWS = 5000;

/** SQLite's words for a file whose pages are not what they should be. */
function looksDamaged(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message ?? '';
  return (
    (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) ||
    /malformed|disk image|vtable constructor failed|not a database/i.test(message)
  );
}

export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

/** Whether this process may write the file and create its -wal/-shm beside it. Root
 * passes any permission check, but not a read-only mount (EROFS). */
export function canWrite(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function applyPragmas(
  db: BetterSqlite3.Database,
  inMemory: boolean,
  readonly = false,
): void {
  if (!inMemory && !readonly) db.pragma('journal_mode = WAL');
  // FULL: a committed lead survives a power cut, not just a crash. Bulk work is batched
  // into one transaction, so the extra fsync per commit is not felt.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A 64 MiB page cache: a write touches a dozen B-trees (row, indexes, change log, clocks,
  // search), and the default 2 MiB cache thrashes on bulk work over 100 000 leads.
  db.pragma('cache_size = -65536');
  // Statement journals (needed once a table has triggers that may abort a statement) and
  // temp tables stay in memory: a temp file per write costs more than the write itself.
  db.pragma('temp_store = MEMORY');
}

export async function openStore(file: string, options: OpenOptions = {}): Promise<Store> {
  const inMemory = file === ':memory:';
  const resolved = inMemory ? file : path.resolve(file);
  if (!inMemory) fs.mkdirSync(path.dirname(resolved), { recursive: true });
  const existed = !inMemory && fs.existsSync(resolved) && fs.statSync(resolved).size > 0;
  const readonly = options.readonly ?? (existed && !canWrite(resolved));
  // A plain file stays plain until the user encrypts it; everything new gets the key.
  const key = options.key && !(existed && isPlainDatabaseFile(resolved)) ? options.key : null;
  let db: BetterSqlite3.Database;
  let opened = resolved;
  let onClose: (() => void) | undefined;
  try {
    if (readonly && !canCreateBeside(resolved)) {
      // A WAL-mode file needs its -shm beside it even to be read, and a read-only folder
      // or mount cannot have one made: the file (and any WAL) is read from a private copy.
      const copy = readOnlyCopy(resolved);
      opened = copy.file;
      onClose = copy.remove;
    }
    // Opening reads the schema, which proves the file is a database (and the key right)
    // without scanning it all: the full check runs in the background once it is open.
    db = openSqlite(opened, readonly ? { readonly: true, fileMustExist: true } : {}, key);
    applyPragmas(db, inMemory, readonly);
    if (options.maxPageCount) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
  } catch (err) {
    onClose?.();
    if (err instanceof WorkspaceLockedError) throw err;
    throw new DatabaseOpenError(`cannot open ${resolved}: ${(err as Error).message}`);
  }
  try {
    await migrate(db, resolved, existed, options, readonly);
    let nodeId = (
      db.prepare(`SELECT value FROM meta WHERE key = 'node_id'`).get() as
        { value: string } | undefined
    )?.value;
    if (!nodeId) {
      nodeId = newNodeId();
      if (!readonly) db.prepare(`INSERT INTO meta (key, value) VALUES ('node_id', ?)`).run(nodeId);
    }
    const store = new Store(db, opened, nodeId, { ...options, key, readonly, onClose });
    if (!readonly) {
      store.replayPending();
      // The app re-indexes a big file in the background (the workspace is usable
      // meanwhile); a one-shot command, a new file or a small one is done now — a worker
      // would cost more than the work.
      if (options.searchIndex !== 'later' || store.searchableRows() < REINDEX_LATER_FROM_ROWS)
        store.ensureSearchIndex();
    }
    return store;
  } catch (err) {
    db.close();
    onClose?.();
    throw err;
  }
}

function canCreateBeside(file: string): boolean {
  if (fs.existsSync(`${file}-shm`)) return true;
  try {
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readOnlyCopy(file: string): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-readonly-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  return { file: copy, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Kysely runs SQLite migrations outside any transaction (its adapter says SQLite has no
 * transactional DDL — it does). A process killed between a migration's ALTER TABLE and
 * the row recording it left a file no later start could upgrade ("duplicate column").
 * Saying so runs every pending migration, and their bookkeeping, in one transaction:
 * an upgrade is there whole or not at all. */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class MigrationDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

async function migrate(
  db: BetterSqlite3.Database,
  file: string,
  existed: boolean,
  options: OpenOptions,
  readonly: boolean,
): Promise<void> {
  const kysely = new Kysely<unknown>({ dialect: new MigrationDialect({ database: db }) });
  const list = options.migrations ?? allMigrations;
  const migrator = new Migrator({ db: kysely, provider: { getMigrations: async () => list } });
  let known;
  try {
    known = await migrator.getMigrations();
  } catch (err) {
    // Reading the schema instantiates every table, the full-text ones included: a damaged
    // page of one (a bad sector) fails here, and the file is damaged, not the app broken.
    if (looksDamaged(err))
      throw new DatabaseOpenError(`${file} is damaged: ${(err as Error).message}`);
    throw err;
  }
  const pending = known.filter((m) => !m.executedAt);
  if (readonly) {
    if (pending.length)
      throw new DatabaseOpenError(
        `${file} is read-only and was written by an older version of Leadbook: copy it somewhere writable to upgrade it`,
      );
    return;
  }
  if (existed && pending.length) {
    // The file is backed up before any migration touches it (a consistent copy even with
    // a WAL, encrypted like the file). Only the newest few are kept.
    const dir = options.backupDir ?? defaultBackupDir(file);
    fs.mkdirSync(dir, { recursive: true });
    copyDatabase(db, path.join(dir, backupFileName(file, `before-${pending[0]!.name}`)));
    pruneBackups(dir, file, KEEP_BACKUPS);
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const msg = (error as Error).message ?? String(error);
    if (/missing/i.test(msg)) {
      throw new DatabaseOpenError(
        `${file} was written by a newer version of Leadbook (${msg}); update the app to open it`,
      );
    }
    throw new DatabaseOpenError(`migration ${failed ?? ''} failed on ${file}: ${msg}`);
  }
}
