// Restoring a backup file over the live database, safely: the candidate is checked first,
// and the current file is itself backed up before it is replaced.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openSqlite } from './sqlite.js';
import { backupFileName, defaultBackupDir, KEEP_BACKUPS, pruneBackups } from './backups.js';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** Throws unless `file` is an intact Leadbook database. */
export function assertLeadbookFile(file: string): void {
  if (!fs.existsSync(file)) throw new RestoreError(`${file} does not exist`);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = openSqlite(file, { readonly: true, fileMustExist: true });
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
    throw new RestoreError(`${file} is not a readable database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/** Replaces `dbPath` with `backupFile`. The app must not have the database open. Returns
 * where the replaced file was saved. */
export async function restoreDatabase(dbPath: string, backupFile: string): Promise<string | null> {
  const from = path.resolve(backupFile);
  const to = path.resolve(dbPath);
  if (from === to) throw new RestoreError('the backup and the database are the same file');
  assertLeadbookFile(from);
  let saved: string | null = null;
  if (fs.existsSync(to)) {
    const dir = defaultBackupDir(to);
    fs.mkdirSync(dir, { recursive: true });
    saved = path.join(dir, backupFileName(to, 'before-restore'));
    const current = openSqlite(to, { fileMustExist: true });
    try {
      await current.backup(saved);
    } finally {
      current.close();
    }
    pruneBackups(dir, to, KEEP_BACKUPS);
  }
  // Copy to a temp file beside the target, then rename: the swap is atomic, so a crash
  // leaves either the old database or the restored one, never half of each.
  const tmp = `${to}.restoring`;
  const source = openSqlite(from, { readonly: true, fileMustExist: true });
  try {
    await source.backup(tmp);
  } finally {
    source.close();
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${to}${suffix}`, { force: true });
  fs.renameSync(tmp, to);
  return saved;
}
