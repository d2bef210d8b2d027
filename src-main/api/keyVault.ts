// Where a laptop keeps workspace keys. The one platform difference of encryption at rest
// sits behind this interface: the desktop app seals keys with the OS keychain (Electron
// safeStorage, electron/keyVault.ts); web mode and the CLI read one from LEADBOOK_KEY or
// a key file and keep nothing.
import fs from 'node:fs';
import path from 'node:path';
import { keyFromText, type DatabaseKey } from '../store/cipher.js';

export interface KeyVault {
  readonly kind: 'keychain' | 'environment' | 'none';
  /** The key kept or given for this database, if any. */
  load(dbPath: string): DatabaseKey | null;
  /** Keeps a key for this database; false when this vault cannot keep keys. */
  save(dbPath: string, key: DatabaseKey): boolean;
  /** A new workspace gets a fresh key without asking (the desktop with a keychain). */
  readonly encryptNew: boolean;
}

/** Where the key comes from for web mode and the CLI: `--key-file FILE` (first line), else
 * the LEADBOOK_KEY variable. Never a command-line value: that shows in `ps`. */
export function environmentVault(env: NodeJS.ProcessEnv = process.env, keyFile?: string): KeyVault {
  const text = keyFile ? fs.readFileSync(keyFile, 'utf8').split(/\r?\n/)[0] : env.LEADBOOK_KEY;
  const key = text?.trim() ? keyFromText(text) : null;
  return {
    kind: key ? 'environment' : 'none',
    load: () => key,
    save: () => false,
    encryptNew: false,
  };
}

export interface Sealer {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

/** Keys sealed by the OS keychain, one per database path, in a file only this user may
 * read. The sealed bytes are useless without the user's OS login. */
export function sealedFileVault(file: string, sealer: Sealer): KeyVault {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    kind: 'keychain',
    encryptNew: true,
    load(dbPath) {
      const sealed = read()[path.resolve(dbPath)];
      if (!sealed) return null;
      try {
        return keyFromText(sealer.open(Buffer.from(sealed, 'base64')));
      } catch {
        return null; // sealed under another OS login: the recovery key opens it
      }
    },
    save(dbPath, key) {
      const all = read();
      all[path.resolve(dbPath)] = sealer
        .seal('raw' in key ? key.raw : key.passphrase)
        .toString('base64');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(all, null, 1), { mode: 0o600 });
      fs.renameSync(tmp, file);
      return true;
    },
  };
}
