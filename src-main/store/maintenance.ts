// Work on a database file through a connection of its own — a backup, a full check, a
// summary of what a backup holds. The app runs these on a worker thread
// (services/maintenanceWorker.ts), so a 100 000-lead copy never stalls the window.
import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { parseHlc } from '../domain/hlc.js';
import { isPlainDatabaseFile, type DatabaseKey } from './cipher.js';
import { copyDatabase, openSqlite } from './sqlite.js';

/** Opens a file to read only: with the key, unless the file is plain. */
export function openToRead(file: string, key: DatabaseKey | null): BetterSqlite3.Database {
  return openSqlite(
    file,
    { readonly: true, fileMustExist: true },
    isPlainDatabaseFile(file) ? null : key,
  );
}

/** Writes a consistent copy of `dbPath` to `destination` (encrypted like the file). */
export function backupDatabaseFile(
  dbPath: string,
  key: DatabaseKey | null,
  destination: string,
): void {
  const db = openSqlite(dbPath, { fileMustExist: true }, isPlainDatabaseFile(dbPath) ? null : key);
  try {
    db.pragma('busy_timeout = 5000');
    copyDatabase(db, destination);
  } finally {
    db.close();
  }
}

export interface CheckResult {
  ok: boolean;
  problem: string | null;
}

/** SQLite's own check of every page (`quick`: without comparing indexes to their tables,
 * several times faster). A file that cannot even be opened fails too. */
export function checkDatabaseFile(
  file: string,
  key: DatabaseKey | null,
  quick = false,
): CheckResult {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = openToRead(file, key);
    const rows = db.pragma(quick ? 'quick_check(5)' : 'integrity_check(5)') as Record<
      string,
      string
    >[];
    const messages = rows.map((r) => Object.values(r)[0] ?? '');
    return messages.length === 1 && messages[0] === 'ok'
      ? { ok: true, problem: null }
      : { ok: false, problem: messages.join('; ').slice(0, 500) };
  } catch (err) {
    return { ok: false, problem: (err as Error).message.slice(0, 500) };
  } finally {
    db?.close();
  }
}

export interface DatabaseSummary {
  counts: Record<'leads' | 'opportunities' | 'accounts' | 'contacts' | 'activities', number>;
  newestChangeAt: number | null;
  recentLeads: { name: string; company: string | null; createdAt: number }[];
}

/** What a backup holds, read without changing it. */
export function summarizeDatabaseFile(file: string, key: DatabaseKey | null): DatabaseSummary {
  const db = openToRead(file, key);
  try {
    const count = (t: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE deleted_at IS NULL`).get() as { n: number })
        .n;
    const newest = db.prepare('SELECT max(hlc) AS hlc FROM change_log').get() as {
      hlc: string | null;
    };
    const wall = newest.hlc ? (parseHlc(newest.hlc)?.millis ?? NaN) : NaN;
    return {
      counts: {
        leads: count('leads'),
        opportunities: count('opportunities'),
        accounts: count('accounts'),
        contacts: count('contacts'),
        activities: count('activities'),
      },
      newestChangeAt: Number.isFinite(wall) ? wall : null,
      recentLeads: (
        db
          .prepare(
            `SELECT name, company, created_at AS createdAt FROM leads
             WHERE deleted_at IS NULL ORDER BY created_at DESC LIMIT 5`,
          )
          .all() as { name: string; company: string | null; createdAt: number }[]
      ).map((r) => ({ ...r })),
    };
  } finally {
    db.close();
  }
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
