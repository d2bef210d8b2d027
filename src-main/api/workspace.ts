// The app shells' hold on the workspace file. It opens the file with the key from the
// vault, and stays up when the file cannot be opened — locked (encrypted, no key) or
// damaged — answering only what the unlock and restore screens need. Unlocking,
// encrypting and restoring close the open store and open the file again; transports keep
// talking to this one object throughout, and are told with a 'workspace' event.
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  procedures,
  type AppEvent,
  type BackupInfo,
  type WorkspaceStatus,
} from '../contract/index.js';
import { newestGoodBackup } from '../services/backups.js';
import { runMaintenance } from '../services/maintenanceTask.js';
import { defaultBackupDir } from '../store/backups.js';
import {
  isPlainDatabaseFile,
  keyFromText,
  newDatabaseKey,
  RecoveryKeyError,
  recoveryKeyText,
  type DatabaseKey,
} from '../store/cipher.js';
import { encryptDatabaseFile } from '../store/encrypt.js';
import { DatabaseOpenError, type OpenOptions } from '../store/open.js';
import { restoreDatabase, RestoreError } from '../store/restore.js';
import { WorkspaceLockedError } from '../store/sqlite.js';
import { openLeadbook } from './bootstrap.js';
import { toApiError, zodToApiError } from './errors.js';
import type { KeyVault } from './keyVault.js';
import type { ApiOptions, ApiServer } from './router.js';
import { openStoreStatus, type WorkspaceControl } from './workspaceControl.js';

export interface WorkspaceOptions {
  vault: KeyVault;
  open?: OpenOptions;
  api?: ApiOptions;
  /** How long after opening the background integrity check starts (default 10 s: the
   * first screen comes first). */
  checkDelayMs?: number;
}

/** Answered while the file is not open; everything else is refused with LOCKED/DAMAGED. */
const WHILE_CLOSED = new Set(['workspace.status', 'workspace.unlock', 'backups.restore']);

export class Workspace implements ApiServer, WorkspaceControl {
  private inner: ApiServer | null = null;
  private offInner: (() => void) | null = null;
  private key: DatabaseKey | null = null;
  private locked: WorkspaceLockedError | null = null;
  private openFailure: string | null = null;
  private integrity: WorkspaceStatus['integrity'] = 'checking';
  private damage: string | null = null;
  private goodBackup: BackupInfo | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private busy: Promise<unknown> = Promise.resolve();
  private swapping = false;

  private constructor(
    readonly dbPath: string,
    private readonly options: WorkspaceOptions,
  ) {}

  static async open(dbPath: string, options: WorkspaceOptions): Promise<Workspace> {
    const ws = new Workspace(dbPath, options);
    const { vault } = options;
    ws.key = vault.load(dbPath);
    const fresh = !fs.existsSync(dbPath) || fs.statSync(dbPath).size === 0;
    if (!ws.key && fresh && vault.encryptNew) {
      // A newcomer's workspace is encrypted without asking: the key goes to the keychain
      // before the file exists, so no moment has a file without its key kept.
      const key = newDatabaseKey();
      if (vault.save(dbPath, key)) ws.key = key;
    }
    await ws.openFile();
    return ws;
  }

  private async openFile(): Promise<void> {
    this.locked = null;
    this.openFailure = null;
    this.integrity = 'checking';
    this.damage = null;
    this.goodBackup = null;
    try {
      this.inner = await openLeadbook(
        this.dbPath,
        { ...this.options.open, key: this.key },
        { ...this.options.api, workspace: this },
      );
    } catch (err) {
      if (err instanceof WorkspaceLockedError) {
        this.locked = err;
        // A plain file whose first page was overwritten looks encrypted too: the unlock
        // screen also offers the newest backup that passes the check.
        await this.offerGoodBackup();
        return;
      }
      // A file from a newer Leadbook is not damaged: the shell says "update the app".
      if (err instanceof DatabaseOpenError && !/newer version/.test(err.message)) {
        this.openFailure = err.message;
        this.integrity = 'damaged';
        await this.offerGoodBackup();
        return;
      }
      throw err;
    }
    const inner = this.inner;
    this.offInner = inner.onEvent((e) => this.emit(e));
    this.scheduleCheck();
  }

  /** The file cannot be opened: its backup folder (the default one — where the user chose
   * to keep them is written in the file itself) is searched for one that passes. */
  private async offerGoodBackup(): Promise<void> {
    this.goodBackup = await newestGoodBackup(
      defaultBackupDir(this.dbPath),
      this.dbPath,
      this.key,
    ).catch(() => null);
  }

  /** SQLite's quick check of every page, on a worker: a file damaged on disk (a bad
   * sector, a copy cut short) is found even where nobody has looked yet. */
  private scheduleCheck(): void {
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null;
      void this.checkNow();
    }, this.options.checkDelayMs ?? 10_000);
    this.checkTimer.unref?.();
  }

  async checkNow(): Promise<WorkspaceStatus['integrity']> {
    const inner = this.inner;
    if (!inner) return this.integrity;
    try {
      const reply = await runMaintenance({
        kind: 'check',
        // The file the store has open: a read-only file's private copy, which can be read.
        file: inner.dbPath,
        key: this.key,
        quick: true,
      });
      if (inner !== this.inner) return this.integrity;
      if (reply.kind === 'check' && reply.result.ok) {
        this.integrity = 'ok';
        return this.integrity;
      }
      this.integrity = 'damaged';
      this.damage = reply.kind === 'check' ? reply.result.problem : 'the check failed';
      const list = (await inner.dispatch('backups.list', {})) as { folder: string };
      this.goodBackup = await newestGoodBackup(list.folder, this.dbPath, this.key);
      this.emit({ type: 'workspace', status: await this.status() });
    } catch (err) {
      console.error('leadbook: integrity check failed to run', err);
    }
    return this.integrity;
  }

  status(): WorkspaceStatus {
    const base = {
      dbPath: this.dbPath,
      keyStore: this.options.vault.kind,
      canKeepKey: this.options.vault.kind === 'keychain',
      goodBackup: this.goodBackup,
      damage: this.openFailure ?? this.damage,
      integrity: this.integrity,
    };
    // Random-looking first bytes with no key for them: encrypted — unless its newest good
    // backup is plain, which a workspace encrypted since could not have (encrypting
    // encrypts the old backups too). Then its first page is damage, and is shown as such.
    const damagedHeader =
      this.locked?.reason === 'no-key' && this.goodBackup !== null && !this.goodBackup.encrypted;
    if (this.locked && !damagedHeader)
      return {
        ...base,
        state: 'locked',
        locked: this.locked.reason,
        encrypted: true,
        readOnly: false,
      };
    if (this.openFailure || !this.inner || damagedHeader)
      return {
        ...base,
        state: 'damaged',
        damage: base.damage ?? (damagedHeader ? 'its first page cannot be read' : null),
        locked: null,
        encrypted: fs.existsSync(this.dbPath) && !isPlainDatabaseFile(this.dbPath),
        readOnly: false,
      };
    return { ...openStoreStatus(this.inner), ...base };
  }

  /** The key, when the open file is encrypted with it (a plain file opened with a key in
   * the environment is not). */
  private encryptedKey(): DatabaseKey | null {
    return this.inner?.encrypted ? this.key : null;
  }

  async dispatch(name: string, input: unknown): Promise<unknown> {
    if (this.inner && !this.locked) return this.inner.dispatch(name, input);
    if (this.swapping)
      throw new ApiError('BUSY', 'the workspace is being restored or encrypted; a moment');
    if (!WHILE_CLOSED.has(name))
      throw this.locked
        ? new ApiError('LOCKED', 'this workspace is encrypted: open it with its recovery key')
        : new ApiError('DAMAGED', `this workspace cannot be opened: ${this.openFailure ?? ''}`);
    const def = procedures[name as 'workspace.unlock' | 'workspace.status' | 'backups.restore'];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) throw zodToApiError(parsed.error);
    try {
      if (name === 'workspace.unlock')
        return await this.unlock((parsed.data as { recoveryKey: string }).recoveryKey);
      if (name === 'backups.restore') {
        if (!this.goodBackup || this.goodBackup.name !== (parsed.data as { name: string }).name)
          throw new ApiError('NOT_FOUND', 'only the backup offered can be restored from here');
        return await this.restore(
          path.join(defaultBackupDir(this.dbPath), this.goodBackup.name),
          defaultBackupDir(this.dbPath),
        );
      }
      return this.status();
    } catch (err) {
      throw toApiError(err);
    }
  }

  /** One file operation at a time: a second click waits for the first. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const guarded = async () => {
      this.swapping = true;
      try {
        return await work();
      } finally {
        this.swapping = false;
      }
    };
    const run = this.busy.then(guarded, guarded);
    this.busy = run.catch(() => undefined);
    return run;
  }

  async unlock(text: string): Promise<WorkspaceStatus> {
    return this.exclusive(async () => {
      if (!this.locked) return this.status();
      let key: DatabaseKey;
      try {
        key = keyFromText(text);
      } catch (err) {
        if (err instanceof RecoveryKeyError) throw new ApiError('BAD_INPUT', err.message);
        throw err;
      }
      const previous = this.key;
      this.key = key;
      await this.openFile();
      if (this.locked) {
        this.key = previous;
        throw new ApiError('BAD_INPUT', 'this recovery key does not open this workspace');
      }
      this.options.vault.save(this.dbPath, key);
      const status = this.status();
      this.emit({ type: 'workspace', status });
      return status;
    });
  }

  async encrypt(backupFolder: string): Promise<{ recoveryKey: string | null }> {
    return this.exclusive(async () => {
      const inner = this.inner;
      if (!inner) throw new ApiError('LOCKED', 'the workspace is not open');
      if (this.encryptedKey())
        throw new ApiError('CONFLICT', 'this workspace is already encrypted');
      const { vault } = this.options;
      // Web mode encrypts with the key it was started with; the desktop makes one and puts
      // it in the keychain first, so a crash mid-way never leaves a file without its key.
      const key = this.key ?? newDatabaseKey();
      if (!this.key && !vault.save(this.dbPath, key))
        throw new ApiError(
          'BAD_INPUT',
          'this laptop has no keychain to keep a key: start Leadbook with LEADBOOK_KEY or --key-file, then encrypt',
        );
      await this.closeInner();
      try {
        encryptDatabaseFile(this.dbPath, key, backupFolder);
        this.key = key;
      } catch (err) {
        await this.openFile();
        if (err instanceof RestoreError) throw new ApiError('BAD_INPUT', err.message);
        throw err;
      }
      await this.openFile();
      this.emit({ type: 'workspace', status: this.status() });
      return { recoveryKey: recoveryKeyText(key) };
    });
  }

  recoveryKey(): { recoveryKey: string | null } {
    const key = this.encryptedKey();
    if (!key) throw new ApiError('BAD_INPUT', 'this workspace is not encrypted');
    return { recoveryKey: recoveryKeyText(key) };
  }

  async restore(file: string, backupFolder: string): Promise<WorkspaceStatus> {
    return this.exclusive(async () => {
      await this.closeInner();
      try {
        await restoreDatabase(this.dbPath, file, this.key, backupFolder);
      } catch (err) {
        await this.openFile();
        if (err instanceof RestoreError) throw new ApiError('BAD_INPUT', err.message);
        throw err;
      }
      await this.openFile();
      const status = this.status();
      this.emit({ type: 'workspace', status });
      return status;
    });
  }

  private async closeInner(): Promise<void> {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = null;
    this.offInner?.();
    this.offInner = null;
    const inner = this.inner;
    this.inner = null;
    await inner?.close({ backup: false });
  }

  get encrypted(): boolean {
    return this.encryptedKey() !== null;
  }

  get readOnly(): boolean {
    return this.inner?.readOnly ?? false;
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AppEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  async close(options?: { backup?: boolean }): Promise<void> {
    await this.busy;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.offInner?.();
    const inner = this.inner;
    this.inner = null;
    await inner?.close(options);
  }
}
