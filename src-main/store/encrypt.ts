// "Encrypt this workspace": a plain file becomes an encrypted one, with nothing lost on
// the way. A backup first; then an encrypted copy, checked row for row against the
// original; then an atomic swap. Plain backups already in the folder are encrypted too,
// or the lost laptop would still give them away.
import fs from 'node:fs';
import path from 'node:path';
import { isPlainDatabaseFile, type DatabaseKey } from './cipher.js';
import { backupFileName, listBackupFiles, pruneBackups } from './backups.js';
import { backupDatabaseFile, summarizeDatabaseFile } from './maintenance.js';
import { assertLeadbookFile, RestoreError } from './restore.js';
import { encryptCopy } from './sqlite.js';

/** Encrypts the (closed) database at `dbPath` with `key`. Answers how many backups were
 * encrypted as well. Throws, leaving the file as it was, if the copy does not match. */
export function encryptDatabaseFile(dbPath: string, key: DatabaseKey, backupDir: string): number {
  if (!isPlainDatabaseFile(dbPath)) throw new RestoreError(`${dbPath} is already encrypted`);
  fs.mkdirSync(backupDir, { recursive: true });
  backupDatabaseFile(dbPath, null, path.join(backupDir, backupFileName(dbPath, 'before-encrypt')));
  const tmp = `${dbPath}.encrypting`;
  try {
    encryptCopy(dbPath, tmp, key);
    assertLeadbookFile(tmp, key);
    const before = summarizeDatabaseFile(dbPath, null);
    const after = summarizeDatabaseFile(tmp, key);
    if (JSON.stringify(before.counts) !== JSON.stringify(after.counts))
      throw new RestoreError('the encrypted copy does not hold the same rows; nothing was changed');
    // The WAL was checkpointed into the copy when the store closed; the old -wal/-shm
    // belong to the plain file and would not open under the key.
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${dbPath}${suffix}`, { force: true });
    fs.renameSync(tmp, dbPath);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  let encrypted = 0;
  for (const b of listBackupFiles(backupDir, dbPath)) {
    if (!isPlainDatabaseFile(b.file)) continue;
    const next = `${b.file}.encrypting`;
    try {
      encryptCopy(b.file, next, key);
      fs.renameSync(next, b.file);
      encrypted++;
    } catch {
      // A backup that cannot be read is no use to anyone: leave it for the user to see.
      fs.rmSync(next, { force: true });
    }
  }
  pruneBackups(backupDir, dbPath);
  return encrypted;
}
