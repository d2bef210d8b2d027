// Where the server keeps its log: one SQLite file by default (nothing to set up), or
// PostgreSQL when DATABASE_URL is set — the same kysely queries and migrations for both.
// A PostgreSQL store also carries the wake-ups between server processes (LISTEN/NOTIFY).
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { serverMigrations } from './migrations/index.js';
import type { ServerDb } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface ServerDatabase {
  db: Kysely<ServerDb>;
  dialect: Dialect;
  /** Where it is, without a password (for logs). */
  describe: string;
  /** PostgreSQL only: a connection of its own for LISTEN. */
  listen?: (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** A postgres:// URL; otherwise `file` is used. */
  databaseUrl?: string | undefined;
  file?: string;
  fileKey?: SqliteFileKey | null;
}

/** A SQLCipher-format key for the SQLite file: 32 raw bytes in hex, or a passphrase. */
export type SqliteFileKey = { readonly raw: string } | { readonly passphrase: string };

const SQLITE_HEADER = 'SQLite format 3\0';

function isPlainFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(16);
      return fs.readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_HEADER;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** Unlocks (or, for a plain file from before the workspace was encrypted, encrypts) the
 * log with its laptop's key: the hub's log holds every change, so it must not be the one
 * readable file beside an encrypted workspace. */
function useKey(sqlite: BetterSqlite3.Database, file: string, key: SqliteFileKey): void {
  const pragma = (name: 'key' | 'rekey') =>
    'raw' in key
      ? `${name} = "x'${key.raw}'"`
      : `hex${name} = '${Buffer.from(key.passphrase, 'utf8').toString('hex')}'`;
  const existing = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (existing && isPlainFile(file)) {
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma(`cipher = 'sqlcipher'`);
    sqlite.pragma('legacy = 4');
    sqlite.pragma(pragma('rekey'));
    return;
  }
  sqlite.pragma(`cipher = 'sqlcipher'`);
  sqlite.pragma('legacy = 4');
  sqlite.pragma(pragma('key'));
}

/** PostgreSQL hands bigint back as text (it may exceed 2^53); seqs and times never do. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export async function openServerDatabase(config: DatabaseConfig): Promise<ServerDatabase> {
  const opened = config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : openSqliteFile(config.file, config.fileKey ?? null);
  try {
    await migrate(opened.db);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

function openSqliteFile(file: string | undefined, key: SqliteFileKey | null): ServerDatabase {
  if (!file) throw new Error('no --data file and no DATABASE_URL');
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  // Under `npm start` the Electron build of the module is passed in (as the app's own
  // store does, src-main/store/sqlite.ts); the booth hub runs in that process.
  const binding = process.env.LEADBOOK_SQLITE_BINDING;
  const sqlite = new BetterSqlite3(resolved, binding ? { nativeBinding: binding } : {});
  if (key) useKey(sqlite, resolved, key);
  sqlite.pragma('journal_mode = WAL');
  // An acknowledged push survives a power cut: the laptop forgets nothing it was told is
  // stored, but it will not push that entry again in the normal case.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<ServerDb>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    describe: resolved,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): ServerDatabase {
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 10 });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<ServerDb>({ dialect: new PostgresDialect({ pool }) });
  let describe = url;
  try {
    const u = new URL(url);
    u.password = '';
    describe = u.toString();
  } catch {
    describe = 'postgres';
  }
  return {
    db,
    dialect: 'postgres',
    describe,
    listen: async (channel, onMessage) => {
      const client = new pg.Client({ connectionString: url, types: pgTypes });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel && n.payload) onMessage(n.payload);
      });
      await client.query(`LISTEN ${channel}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<ServerDb>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => serverMigrations },
    migrationTableName: 'leadbook_server_migration',
    migrationLockTableName: 'leadbook_server_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
