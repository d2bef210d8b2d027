// The desktop's key vault: workspace keys sealed by the OS keychain (Electron safeStorage:
// Keychain on macOS, DPAPI on Windows, the Secret Service on Linux), kept in keys.json in
// the user-data folder. Where there is no real keychain (a Linux session without a secret
// service, where safeStorage would fall back to a hard-coded key), a key beside the file
// would protect nothing: new workspaces then stay plain, and Settings › Security says so.
import path from 'node:path';
import { safeStorage } from 'electron';
import { environmentVault, sealedFileVault, type KeyVault } from '../api/keyVault.js';

export function desktopKeyVault(userDataDir: string): KeyVault {
  const usable =
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  if (!usable) return environmentVault();
  return sealedFileVault(path.join(userDataDir, 'keys.json'), {
    seal: (plain) => safeStorage.encryptString(plain),
    open: (sealed) => safeStorage.decryptString(sealed),
  });
}
