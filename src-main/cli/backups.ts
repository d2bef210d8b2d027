// `leadbook backup --schedule`: the plan the app follows and the backups it keeps.
import fs from 'node:fs';
import type { DatabaseKey } from '../store/cipher.js';
import { openStore } from '../store/open.js';
import { Backups } from '../services/backups.js';
import { UsageError } from './args.js';

interface Io {
  stdout: (text: string) => void;
}

const when = (t: number | null) => (t === null ? '—' : new Date(t).toLocaleString());
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function backupSchedule(
  dbPath: string,
  key: DatabaseKey | null,
  json: boolean,
  io: Io,
): Promise<number> {
  if (!fs.existsSync(dbPath)) throw new UsageError(`no database at ${dbPath}`);
  const store = await openStore(dbPath, { key });
  try {
    const list = await new Backups(store).list();
    if (json) {
      io.stdout(`${JSON.stringify(list)}\n`);
      return 0;
    }
    const lines = [
      `Backups of ${dbPath}`,
      `Folder: ${list.folder}${list.folder === list.defaultFolder ? ' (default)' : ''}`,
      `Plan: while the app runs, one backup a day and one on quit (when something changed);`,
      `      kept: the newest of each of the last ${list.keep.daily} days, ${list.keep.weekly} weeks and ${list.keep.monthly} months,`,
      `      plus the newest 5 made by hand or before an upgrade, a restore or encryption.`,
      `Last automatic backup: ${when(list.lastBackupAt)}; next due: ${when(list.nextBackupAt)}`,
      '',
      ...(list.backups.length
        ? list.backups.map(
            (b) =>
              `  ${when(b.createdAt)}  ${b.reason.padEnd(16)} ${mb(b.size).padStart(9)}  ${b.leads ?? '?'} leads, ${b.opportunities ?? '?'} opportunities${b.encrypted ? '  (encrypted)' : ''}  ${b.name}`,
          )
        : ['  (no backups yet)']),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}
