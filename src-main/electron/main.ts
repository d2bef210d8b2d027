// Electron main process: window, menu, IPC wiring, security. Thin by design — the data
// and the rules live behind the API, exactly as in web mode.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { Workspace } from '../api/workspace.js';
import { CONTENT_SECURITY_POLICY } from '../api/csp.js';
import { resolveDbPath } from '../api/paths.js';
import type { ApiServer } from '../api/router.js';
import type { AppEvent, TeamSettings } from '../contract/index.js';
import { DEEP_LINK_SCHEME, inviteLinkFrom } from './deepLink.js';
import { EVENT_CHANNEL, registerIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { appIconPath } from './appIcon.js';
import { desktopKeyVault } from './keyVault.js';
import { platformUpdater, updatePrompt, Updates } from './updates.js';
import { desktopSecrets } from './secrets.js';
import {
  hardenWebContents,
  isAllowedPermission,
  isAppUrl,
  secureWebPreferences,
} from './security.js';

const here = import.meta.dirname;
export const rendererDir = path.resolve(here, '..', '..', 'renderer');
const rendererRootUrl = pathToFileURL(rendererDir + path.sep).href;
const preloadPath = path.join(here, 'preload.cjs');

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0
    ? process.argv[i + 1]
    : process.argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

/** dist/src-main/electron → the app's root (the repository, or the asar archive). */
const appRoot = path.resolve(here, '..', '..', '..');
const iconPath = () => appIconPath(app.isPackaged, process.resourcesPath, appRoot);

export function createMainWindow(): BrowserWindow {
  const icon = iconPath();
  const win = new BrowserWindow({
    ...(icon ? { icon } : {}),
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Leadbook',
    webPreferences: secureWebPreferences(preloadPath),
  });
  hardenWebContents(win.webContents, rendererRootUrl, (url) => {
    void shell.openExternal(url); // hardenWebContents passes only http(s)/mailto/tel
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(path.join(rendererDir, 'index.html'));
  return win;
}

/** Updates run only in a packaged app (electron-updater needs its resources), from the
 * folder the team set in Settings › General; it is read again when settings change. */
function startUpdates(api: ApiServer): void {
  if (!app.isPackaged) return;
  const updates = new Updates({
    updater: platformUpdater(),
    configDir: app.getPath('userData'),
    ask: async (version) => {
      const prompt = updatePrompt(app.getLocale(), version);
      const answer = await dialog.showMessageBox({
        type: 'info',
        ...prompt,
        defaultId: 0,
        cancelId: 1,
      });
      return answer.response === 0;
    },
  });
  const readFeed = () =>
    api
      .dispatch('settings.get', {})
      .then((s) => updates.configure((s as TeamSettings).updateUrl))
      .catch(() => undefined); // locked or damaged: no settings to read yet
  void readFeed();
  api.onEvent((e) => {
    if (e.type === 'workspace' || (e.type === 'changed' && e.tables.includes('settings')))
      void readFeed();
  });
}

export async function startElectronApp(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // leadbook:// links (invites) open this app. macOS tells them before "ready".
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  let pendingLink = inviteLinkFrom(process.argv);
  let tellLink: ((link: string) => void) | null = null;
  const onLink = (link: string | null) => {
    if (!link) return;
    if (tellLink) tellLink(link);
    else pendingLink = link;
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    onLink(inviteLinkFrom([url]));
  });
  await app.whenReady();
  const dockIcon = iconPath();
  if (process.platform === 'darwin' && !app.isPackaged && dockIcon) app.dock?.setIcon(dockIcon);
  const dbPath = resolveDbPath(argValue('--db'), process.env, app.getPath('userData'));
  let api: ApiServer;
  try {
    // Opens even a locked or damaged file: the window then asks for the recovery key or
    // offers the newest good backup.
    api = await Workspace.open(dbPath, {
      vault: desktopKeyVault(app.getPath('userData')),
      api: { background: true, sync: { secrets: desktopSecrets() } },
    });
  } catch (err) {
    dialog.showErrorBox('Leadbook', (err as Error).message);
    app.exit(1);
    return;
  }

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, allow, details) =>
    allow(
      isAllowedPermission(
        permission,
        'mediaTypes' in details ? { mediaTypes: details.mediaTypes ?? [] } : {},
      ),
    ),
  );

  const windows = new Set<BrowserWindow>();
  registerIpc(
    ipcMain,
    api,
    (event) => {
      const win = BrowserWindow.fromWebContents(event.sender);
      return !!win && windows.has(win) && isAppUrl(event.senderFrame?.url ?? '', rendererRootUrl);
    },
    (channel, payload) => {
      for (const w of windows) if (!w.isDestroyed()) w.webContents.send(channel, payload);
    },
  );

  const open = () => {
    const win = createMainWindow();
    windows.add(win);
    win.on('closed', () => windows.delete(win));
    return win;
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(app.getLocale(), process.platform === 'darwin', (command) => {
        const event: AppEvent = { type: 'command', command };
        BrowserWindow.getFocusedWindow()?.webContents.send(EVENT_CHANNEL, event);
      }),
    ),
  );
  const first = open();
  startUpdates(api);
  tellLink = (link) => {
    const event: AppEvent = { type: 'join-link', link };
    const [win] = windows;
    win?.webContents.send(EVENT_CHANNEL, event);
  };
  // A link that started the app is told once the page can listen.
  first.webContents.once('did-finish-load', () => {
    if (pendingLink) tellLink?.(pendingLink);
    pendingLink = null;
  });
  app.on('second-instance', (_event, argv) => {
    const [win] = windows;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    onLink(inviteLinkFrom(argv));
  });
  app.on('activate', () => {
    if (windows.size === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // A running import is cancelled (rolled back) and the database closed before exit.
    event.preventDefault();
    closed = true;
    void api.close().finally(() => app.quit());
  });
}

if (process.versions.electron && !process.env.VITEST) void startElectronApp();
