// Restoring a backup file over the live database, safely: the candidate is checked first,
// and the current file is itself backed up before it is replaced.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { isPlainDatabaseFile, type DatabaseKey } from './cipher.js';
import { backupFileName, defaultBackupDir, KEEP_BACKUPS, pruneBackups } from './backups.js';
import { openToRead } from './maintenance.js';
import { copyDatabase, encryptCopy, openSqlite, WorkspaceLockedError } from './sqlite.js';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** Throws unless `file` is an intact Leadbook database (opened with `key` if encrypted). */
export function assertLeadbookFile(file: string, key: DatabaseKey | null = null): void {
  if (!fs.existsSync(file)) throw new RestoreError(`${file} does not exist`);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = openToRead(file, key);
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new RestoreError(`${file} is damaged: ${String(check)}`);
    const tables = new Set(
      (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
          name: string;
        }[]
      ).map((r) => r.name),
    );
    for (const t of ['meta', 'change_log', 'leads', 'kysely_migration']) {
      if (!tables.has(t))
        throw new RestoreError(`${file} is not a Leadbook database (no ${t} table)`);
    }
  } catch (err) {
    if (err instanceof RestoreError) throw err;
    if (err instanceof WorkspaceLockedError)
      throw new RestoreError(`${file} is encrypted with another key, or needs one: ${err.message}`);
    throw new RestoreError(`${file} is not a readable database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/** Replaces `dbPath` with `backupFile`. The app must not have the database open. Returns
 * where the replaced file was saved. With a key, the restored file is encrypted with it
 * (a plain backup is encrypted on the way in). */
export async function restoreDatabase(
  dbPath: string,
  backupFile: string,
  key: DatabaseKey | null = null,
  backupDir = defaultBackupDir(dbPath),
): Promise<string | null> {
  const from = path.resolve(backupFile);
  const to = path.resolve(dbPath);
  if (from === to) throw new RestoreError('the backup and the database are the same file');
  assertLeadbookFile(from, key);
  let saved: string | null = null;
  if (fs.existsSync(to) && fs.statSync(to).size > 0) {
    fs.mkdirSync(backupDir, { recursive: true });
    saved = path.join(backupDir, backupFileName(to, 'before-restore'));
    try {
      const current = openSqlite(to, { fileMustExist: true }, isPlainDatabaseFile(to) ? null : key);
      try {
        copyDatabase(current, saved);
      } finally {
        current.close();
      }
    } catch {
      // A current file too damaged to copy, or one this key does not open, is kept byte
      // for byte instead: nothing is lost.
      fs.copyFileSync(to, saved);
    }
    pruneBackups(backupDir, to, KEEP_BACKUPS);
  }
  // Copy to a temp file beside the target, then rename: the swap is atomic, so a crash
  // leaves either the old database or the restored one, never half of each.
  const tmp = `${to}.restoring`;
  fs.rmSync(tmp, { force: true });
  if (key && isPlainDatabaseFile(from)) {
    encryptCopy(from, tmp, key);
  } else {
    const source = openToRead(from, key);
    try {
      copyDatabase(source, tmp);
    } finally {
      source.close();
    }
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${to}${suffix}`, { force: true });
  fs.renameSync(tmp, to);
  return saved;
}
