// Starts the real `leadbook serve` (the built CLI) on a temp database and a headless
// Debian Chromium driven by playwright-core. Playwright cannot download browsers here, so
// the system Chromium is used (CHROMIUM_PATH overrides).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'leadbook.js');

export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  const found = candidates.find((c) => c && fs.existsSync(c));
  if (!found)
    throw new Error('no Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH');
  return found;
}

export function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface Served {
  url: string;
  db: string;
  stop(): Promise<void>;
}

export async function serve(db: string, env: Record<string, string> = {}): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--db', db, '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return {
    url,
    db,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(locale = 'zh-CN', extraArgs: string[] = []): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    locale,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--lang=${locale}`,
      ...extraArgs,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function tempDb(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbook-e2e-'));
  return path.join(dir, name);
}

/** Screenshots of every e2e run (kept by CI as test results; ignored by git). */
export const artifacts = path.join(root, 'test-results');
fs.mkdirSync(artifacts, { recursive: true });

/** From the welcome screen: an empty database, the team added in Settings, and "me" on
 * this laptop (mouse is fine for setup). */
export async function startWithTeam(page: Page, url: string, team: string[], me: string) {
  await page.goto(url);
  await page.getByRole('button', { name: '从空白开始' }).click();
  await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();
  await page.getByRole('button', { name: '设置', exact: true }).click();
  for (const name of team) {
    await page.locator('input[name="user-name"]').fill(name);
    await page.getByRole('button', { name: '添加成员' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `已添加：${name}` })
      .waitFor();
  }
  await page.locator('select[name="current-user"]').selectOption({ label: me });
}

/** Creates an event from Quick capture and makes it this laptop's current one. */
export async function makeCurrentEvent(page: Page, name: string) {
  await page.getByRole('button', { name: '管理展会/活动' }).click();
  await page.locator('input[name="event-name"]').fill(name);
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await page.getByRole('button', { name }).waitFor();
  await page.locator('select[name="current-event"]').selectOption({ label: name });
  await page.getByRole('button', { name: '关闭' }).click();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** What `leadbook sync-server --json` prints when it is up. */
export interface SyncServerInfo {
  url: string;
  adminCode: string | null;
  adminLink: string | null;
}

/** The real sync server (the built CLI) in a process of its own, on loopback. */
export function startSyncServerProcess(
  port: number,
  data: string,
): Promise<{ child: ChildProcess; info: SyncServerInfo }> {
  const child = spawn(
    process.execPath,
    [bin, 'sync-server', '--host', '127.0.0.1', '--port', String(port), '--data', data, '--json'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const complete = out.split('\n').slice(0, -1);
      const line = complete.find((l) => l.includes('"url"'));
      if (line) resolve({ child, info: JSON.parse(line) as SyncServerInfo });
    });
    child.on('exit', (code) => reject(new Error(`sync-server exited ${code}`)));
  });
}

export const stopProcess = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** A fresh web-mode laptop: the welcome screen's "start empty", then the leads list. */
export async function startEmpty(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: '从空白开始' }).click();
  await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();
}

export async function openSyncSettings(page: Page) {
  await page.getByRole('button', { name: '设置', exact: true }).click();
  await page.getByRole('tab', { name: '团队同步' }).click();
}

/** Quick capture of one lead, with the keyboard, until its "saved" toast. */
export async function captureLead(page: Page, name: string, company: string) {
  await page.getByRole('button', { name: '快速录入', exact: true }).click();
  const form = page.getByRole('form', { name: '快速录入' });
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="company"]').fill(company);
  await form.locator('input[name="name"]').press('Enter');
  await page
    .getByRole('status')
    .filter({ hasText: `已保存：${name}` })
    .waitFor();
}

/** Until the frame says "synced"; if it never does, the failure carries what Settings says. */
export async function waitSynced(page: Page) {
  const badge = page.getByTestId('sync-badge');
  try {
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');
  } catch (err) {
    const said = await page
      .locator('.sync-settings')
      .textContent()
      .catch(() => '');
    throw new Error(`${(err as Error).message}\nSettings › Team sync said: ${said}`);
  }
}

/** Settings › Team sync › Join a team with an invite link (and "your name" when asked),
 * checking first that it says with whom this laptop's data will be shared. */
export async function joinTeam(page: Page, link: string, name?: string) {
  await openSyncSettings(page);
  const form = page.getByRole('form', { name: '加入团队' });
  await form.getByLabel('邀请链接').fill(link);
  expect(await form.getByTestId('join-target').textContent()).toContain(
    decodeURIComponent(/server=([^&]+)/.exec(link)![1]!),
  );
  if (name) await form.getByRole('textbox', { name: /^你的名字/ }).fill(name);
  await form.getByRole('button', { name: '加入', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已加入团队' }).waitFor();
  await waitSynced(page);
}

/** Frame gaps (ms) over `ms` of requestAnimationFrame drawing; the leads list (when open)
 * is scrolled `step` px each frame, as a rep reading it does. */
export async function frameGaps(page: Page, ms: number, step = 120) {
  return page.evaluate(
    async ([duration, px]) => {
      const scroller = document.querySelector('.tbody');
      const gaps: number[] = [];
      let last = performance.now();
      const start = last;
      await new Promise<void>((resolve) => {
        const step = () => {
          const now = performance.now();
          gaps.push(now - last);
          last = now;
          if (scroller) scroller.scrollTop += px;
          if (now - start < duration) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      gaps.sort((a, b) => a - b);
      return {
        frames: gaps.length,
        p50: Math.round(gaps[gaps.length >> 1]! * 10) / 10,
        p95: Math.round(gaps[Math.floor(gaps.length * 0.95)]! * 10) / 10,
        max: Math.round(gaps[gaps.length - 1]! * 10) / 10,
      };
    },
    [ms, step] as const,
  );
}
