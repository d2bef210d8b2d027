import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDbPath } from '../../src-main/api/paths.js';

describe('where the data lives', () => {
  it('uses the OS user-data folder that Electron uses for "Leadbook"', () => {
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/Leadbook');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe('/cfg/Leadbook');
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Leadbook',
    );
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann'),
    ).toBe('C:\\Users\\ann\\AppData\\Roaming\\Leadbook');
  });

  it('--db wins over LEADBOOK_DB, which wins over the default', () => {
    expect(resolveDbPath('/tmp/a.db', { LEADBOOK_DB: '/tmp/b.db' }, '/data')).toBe('/tmp/a.db');
    expect(resolveDbPath(undefined, { LEADBOOK_DB: '/tmp/b.db' }, '/data')).toBe('/tmp/b.db');
    expect(resolveDbPath(undefined, {}, '/data')).toBe('/data/leadbook.db');
  });
});
