import BetterSqlite3 from 'better-sqlite3';

/** Opens a SQLite handle. Under Electron (`npm start`) the native module built for
 * Electron's ABI is passed in LEADBOOK_SQLITE_BINDING; packaged apps and plain Node use
 * the one npm built. */
export function openSqlite(
  file: string,
  options: BetterSqlite3.Options = {},
): BetterSqlite3.Database {
  const binding = process.env.LEADBOOK_SQLITE_BINDING;
  return new BetterSqlite3(file, binding ? { ...options, nativeBinding: binding } : options);
}
