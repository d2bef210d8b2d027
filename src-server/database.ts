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
    : openSqliteFile(config.file);
  try {
    await migrate(opened.db);
  } catch (err) {
    await opened.close();
    throw err;
  }
  return opened;
}

function openSqliteFile(file: string | undefined): ServerDatabase {
  if (!file) throw new Error('no --data file and no DATABASE_URL');
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  const sqlite = new BetterSqlite3(resolved);
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
