import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { applyKey, isPlainDatabaseFile, type DatabaseKey } from './cipher.js';

/** The workspace is encrypted and no key, or the wrong key, was given. */
export class WorkspaceLockedError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-key' | 'wrong-key',
  ) {
    super(message);
    this.name = 'WorkspaceLockedError';
  }
}

/** Opens a SQLite handle, unlocked with `key` when given. Under Electron (`npm start`) the
 * native module built for Electron's ABI is passed in LEADBOOK_SQLITE_BINDING; packaged
 * apps and plain Node use the one npm built.
 *
 * Throws WorkspaceLockedError when the file is encrypted and the key is missing or wrong
 * (SQLite only says "file is not a database", which would read as damage). */
export function openSqlite(
  file: string,
  options: BetterSqlite3.Options = {},
  key?: DatabaseKey | null,
): BetterSqlite3.Database {
  const binding = process.env.LEADBOOK_SQLITE_BINDING;
  const db = new BetterSqlite3(file, binding ? { ...options, nativeBinding: binding } : options);
  try {
    if (key) applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_NOTADB' && file !== ':memory:') {
      // An encrypted file is whole pages of random-looking bytes; anything else SQLite
      // cannot read is simply not a database (or is cut short).
      const size = fs.statSync(file).size;
      const looksEncrypted = !isPlainDatabaseFile(file) && size >= 512 && size % 512 === 0;
      if (looksEncrypted && !key)
        throw new WorkspaceLockedError(`${file} is encrypted: open it with its key`, 'no-key');
      if (looksEncrypted && key)
        throw new WorkspaceLockedError(`the key does not open ${file}`, 'wrong-key');
    }
    throw err;
  }
  return db;
}

/** A consistent, compact copy of the open database at `destination` (VACUUM INTO: it
 * reads one snapshot, so writers go on meanwhile in WAL mode). An encrypted database's
 * copy is encrypted with the same key — the online backup API cannot do that, it refuses
 * to copy between an encrypted and a plain file. Written beside the target and renamed,
 * so a half-written copy is never mistaken for a backup. */
export function copyDatabase(db: BetterSqlite3.Database, destination: string): void {
  const tmp = `${destination}.partial`;
  fs.rmSync(tmp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    fs.renameSync(tmp, destination);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Turns a plain database file (closed) into an encrypted copy at `destination`. */
export function encryptCopy(source: string, destination: string, key: DatabaseKey): void {
  const tmp = `${destination}.partial`;
  fs.rmSync(tmp, { force: true });
  try {
    const src = openSqlite(source, { readonly: true, fileMustExist: true });
    try {
      src.prepare('VACUUM INTO ?').run(tmp);
    } finally {
      src.close();
    }
    // VACUUM INTO writes a rollback-journal file; rekey encrypts it page by page (it is
    // refused in WAL mode, which is switched on again when the store opens it).
    const out = openSqlite(tmp, { fileMustExist: true });
    try {
      applyKey(out, key, 'rekey');
    } finally {
      out.close();
    }
    fs.renameSync(tmp, destination);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
