// The Electron shell cannot run here (no Electron binary can be downloaded), so its wiring
// is tested against a mocked `electron` module: security settings, IPC sender checks, the
// preload's exposed surface, and a real call through IPC into a real database file.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/store.js';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const state = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  windows: [] as { options: Record<string, unknown>; webContents: FakeContents; loaded?: string }[],
  userData: '',
  menus: 0,
  opened: [] as string[],
}));
interface FakeContents {
  listeners: Map<string, (...a: unknown[]) => void>;
  openHandler?: (d: { url: string }) => { action: string };
  sent: [string, unknown][];
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: FakeContents & Record<string, unknown>;
    options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      const contents: FakeContents & Record<string, unknown> = {
        listeners: new Map(),
        sent: [],
        on(name: string, fn: (...a: unknown[]) => void) {
          contents.listeners.set(name, fn);
        },
        once(name: string, fn: (...a: unknown[]) => void) {
          contents.listeners.set(name, fn);
        },
        setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
          contents.openHandler = fn;
        },
        send(channel: string, payload: unknown) {
          contents.sent.push([channel, payload]);
        },
      };
      this.webContents = contents;
      state.windows.push(this as never);
    }
    static fromWebContents(wc: unknown) {
      return (
        (state.windows as unknown as BrowserWindow[]).find((w) => w.webContents === wc) ?? null
      );
    }
    static getFocusedWindow() {
      return null;
    }
    once() {}
    on() {}
    isDestroyed() {
      return false;
    }
    loadFile(file: string) {
      (this as unknown as { loaded: string }).loaded = file;
      return Promise.resolve();
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      setAsDefaultProtocolClient: () => true,
      whenReady: () => Promise.resolve(),
      getPath: () => state.userData,
      getLocale: () => 'zh-CN',
      on: () => undefined,
      quit: () => undefined,
      exit: () => undefined,
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: Handler) => state.handlers.set(channel, fn),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => (state.menus += 1) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: () => undefined,
      },
    },
    shell: { openExternal: (url: string) => state.opened.push(url) },
    dialog: { showErrorBox: () => undefined },
    // A stand-in keychain: a reversible scramble, so a test can see the token is not stored
    // as it is and comes back whole.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a)),
      decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
    },
  };
});

const { hardenWebContents, isAllowedPermission, isSafeExternalUrl, secureWebPreferences } =
  await import('../../src-main/electron/security.js');
const { registerIpc } = await import('../../src-main/electron/ipc.js');

describe('invite links open the app', () => {
  it('takes a well-formed leadbook://join or pair-file link from the arguments, nothing else', async () => {
    const { inviteLinkFrom } = await import('../../src-main/electron/deepLink.js');
    const join =
      'leadbook://join?server=https%3A%2F%2F192.168.1.5%3A7412&code=lbi_abcdefghijklmnopqrstuvwxyz0&fp=' +
      'ab'.repeat(32);
    const pair = `leadbook://pair-file?workspace=team&name=x&key=${'A'.repeat(43)}`;
    expect(inviteLinkFrom(['/opt/Leadbook/leadbook', '--no-sandbox', join])).toBe(join);
    expect(inviteLinkFrom([pair])).toBe(pair);
    expect(inviteLinkFrom(['leadbook://join?server=javascript:alert(1)&code=lbi_x'])).toBeNull();
    expect(inviteLinkFrom(['leadbook://settings', 'https://example.com'])).toBeNull();
    expect(inviteLinkFrom([join.replace('fp=ab', 'fp=zz')])).toBeNull();
  });
});

describe('sync tokens in the keychain', () => {
  it('seals a token with safeStorage; a sealed token is never read as plain text elsewhere', async () => {
    const { desktopSecrets } = await import('../../src-main/electron/secrets.js');
    const { plainSecrets } = await import('../../src-main/sync/secrets.js');
    const box = desktopSecrets();
    expect(box.kind).toBe('keychain');
    const token = 'lbt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    const sealed = box.seal(token);
    expect(sealed).not.toContain(token);
    expect(sealed.startsWith('kc1:')).toBe(true);
    expect(box.open(sealed)).toBe(token);
    // A token stored before sealing existed still works.
    expect(box.open(token)).toBe(token);
    // Web mode (no keychain) says plainly why it cannot use a sealed token.
    expect(() => plainSecrets.open(sealed)).toThrow(/keychain/);
  });
});

describe('electron security settings', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
  });

  it('only http(s), mailto and tel go to the OS', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.c')).toBe(true);
    expect(isSafeExternalUrl('tel:+8613800138000')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
  });

  it('grants notifications and the camera alone; never the microphone or anything else', () => {
    expect(isAllowedPermission('notifications')).toBe(true);
    expect(isAllowedPermission('media', { mediaTypes: ['video'] })).toBe(true);
    expect(isAllowedPermission('media', { mediaTypes: ['audio'] })).toBe(false);
    expect(isAllowedPermission('media', { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(isAllowedPermission('media', {})).toBe(false);
    for (const p of ['geolocation', 'midi', 'clipboard-read', 'openExternal', 'hid'])
      expect(isAllowedPermission(p, { mediaTypes: ['video'] })).toBe(false);
  });

  it('blocks navigation away from the app and every new window', () => {
    const listeners = new Map<string, (...a: unknown[]) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const opened: string[] = [];
    hardenWebContents(
      {
        on: ((name: string, fn: (...a: unknown[]) => void) => listeners.set(name, fn)) as never,
        setWindowOpenHandler: ((fn: typeof openHandler) => (openHandler = fn)) as never,
      },
      'file:///app/renderer/',
      (url) => opened.push(url),
    );
    const prevented: string[] = [];
    const navigate = (url: string) =>
      listeners.get('will-navigate')!({ preventDefault: () => prevented.push(url) }, url);
    navigate('file:///app/renderer/index.html');
    navigate('https://evil.example/');
    navigate('file:///etc/passwd');
    expect(prevented).toEqual(['https://evil.example/', 'file:///etc/passwd']);
    expect(openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://evil.example/', 'https://docs.example/']);
  });
});

describe('IPC wiring', () => {
  const calls: [string, unknown][] = [];
  const api = {
    dispatch: async (name: string, input: unknown) => {
      calls.push([name, input]);
      if (name === 'bad') throw Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
      return { ok: name };
    },
    onEvent: (fn: (e: never) => void) => {
      fn({ type: 'changed', tables: ['leads'], origin: 'local' } as never);
      return () => undefined;
    },
  };
  const handlers = new Map<string, Handler>();
  const fakeIpc = {
    handle: (c: string, fn: Handler) => handlers.set(c, fn),
    removeHandler: (c: string) => handlers.delete(c),
  };
  const broadcasts: unknown[] = [];
  beforeEach(() => (calls.length = 0));

  const off = registerIpc(
    fakeIpc as never,
    api,
    (e) => (e as unknown as { trusted: boolean }).trusted,
    (_c, e) => broadcasts.push(e),
  );

  it('answers trusted senders and forwards change events', async () => {
    const reply = await handlers.get('leadbook:call')!({ trusted: true }, 'leads.list', {
      limit: 1,
    });
    expect(reply).toEqual({ ok: true, result: { ok: 'leads.list' } });
    expect(broadcasts).toEqual([{ type: 'changed', tables: ['leads'], origin: 'local' }]);
  });

  it('refuses untrusted senders before the API sees the call', async () => {
    const reply = await handlers.get('leadbook:call')!({ trusted: false }, 'leads.delete', {
      id: 'x',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([]);
  });

  it('returns errors as {code, message}', async () => {
    const reply = await handlers.get('leadbook:call')!({ trusted: true }, 'bad', {});
    expect(reply).toEqual({ ok: false, error: { code: 'CONFLICT', message: expect.any(String) } });
    off();
    expect(handlers.size).toBe(0);
  });
});

describe('preload', () => {
  it('exposes only call and onEvent, over the two channels', () => {
    const source = fs.readFileSync(path.resolve('src-main/electron/preload.cts'), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (...a: unknown[]) => void>();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve('r')),
        on: (c: string, fn: (...a: unknown[]) => void) => listeners.set(c, fn),
        removeListener: (c: string) => listeners.delete(c),
      },
    };
    const module = { exports: {} };
    vm.runInNewContext(js, {
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`preload may not require ${name}`);
        return fakeElectron;
      },
      module,
      exports: module.exports,
    });
    expect(Object.keys(exposed)).toEqual(['leadbookBridge']);
    const bridge = exposed.leadbookBridge as {
      call: (n: string, i: unknown) => unknown;
      onEvent: (f: (e: unknown) => void) => () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent']);
    void bridge.call('leads.list', { limit: 1 });
    expect(invoked).toEqual([['leadbook:call', 'leads.list', { limit: 1 }]]);
    const got: unknown[] = [];
    const unsubscribe = bridge.onEvent((e) => got.push(e));
    listeners.get('leadbook:event')!({ sender: 'ipc' }, { type: 'changed' });
    expect(got).toEqual([{ type: 'changed' }]);
    unsubscribe();
    expect(listeners.size).toBe(0);
  });
});

describe('main process', () => {
  const dir = tempDir('leadbook-electron-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens the database in userData, a secure window, and serves IPC from it only', async () => {
    state.userData = dir;
    const prevDb = process.env.LEADBOOK_DB;
    delete process.env.LEADBOOK_DB;
    const { startElectronApp, rendererDir } = await import('../../src-main/electron/main.js');
    // Started by a click on an invite link (Windows and Linux pass it as an argument).
    const link = `leadbook://pair-file?workspace=team&name=x&key=${'B'.repeat(43)}`;
    const argv = process.argv;
    process.argv = [...argv, link];
    await startElectronApp();
    process.argv = argv;
    if (prevDb !== undefined) process.env.LEADBOOK_DB = prevDb;
    expect(fs.existsSync(path.join(dir, 'leadbook.db'))).toBe(true);
    expect(state.windows).toHaveLength(1);
    const win = state.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(win.loaded).toBe(path.join(rendererDir, 'index.html'));
    expect(state.menus).toBe(1);
    // Once the page can listen, it is told the link (to show in Join a team, not to join).
    win.webContents.listeners.get('did-finish-load')!();
    expect(win.webContents.sent).toContainEqual(['leadbook:event', { type: 'join-link', link }]);

    const call = state.handlers.get('leadbook:call')!;
    const pageUrl = `file://${rendererDir}/index.html`;
    const created = (await call(
      { sender: win.webContents, senderFrame: { url: pageUrl } },
      'leads.create',
      {
        name: '赵六',
      },
    )) as { ok: boolean; result: { name: string } };
    expect(created).toMatchObject({ ok: true, result: { name: '赵六' } });
    expect(win.webContents.sent.some(([c]) => c === 'leadbook:event')).toBe(true);

    const foreign = await call(
      { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } },
      'leads.list',
      {},
    );
    expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const stranger = await call({ sender: {}, senderFrame: { url: pageUrl } }, 'leads.list', {});
    expect(stranger).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // The newcomer was asked nothing, and the workspace is encrypted: its key is sealed by
    // the keychain in keys.json (only this user may read it), and the file alone gives
    // nothing away.
    const status = (await call(
      { sender: win.webContents, senderFrame: { url: pageUrl } },
      'workspace.status',
      {},
    )) as { result: { encrypted: boolean; keyStore: string } };
    expect(status.result).toMatchObject({ encrypted: true, keyStore: 'keychain' });
    const dbFile = path.join(dir, 'leadbook.db');
    const copy = path.join(dir, 'stolen-copy.db');
    fs.copyFileSync(dbFile, copy);
    expect(fs.readFileSync(copy).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(fs.readFileSync(copy).includes(Buffer.from('赵六'))).toBe(false);
    const keysFile = path.join(dir, 'keys.json');
    expect(fs.statSync(keysFile).mode & 0o077).toBe(0);
    const sealed = Object.values(JSON.parse(fs.readFileSync(keysFile, 'utf8')) as object);
    expect(sealed).toHaveLength(1);
    const { openStore } = await import('../../src-main/store/open.js');
    await expect(openStore(copy)).rejects.toMatchObject({
      name: 'WorkspaceLockedError',
      reason: 'no-key',
    });
  });
});
