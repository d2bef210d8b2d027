// Opening a database file: pragmas, a backup before any migration, migrations, identity.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from './sqlite.js';
import { Kysely, SqliteDialect } from 'kysely';
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
  readonly?: boolean;
}

export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

export function applyPragmas(db: BetterSqlite3.Database, inMemory: boolean): void {
  if (!inMemory) db.pragma('journal_mode = WAL');
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
  let db: BetterSqlite3.Database;
  try {
    db = openSqlite(resolved);
    applyPragmas(db, inMemory);
    // Reading the schema proves the file is a SQLite database without scanning it all
    // (quick_check takes seconds on a large file; `leadbook restore` runs the full check).
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new DatabaseOpenError(`cannot open ${resolved}: ${(err as Error).message}`);
  }
  try {
    await migrate(db, resolved, existed, options);
    let nodeId = (
      db.prepare(`SELECT value FROM meta WHERE key = 'node_id'`).get() as
        { value: string } | undefined
    )?.value;
    if (!nodeId) {
      nodeId = newNodeId();
      db.prepare(`INSERT INTO meta (key, value) VALUES ('node_id', ?)`).run(nodeId);
    }
    const store = new Store(db, resolved, nodeId, options);
    store.replayPending();
    store.ensureSearchIndex();
    return store;
  } catch (err) {
    db.close();
    throw err;
  }
}

async function migrate(
  db: BetterSqlite3.Database,
  file: string,
  existed: boolean,
  options: OpenOptions,
): Promise<void> {
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
  const list = options.migrations ?? allMigrations;
  const migrator = new Migrator({ db: kysely, provider: { getMigrations: async () => list } });
  const known = await migrator.getMigrations();
  const pending = known.filter((m) => !m.executedAt);
  if (existed && pending.length) {
    // The file is backed up before any migration touches it (online backup API: a
    // consistent copy even with a WAL). Only the newest few are kept.
    const dir = options.backupDir ?? defaultBackupDir(file);
    fs.mkdirSync(dir, { recursive: true });
    await db.backup(path.join(dir, backupFileName(file, `before-${pending[0]!.name}`)));
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
