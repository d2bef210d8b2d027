// Updates for the desktop app, from a folder the team serves (electron-updater's generic
// provider: `latest.yml` / `latest-mac.yml` / `latest-linux.yml` and the installers on any
// web server, or beside the team's sync server). Off until the team sets the URL in
// Settings › General. A newer version is downloaded in the background; when it is ready
// the user is asked, and it is installed when the app quits — never in the middle of
// work. Offline (a trade-show floor) a check fails quietly and is tried again later.
import fs from 'node:fs';
import path from 'node:path';
import { AppImageUpdater, MacUpdater, NsisUpdater, type AppUpdater } from 'electron-updater';

export type UpdateState =
  | { state: 'off' }
  | { state: 'checking' }
  | { state: 'current'; checkedAt: number }
  | { state: 'downloading'; version: string }
  | { state: 'ready'; version: string; installOnQuit: boolean }
  | { state: 'unreachable'; message: string; checkedAt: number };

export interface UpdateOptions {
  updater: AppUpdater;
  /** Asks whether to install `version` when the app quits (a dialog in the app). */
  ask(version: string): Promise<boolean>;
  now?: () => number;
  /** Where to write the updater's config (app-update.yml): the team's folder is known
   * only at run time, so the file electron-builder would bake in is not used. */
  configDir: string;
  /** How often to check while the app runs (default: every 6 hours). */
  everyMs?: number;
}

/** The updater for this platform (Windows: NSIS, macOS: Squirrel.Mac, Linux: AppImage). */
export function platformUpdater(): AppUpdater {
  if (process.platform === 'win32') return new NsisUpdater();
  if (process.platform === 'darwin') return new MacUpdater();
  return new AppImageUpdater();
}

/** Only http(s) folders; anything else leaves updates off. */
export function updateFeedUrl(text: string | null | undefined): string | null {
  if (!text?.trim()) return null;
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? url.href.replace(/\/?$/, '/')
      : null;
  } catch {
    return null;
  }
}

// The question is asked by the main process, before or without any page: its words live
// here in both languages, like the menu's (menu.ts).
const prompts = {
  'zh-CN': {
    title: 'Leadbook 更新',
    message: (v: string) => `Leadbook ${v} 已下载好。`,
    detail: '退出 Leadbook 时安装？正在做的事不会被打断。',
    install: '退出时安装',
    later: '以后再说',
  },
  en: {
    title: 'Leadbook update',
    message: (v: string) => `Leadbook ${v} is downloaded.`,
    detail: 'Install it when you quit Leadbook? Nothing you are doing is interrupted.',
    install: 'Install on quit',
    later: 'Not now',
  },
} as const;

export function updatePrompt(locale: string, version: string) {
  const p = locale.toLowerCase().startsWith('zh') ? prompts['zh-CN'] : prompts.en;
  return {
    title: p.title,
    message: p.message(version),
    detail: p.detail,
    buttons: [p.install, p.later],
  };
}

export class Updates {
  private current: UpdateState = { state: 'off' };
  private feed: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(s: UpdateState) => void>();
  private readonly now: () => number;

  constructor(private readonly options: UpdateOptions) {
    this.now = options.now ?? Date.now;
    const { updater } = options;
    // Downloaded in the background, installed only once the user said yes.
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = false;
    updater.allowDowngrade = false;
    updater.on('checking-for-update', () => this.set({ state: 'checking' }));
    updater.on('update-not-available', () => this.set({ state: 'current', checkedAt: this.now() }));
    updater.on('update-available', (info) =>
      this.set({ state: 'downloading', version: info.version }),
    );
    updater.on('update-downloaded', (info) => {
      this.set({ state: 'ready', version: info.version, installOnQuit: false });
      void this.options.ask(info.version).then((yes) => {
        updater.autoInstallOnAppQuit = yes;
        this.set({ state: 'ready', version: info.version, installOnQuit: yes });
      });
    });
    updater.on('error', (err) =>
      this.set({ state: 'unreachable', message: err.message, checkedAt: this.now() }),
    );
  }

  state(): UpdateState {
    return this.current;
  }

  onState(listener: (s: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(s: UpdateState): void {
    this.current = s;
    for (const l of [...this.listeners]) l(s);
  }

  /** Points at the team's folder (null: updates off) and checks now and then. */
  configure(feedText: string | null | undefined): void {
    const feed = updateFeedUrl(feedText);
    if (feed === this.feed) return;
    this.feed = feed;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!feed) {
      this.set({ state: 'off' });
      return;
    }
    const config = path.join(this.options.configDir, 'app-update.yml');
    fs.mkdirSync(this.options.configDir, { recursive: true });
    fs.writeFileSync(
      config,
      `provider: generic\nurl: ${JSON.stringify(feed)}\nupdaterCacheDirName: leadbook-updater\n`,
    );
    this.options.updater.updateConfigPath = config;
    this.options.updater.setFeedURL({ provider: 'generic', url: feed });
    void this.checkNow();
    this.timer = setInterval(() => void this.checkNow(), this.options.everyMs ?? 6 * 3600_000);
    this.timer.unref?.();
  }

  /** One check; never throws (offline is normal) — the state says what happened. */
  async checkNow(): Promise<UpdateState> {
    if (!this.feed) return this.current;
    if (this.current.state === 'downloading' || this.current.state === 'ready') return this.current;
    try {
      const result = await this.options.updater.checkForUpdates();
      if (!result) this.set({ state: 'current', checkedAt: this.now() });
      else if (!result.isUpdateAvailable && this.current.state === 'checking')
        this.set({ state: 'current', checkedAt: this.now() });
      // A download started by the check goes on in the background.
      void result?.downloadPromise?.catch(() => undefined);
    } catch (err) {
      this.set({ state: 'unreachable', message: (err as Error).message, checkedAt: this.now() });
    }
    return this.current;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
