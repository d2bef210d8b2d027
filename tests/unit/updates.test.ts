// Desktop updates against a real HTTP server on 127.0.0.1 serving electron-builder's
// `latest-linux.yml` and an "installer": electron-updater's generic provider checks it,
// downloads it in the background (checksum verified), and the app asks before installing
// on quit. Electron's own network stack is not here, so requests go through Node's http —
// the one stand-in; the check, the download and the decision are electron-updater's and ours.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { AppImageUpdater } from 'electron-updater';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  updateFeedUrl,
  updatePrompt,
  Updates,
  type UpdateState,
} from '../../src-main/electron/updates.js';
import { tempDir } from '../helpers/store.js';

vi.mock('electron', () => ({}));

/** electron-updater's executor with Node's http in place of Electron's `net`. */
class NodeHttpExecutor extends ElectronHttpExecutor {
  override createRequest(options: unknown, callback: (response: unknown) => void) {
    return http.request(options as http.RequestOptions, callback) as never;
  }
}

const dir = tempDir('leadbook-updates-');
const installer = randomBytes(64 * 1024);
let latest = '0.2.0';
let requests: string[] = [];
let server: http.Server;
let feed = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const at = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(at);
    if (at.endsWith('latest-linux.yml')) {
      const sha512 = createHash('sha512').update(installer).digest('base64');
      res.writeHead(200, { 'Content-Type': 'text/yaml' });
      res.end(
        [
          `version: ${latest}`,
          'files:',
          `  - url: Leadbook-${latest}.AppImage`,
          `    sha512: ${sha512}`,
          `    size: ${installer.length}`,
          `path: Leadbook-${latest}.AppImage`,
          `sha512: ${sha512}`,
          `releaseDate: '2026-12-01T10:00:00.000Z'`,
          '',
        ].join('\n'),
      );
      return;
    }
    if (at.endsWith('.AppImage')) {
      res.writeHead(200, { 'Content-Length': installer.length });
      res.end(installer);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  feed = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases/`;
  // AppImageUpdater replaces the running AppImage: there must be one.
  const current = path.join(dir, 'Leadbook-0.1.0.AppImage');
  fs.writeFileSync(current, 'old');
  process.env.APPIMAGE = current;
});
afterAll(async () => {
  delete process.env.APPIMAGE;
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  requests = [];
  latest = '0.2.0';
});

function updater(version: string) {
  const u = new AppImageUpdater(null, {
    version,
    name: 'Leadbook',
    isPackaged: true,
    appUpdateConfigPath: path.join(dir, 'app-update.yml'),
    userDataPath: dir,
    baseCachePath: path.join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  });
  (u as unknown as { httpExecutor: ElectronHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  u.logger = null;
  return u;
}

function until(updates: Updates, wanted: UpdateState['state'], ms = 20_000) {
  return new Promise<UpdateState>((resolve, reject) => {
    if (updates.state().state === wanted) return resolve(updates.state());
    const timer = setTimeout(
      () => reject(new Error(`no ${wanted}: ${JSON.stringify(updates.state())}`)),
      ms,
    );
    const off = updates.onState((s) => {
      if (s.state !== wanted) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

describe('desktop updates from the team’s folder', () => {
  it('is off until the team sets an http(s) folder', async () => {
    expect(updateFeedUrl('')).toBeNull();
    expect(updateFeedUrl('ftp://example.com/x')).toBeNull();
    expect(updateFeedUrl('javascript:alert(1)')).toBeNull();
    expect(updateFeedUrl('https://sync.example.cn/updates')).toBe(
      'https://sync.example.cn/updates/',
    );
    const u = new Updates({ updater: updater('0.1.0'), ask: async () => true, configDir: dir });
    u.configure('');
    expect(u.state()).toEqual({ state: 'off' });
    expect(await u.checkNow()).toEqual({ state: 'off' });
    expect(requests).toEqual([]);
  });

  it('finds a newer version, downloads it in the background, asks, and installs on quit only after a yes', async () => {
    const up = updater('0.1.0');
    const asked: string[] = [];
    const u = new Updates({
      updater: up,
      configDir: dir,
      ask: async (v) => {
        asked.push(v);
        return true;
      },
    });
    expect(up.autoInstallOnAppQuit).toBe(false);
    u.configure(feed);
    const ready = await until(u, 'ready');
    expect(ready).toMatchObject({ version: '0.2.0' });
    await vi.waitFor(() => expect(u.state()).toMatchObject({ installOnQuit: true }));
    expect(asked).toEqual(['0.2.0']);
    expect(up.autoInstallOnAppQuit).toBe(true);
    expect(requests.some((r) => r.endsWith('/releases/latest-linux.yml'))).toBe(true);
    expect(requests.some((r) => r.endsWith('/releases/Leadbook-0.2.0.AppImage'))).toBe(true);
    u.stop();
  });

  it('a "not now" leaves the update uninstalled', async () => {
    const up = updater('0.1.0');
    const u = new Updates({ updater: up, ask: async () => false, configDir: dir });
    u.configure(feed);
    await until(u, 'ready');
    await vi.waitFor(() => expect(u.state()).toMatchObject({ installOnQuit: false }));
    expect(up.autoInstallOnAppQuit).toBe(false);
    u.stop();
  });

  it('the same or an older version is no update, and nothing is downloaded', async () => {
    latest = '0.1.0';
    const u = new Updates({ updater: updater('0.1.0'), ask: async () => true, configDir: dir });
    u.configure(feed);
    await until(u, 'current');
    latest = '0.0.9';
    expect((await u.checkNow()).state).toBe('current');
    expect(requests.some((r) => r.endsWith('.AppImage'))).toBe(false);
    u.stop();
  });

  it('offline (nothing listening) is not an error for the user: it says unreachable and tries later', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const u = new Updates({ updater: updater('0.1.0'), ask: async () => true, configDir: dir });
    u.configure(`http://127.0.0.1:${port}/`);
    const s = await until(u, 'unreachable');
    expect(s).toMatchObject({ state: 'unreachable' });
    await expect(u.checkNow()).resolves.toMatchObject({ state: 'unreachable' });
    u.stop();
  });

  it('asks in the user’s language', () => {
    expect(updatePrompt('zh-CN', '0.2.0')).toMatchObject({
      message: 'Leadbook 0.2.0 已下载好。',
      buttons: ['退出时安装', '以后再说'],
    });
    expect(updatePrompt('en-US', '0.2.0').buttons).toEqual(['Install on quit', 'Not now']);
  });
});
