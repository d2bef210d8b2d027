// Where a device token is kept. The desktop app seals it with the OS keychain (Electron
// safeStorage: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and keeps
// only the sealed bytes in the database, so a copied database file carries no working
// token. Web mode and the CLI have no keychain: they keep the token as it is (documented in
// docs/security.md). One interface, one implementation per platform.
export interface SecretBox {
  /** What the app says about where tokens are kept. */
  readonly kind: 'keychain' | 'database';
  seal(plain: string): string;
  /** The token, or an Error saying why it cannot be read here. */
  open(stored: string): string;
}

const SEALED = 'kc1:';

/** The token cannot be read on this computer (sealed by another keychain). */
export class SecretUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretUnavailableError';
  }
}

/** Tokens stay as they are (web mode, CLI, tests). A sealed token from the desktop app is
 * refused with a plain reason instead of being sent as garbage. */
export const plainSecrets: SecretBox = {
  kind: 'database',
  seal: (plain) => plain,
  open(stored) {
    if (stored.startsWith(SEALED))
      throw new SecretUnavailableError(
        'this laptop’s sync token is sealed in the desktop app’s keychain; join the team again here',
      );
    return stored;
  },
};

/** A SecretBox over an encrypt/decrypt pair (Electron's safeStorage). Tokens written before
 * sealing existed are read as they are. */
export function keychainSecrets(crypto: {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}): SecretBox {
  return {
    kind: 'keychain',
    seal: (plain) => SEALED + crypto.encrypt(plain).toString('base64'),
    open(stored) {
      if (!stored.startsWith(SEALED)) return stored;
      try {
        return crypto.decrypt(Buffer.from(stored.slice(SEALED.length), 'base64'));
      } catch {
        throw new SecretUnavailableError(
          'the keychain of this computer cannot open the sync token (another user account or computer); join the team again',
        );
      }
    },
  };
}
