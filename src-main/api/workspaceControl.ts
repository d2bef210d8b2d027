// What the API asks of whoever holds the workspace file (api/workspace.ts in the app
// shells): its status, encrypting it, showing its recovery key, restoring a backup. These
// close and reopen the file, so they cannot be done from inside one open store.
import { ApiError, type WorkspaceStatus } from '../contract/index.js';
import type { Store } from '../store/store.js';

export interface WorkspaceControl {
  status(): WorkspaceStatus | Promise<WorkspaceStatus>;
  /** Backups made on the way go to `backupFolder`. */
  encrypt(backupFolder: string): Promise<{ recoveryKey: string | null }>;
  recoveryKey(): { recoveryKey: string | null };
  restore(file: string, backupFolder: string): Promise<WorkspaceStatus>;
}

/** The status of an open store, as far as the store itself knows it. */
export function openStoreStatus(file: {
  dbPath: string;
  encrypted: boolean;
  readOnly: boolean;
}): WorkspaceStatus {
  return {
    state: 'open',
    locked: null,
    damage: null,
    dbPath: file.dbPath,
    encrypted: file.encrypted,
    keyStore: 'none',
    canKeepKey: false,
    readOnly: file.readOnly,
    integrity: 'ok',
    goodBackup: null,
  };
}

/** For an API over a bare store (tests, CLI): it can say what it is, nothing more. */
export function storeOnlyWorkspace(store: Store): WorkspaceControl {
  const needsApp = () =>
    new ApiError('BAD_INPUT', 'this needs the app (leadbook serve or the desktop app)');
  return {
    status: () =>
      openStoreStatus({
        dbPath: store.path,
        encrypted: store.key !== null,
        readOnly: store.readOnly,
      }),
    encrypt: () => Promise.reject(needsApp()),
    recoveryKey: () => {
      throw needsApp();
    },
    restore: () => Promise.reject(needsApp()),
  };
}
