// Where Leadbook keeps its data when not told otherwise: the OS's per-user application
// data folder (the same folder Electron's app.getPath('userData') uses for "Leadbook"),
// so the desktop app and web mode open the same file.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Leadbook';
export const DB_FILE_NAME = 'leadbook.db';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32')
    return path.win32.join(
      env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'),
      APP_DIR_NAME,
    );
  if (platform === 'darwin')
    return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), APP_DIR_NAME);
}

/** --db PATH wins, then LEADBOOK_DB, then the user-data folder. */
export function resolveDbPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  dataDir?: string,
): string {
  if (flag) return path.resolve(flag);
  if (env.LEADBOOK_DB) return path.resolve(env.LEADBOOK_DB);
  return path.join(dataDir ?? defaultDataDir(), DB_FILE_NAME);
}
