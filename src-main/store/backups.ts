import fs from 'node:fs';
import path from 'node:path';

export const KEEP_BACKUPS = 5;

export function defaultBackupDir(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'backups');
}

/** A file name that sorts by time and says why it was made. */
export function backupFileName(dbPath: string, reason: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${path.basename(dbPath, path.extname(dbPath))}-${stamp}-${reason.replace(/[^a-z0-9_-]/gi, '_')}.db`;
}

/** Deletes all but the newest `keep` backups of this database. */
export function pruneBackups(dir: string, dbPath: string, keep = KEEP_BACKUPS): string[] {
  if (!fs.existsSync(dir)) return [];
  const prefix = `${path.basename(dbPath, path.extname(dbPath))}-`;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.db'))
    .sort();
  const removed = files.slice(0, Math.max(0, files.length - keep));
  for (const f of removed) fs.rmSync(path.join(dir, f), { force: true });
  return removed;
}
