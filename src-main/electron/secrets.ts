// The desktop app keeps sync tokens sealed by the OS keychain (Electron safeStorage). Where
// the OS offers no keychain (a Linux session without a secret service), safeStorage would
// fall back to a hard-coded key — no better than plain text — so the token is then kept as
// web mode keeps it, and docs/security.md says so.
import { safeStorage } from 'electron';
import { keychainSecrets, plainSecrets, type SecretBox } from '../sync/secrets.js';

export function desktopSecrets(): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return plainSecrets;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text')
    return plainSecrets;
  return keychainSecrets({
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  });
}
