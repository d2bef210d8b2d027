// Backup files: where they go, how they are named, which are kept. A name says whose
// backup it is, when it was made and why (`leadbook-2026-12-05T09-30-00-000Z-auto.db`), so
// the folder can be listed and pruned without opening any file.
import fs from 'node:fs';
import path from 'node:path';
import type { BackupReason } from '../contract/index.js';
import { backupsToKeep, KEEP_EVENT_BACKUPS } from '../domain/backupRetention.js';

/** Pre-migration and pre-restore backups kept (the scheduled ones follow the plan). */
export const KEEP_BACKUPS = KEEP_EVENT_BACKUPS;

export function defaultBackupDir(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'backups');
}

function baseName(dbPath: string): string {
  return path.basename(dbPath, path.extname(dbPath));
}

/** A file name that sorts by time and says why it was made. */
export function backupFileName(dbPath: string, reason: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${baseName(dbPath)}-${stamp}-${reason.replace(/[^a-z0-9_-]/gi, '_')}.db`;
}

export interface BackupFile {
  name: string;
  file: string;
  createdAt: number;
  reason: BackupReason;
  size: number;
}

const NAME = /^(.*)-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-(.+)\.db$/;

export function reasonOf(tag: string): BackupReason {
  if (tag === 'auto' || tag === 'manual' || tag === 'before-restore' || tag === 'before-encrypt')
    return tag;
  return 'before-migration';
}

/** This database's backups in `dir`, newest first. Files of other databases, half-written
 * copies and anything not named like a backup are left out. */
export function listBackupFiles(dir: string, dbPath: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  const base = baseName(dbPath);
  const out: BackupFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m || m[1] !== base) continue;
    const createdAt = Date.parse(`${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6]}Z`);
    if (!Number.isFinite(createdAt)) continue;
    let size: number;
    try {
      size = fs.statSync(path.join(dir, name)).size;
    } catch {
      continue; // pruned meanwhile
    }
    out.push({ name, file: path.join(dir, name), createdAt, reason: reasonOf(m[7]!), size });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? 1 : -1));
}

/** A copy cut short (the app was killed while writing it) is left as `….db.partial`; a
 * day later it is certainly no copy in progress. */
function removeStalePartials(dir: string, dbPath: string, now = Date.now()): void {
  const base = `${baseName(dbPath)}-`;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(base) || !name.endsWith('.partial')) continue;
    try {
      if (now - fs.statSync(path.join(dir, name)).mtimeMs > 24 * 60 * 60 * 1000)
        fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // gone meanwhile
    }
  }
}

/** Deletes the backups the retention plan does not keep; answers the names deleted. */
export function pruneBackups(dir: string, dbPath: string, keepEvents = KEEP_BACKUPS): string[] {
  removeStalePartials(dir, dbPath);
  const files = listBackupFiles(dir, dbPath);
  const keep = backupsToKeep(
    files.map((f) => ({
      name: f.name,
      createdAt: f.createdAt,
      // A backup made by hand ("before I try this") is kept like the event backups, not
      // replaced by the next one of the same day.
      scheduled: f.reason === 'auto',
    })),
    undefined,
    keepEvents,
  );
  const removed: string[] = [];
  for (const f of files) {
    if (keep.has(f.name)) continue;
    fs.rmSync(f.file, { force: true });
    removed.push(f.name);
  }
  return removed;
}
