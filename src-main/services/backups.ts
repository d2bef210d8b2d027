// Backups that happen by themselves: one a day while the app runs and one on quit (only
// when something changed), kept 7 daily + 4 weekly + 12 monthly, in a folder the user
// chooses (default: backups/ beside the database; a USB stick or a synced cloud folder
// works). Each is made on a worker's own connection, so the window never waits.
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type BackupInfo,
  type BackupList,
  type BackupPreview,
  type BackupReason,
} from '../contract/index.js';
import { KEEP_EVENT_BACKUPS, KEEP_PLAN, nextBackupDue } from '../domain/backupRetention.js';
import {
  backupFileName,
  defaultBackupDir,
  listBackupFiles,
  pruneBackups,
  type BackupFile,
} from '../store/backups.js';
import { isPlainDatabaseFile } from '../store/cipher.js';
import type { DatabaseSummary } from '../store/maintenance.js';
import type { Store } from '../store/store.js';
import { runMaintenance } from './maintenanceTask.js';

const FOLDER_KEY = 'backup_dir';
/** The change-log head when the last automatic backup was made: quitting without a change
 * since makes no new copy. */
const BACKED_UP_SEQ = 'backup_seq';
const HOUR = 60 * 60 * 1000;

export interface BackupOptions {
  /** How long after opening the first daily check runs (the window comes first). */
  firstCheckMs?: number;
  now?: () => number;
}

export class Backups {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<BackupInfo> | null = null;
  private readonly summaries = new Map<string, DatabaseSummary | null>();
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: BackupOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  folder(): string {
    return this.store.getMeta(FOLDER_KEY) || defaultBackupDir(this.store.path);
  }

  private files(): BackupFile[] {
    return listBackupFiles(this.folder(), this.store.path);
  }

  private lastScheduledAt(): number | null {
    const last = this.files().find((f) => f.reason === 'auto' || f.reason === 'manual');
    return last?.createdAt ?? null;
  }

  async list(): Promise<BackupList> {
    const files = this.files();
    const missing = files.filter((f) => !this.summaries.has(this.cacheKey(f)));
    if (missing.length) {
      const reply = await runMaintenance({
        kind: 'summary',
        files: missing.map((f) => f.file),
        key: this.store.key,
      });
      if (reply.kind === 'summary')
        missing.forEach((f, i) => this.summaries.set(this.cacheKey(f), reply.summaries[i] ?? null));
    }
    const last = this.lastScheduledAt();
    return {
      folder: this.folder(),
      defaultFolder: defaultBackupDir(this.store.path),
      lastBackupAt: last,
      nextBackupAt: this.store.readOnly ? null : nextBackupDue(last, this.now()),
      keep: { ...KEEP_PLAN, events: KEEP_EVENT_BACKUPS },
      backups: files.map((f) => backupInfo(f, this.summaries.get(this.cacheKey(f)) ?? null)),
    };
  }

  private cacheKey(f: BackupFile): string {
    return `${f.name}:${f.size}`;
  }

  /** A backup now (one at a time: a second call waits for the running one). */
  create(reason: Extract<BackupReason, 'auto' | 'manual'> = 'manual'): Promise<BackupInfo> {
    this.running ??= this.write(reason).finally(() => (this.running = null));
    return this.running;
  }

  private async write(reason: 'auto' | 'manual'): Promise<BackupInfo> {
    const dir = this.folder();
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new ApiError(
        'BAD_INPUT',
        `the backup folder ${dir} cannot be created: ${(err as Error).message}`,
      );
    }
    const seq = this.store.logHead();
    const name = backupFileName(this.store.path, reason, new Date(this.now()));
    await runMaintenance({
      kind: 'backup',
      dbPath: this.store.path,
      key: this.store.key,
      destination: path.join(dir, name),
    });
    if (!this.store.readOnly) this.store.setMeta(BACKED_UP_SEQ, String(seq));
    pruneBackups(dir, this.store.path);
    const file = this.files().find((f) => f.name === name);
    if (!file) throw new Error(`backup ${name} vanished from ${dir}`);
    const reply = await runMaintenance({
      kind: 'summary',
      files: [file.file],
      key: this.store.key,
    });
    const summary = reply.kind === 'summary' ? (reply.summaries[0] ?? null) : null;
    this.summaries.set(this.cacheKey(file), summary);
    return backupInfo(file, summary);
  }

  /** Whether anything was written since the last automatic backup. */
  changedSinceBackup(): boolean {
    return this.store.getMeta(BACKED_UP_SEQ) !== String(this.store.logHead());
  }

  /** Resolves a name from the list to its file; anything else is refused. */
  fileOf(name: string): BackupFile {
    const file = this.files().find((f) => f.name === name);
    if (!file) throw new ApiError('NOT_FOUND', `no backup named ${name} in ${this.folder()}`);
    return file;
  }

  async preview(name: string): Promise<BackupPreview> {
    const file = this.fileOf(name);
    const [check, summary] = await Promise.all([
      runMaintenance({ kind: 'check', file: file.file, key: this.store.key, quick: false }),
      runMaintenance({ kind: 'summary', files: [file.file], key: this.store.key }),
    ]);
    const s = summary.kind === 'summary' ? (summary.summaries[0] ?? null) : null;
    const c = check.kind === 'check' ? check.result : { ok: false, problem: 'not checked' };
    return {
      ...backupInfo(file, s),
      ok: c.ok && s !== null,
      problem: c.problem ?? (s ? null : 'it cannot be read with this workspace’s key'),
      accounts: s?.counts.accounts ?? null,
      contacts: s?.counts.contacts ?? null,
      activities: s?.counts.activities ?? null,
      newestChangeAt: s?.newestChangeAt ?? null,
      recentLeads: s?.recentLeads ?? [],
    };
  }

  /** The newest backup that passes the full check (offered when the file is damaged). */
  async newestGood(): Promise<BackupInfo | null> {
    return newestGoodBackup(this.folder(), this.store.path, this.store.key);
  }

  setFolder(folder: string | null): void {
    if (folder === null) {
      this.store.setMeta(FOLDER_KEY, '');
      return;
    }
    if (!path.isAbsolute(folder))
      throw new ApiError(
        'BAD_INPUT',
        'the backup folder must be a full path (for example D:\\Backups)',
      );
    try {
      fs.mkdirSync(folder, { recursive: true });
      const probe = path.join(folder, `.leadbook-write-test-${process.pid}`);
      fs.writeFileSync(probe, '');
      fs.rmSync(probe);
    } catch (err) {
      throw new ApiError('BAD_INPUT', `cannot write to ${folder}: ${(err as Error).message}`);
    }
    this.store.setMeta(FOLDER_KEY, path.resolve(folder));
  }

  /** Checks every hour whether a day has passed since the last backup. */
  scheduleDaily(): void {
    if (this.store.readOnly) return;
    const tick = () => {
      const due = nextBackupDue(this.lastScheduledAt(), this.now());
      if (due <= this.now() && this.changedSinceBackup())
        this.create('auto').catch((err: unknown) =>
          console.error('leadbook: automatic backup failed', err),
        );
      this.timer = setTimeout(tick, HOUR);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.options.firstCheckMs ?? 60_000);
    this.timer.unref();
  }

  /** On quit: a last backup when something changed since the previous one. */
  async onQuit(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
    if (this.store.readOnly || !this.changedSinceBackup()) return;
    try {
      await this.create('auto');
    } catch (err) {
      console.error('leadbook: backup on quit failed', err);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Checks the backups newest first; the first that passes is the one to offer. */
export async function newestGoodBackup(
  folder: string,
  dbPath: string,
  key: Store['key'],
): Promise<BackupInfo | null> {
  for (const f of listBackupFiles(folder, dbPath)) {
    const reply = await runMaintenance({ kind: 'check', file: f.file, key, quick: false });
    if (reply.kind !== 'check' || !reply.result.ok) continue;
    const s = await runMaintenance({ kind: 'summary', files: [f.file], key });
    const summary = s.kind === 'summary' ? (s.summaries[0] ?? null) : null;
    if (summary) return backupInfo(f, summary);
  }
  return null;
}

function backupInfo(f: BackupFile, summary: DatabaseSummary | null): BackupInfo {
  return {
    name: f.name,
    createdAt: f.createdAt,
    size: f.size,
    reason: f.reason,
    encrypted: !isPlainDatabaseFile(f.file),
    leads: summary?.counts.leads ?? null,
    opportunities: summary?.counts.opportunities ?? null,
  };
}
