// The workspace file itself: is it open, locked (encrypted, no key), read-only, damaged;
// its encryption and its backups. Settings › Security and › Backups read these.
import { z } from 'zod';

export const backupReasons = [
  'auto',
  'manual',
  'before-migration',
  'before-restore',
  'before-encrypt',
] as const;
export type BackupReason = (typeof backupReasons)[number];

export interface BackupInfo {
  /** The file's name inside the backup folder (the API never takes a path). */
  name: string;
  createdAt: number;
  size: number;
  reason: BackupReason;
  encrypted: boolean;
  /** Counts read from the backup itself; null when it cannot be opened with this key. */
  leads: number | null;
  opportunities: number | null;
}

export interface BackupPreview extends BackupInfo {
  /** PRAGMA integrity_check passed. */
  ok: boolean;
  problem: string | null;
  accounts: number | null;
  contacts: number | null;
  activities: number | null;
  /** When its newest change was made (what restoring it goes back to). */
  newestChangeAt: number | null;
  /** A few of its newest leads, so the user recognises it. */
  recentLeads: { name: string; company: string | null; createdAt: number }[];
}

export interface BackupList {
  folder: string;
  defaultFolder: string;
  lastBackupAt: number | null;
  /** When the next automatic backup is due (one a day while the app runs, and on quit). */
  nextBackupAt: number | null;
  /** How many are kept: the newest automatic one of each of the last N days, weeks and
   * months, and the newest `events` made by hand or before an upgrade, restore, encryption. */
  keep: { daily: number; weekly: number; monthly: number; events: number };
  backups: BackupInfo[];
}

export const workspaceStates = ['open', 'locked', 'damaged'] as const;

export interface WorkspaceStatus {
  state: (typeof workspaceStates)[number];
  /** Why it is locked: no key was found for it, or the key does not open it. */
  locked: 'no-key' | 'wrong-key' | null;
  /** Why it cannot be opened, or what the background check found. */
  damage: string | null;
  dbPath: string;
  encrypted: boolean;
  /** Where this laptop keeps the key: the OS keychain (desktop), the LEADBOOK_KEY variable
   * or a key file (web mode, CLI), or nowhere. */
  keyStore: 'keychain' | 'environment' | 'none';
  /** The key store can keep a new key (the desktop keychain); web mode cannot. */
  canKeepKey: boolean;
  readOnly: boolean;
  integrity: 'checking' | 'ok' | 'damaged';
  /** Offered when the file is damaged or cannot be opened: the newest backup that passes
   * the integrity check. */
  goodBackup: BackupInfo | null;
}

export const backupNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\\]+\.db$/, 'a backup file name from the list');

export const recoveryKeyInput = z.strictObject({ recoveryKey: z.string().trim().min(8).max(200) });
