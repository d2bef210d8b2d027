// Team sync in the browser: two web-mode laptops (their own files) on one sync server
// started with the real CLI. A lead captured on one shows on the other's list without a
// reload; a card moved on the second moves on the first; the server stops → both keep
// working and say "offline" → it restarts → what was captured meanwhile arrives.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  captureLead,
  cli,
  openSyncSettings,
  startEmpty,
  freePort,
  openBrowser,
  serve,
  startSyncServerProcess,
  stopProcess,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

const startSyncServer = async (port: number, data: string) =>
  (await startSyncServerProcess(port, data)).child;

async function connect(page: Page, url: string, server: string, token: string) {
  await startEmpty(page, url);
  await openSyncSettings(page);
  await page.getByText('改用设备令牌连接').click();
  const form = page.getByRole('form', { name: '改用设备令牌连接' });
  await form.getByLabel('服务器地址').fill(server);
  await form.getByLabel('设备令牌').fill(token);
  await page.getByRole('button', { name: '连接', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已连接到团队同步服务器' }).waitFor();
  await page
    .locator('[data-testid="sync-badge"][data-state="synced"]')
    .waitFor({ timeout: 10_000 });
}

describe('team sync between two laptops', () => {
  let port: number;
  let data: string;
  let syncServer: ChildProcess;
  let a: Served;
  let b: Served;
  let browser: Browser;
  let pageA: Page;
  let pageB: Page;

  beforeAll(async () => {
    data = tempDb('sync-server.db');
    const token = (user: string) =>
      (
        JSON.parse(
          cli(['sync-server', 'token', 'create', '--user', user, '--data', data, '--json']).stdout,
        ) as { token: string }
      ).token;
    const ta = token('王伟');
    const tb = token('李娜');
    port = await freePort();
    syncServer = await startSyncServer(port, data);
    a = await serve(tempDb('laptop-a.db'));
    b = await serve(tempDb('laptop-b.db'));
    browser = await openBrowser('zh-CN');
    pageA = browser.page;
    pageB = await browser.context.newPage();
    const server = `http://127.0.0.1:${port}`;
    await connect(pageA, a.url, server, ta);
    await connect(pageB, b.url, server, tb);
  });
  afterAll(async () => {
    await browser?.close();
    await a?.stop();
    await b?.stop();
    if (syncServer) await stopProcess(syncServer);
  });

  it('shows a lead captured on one laptop in the other’s list within 3 s, without a reload', async () => {
    await pageB.getByRole('button', { name: '线索', exact: true }).click();
    await pageB.getByRole('heading', { name: '线索', level: 1 }).waitFor();
    await captureLead(pageA, '展会访客甲', '宝钢集团');
    const captured = Date.now();
    await pageB
      .getByRole('button', { name: '展会访客甲', exact: true })
      .waitFor({ timeout: 3_000 });
    expect(Date.now() - captured).toBeLessThan(3_000);
    await pageA.getByRole('button', { name: '设置', exact: true }).click();
    await pageA.getByRole('tab', { name: '团队同步' }).click();
    await expect.poll(() => pageA.getByTestId('sync-waiting').textContent()).toBe('0');
    await pageA.screenshot({ path: path.join(artifacts, 'sync-settings.png') });
    await pageB.screenshot({ path: path.join(artifacts, 'sync-lead-arrived.png') });
  });

  it('moves a card on the first laptop’s board when it is moved on the second', async () => {
    // Converted on A: the deal appears on B's board.
    await pageA.getByRole('button', { name: '线索', exact: true }).click();
    await pageA.getByRole('button', { name: '展会访客甲', exact: true }).click();
    const panel = pageA.getByRole('complementary', { name: '线索：展会访客甲' });
    await panel.getByRole('button', { name: /^转为商机/ }).click();
    await pageA.getByRole('status').filter({ hasText: '已转为商机：宝钢集团' }).waitFor();
    const oppPanel = pageA.getByTestId('opportunity-panel');
    if (await oppPanel.count()) await oppPanel.getByRole('button', { name: '关闭' }).click();
    const needsA = pageA.getByRole('region', { name: '需求分析' });

    await pageB.getByRole('button', { name: '销售漏斗', exact: true }).click();
    const initialB = pageB.getByRole('region', { name: '初步接触' });
    const needsB = pageB.getByRole('region', { name: '需求分析' });
    const card = initialB.getByRole('button', { name: '宝钢集团' });
    await card.waitFor({ timeout: 5_000 });
    // Keyboard move on B: Space, →, Space.
    await card.focus();
    await pageB.keyboard.press('Space');
    await initialB.locator('li.dragging').waitFor();
    await pageB.keyboard.press('ArrowRight');
    await needsB.locator('li.dragging').waitFor();
    await pageB.keyboard.press('Space');
    await expect.poll(() => needsB.getByTestId('column-count').textContent()).toBe('1 个商机');
    const moved = Date.now();
    await expect
      .poll(() => needsA.getByTestId('column-count').textContent(), { timeout: 5_000 })
      .toBe('1 个商机');
    expect(Date.now() - moved).toBeLessThan(5_000);
    await pageA.screenshot({ path: path.join(artifacts, 'sync-card-moved.png') });
  });

  it('keeps working with the server stopped, says offline, and catches up when it is back', async () => {
    await stopProcess(syncServer);
    for (const page of [pageA, pageB])
      await expect
        .poll(() => page.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('offline');
    // Both laptops keep capturing.
    await captureLead(pageB, '断网录入乙', '华为技术');
    await captureLead(pageA, '断网录入丙', '字节跳动');
    await expect
      .poll(() => pageB.getByTestId('sync-badge').textContent())
      .toMatch(/离线.*条待发送/);
    await pageB.screenshot({ path: path.join(artifacts, 'sync-offline.png') });
    await pageB.getByRole('button', { name: '设置', exact: true }).click();
    await pageB.getByRole('tab', { name: '团队同步' }).click();
    await pageB.getByRole('alert').filter({ hasText: '连不上服务器' }).waitFor();

    syncServer = await startSyncServer(port, data);
    await pageA.getByRole('button', { name: '线索', exact: true }).click();
    await pageA
      .getByRole('button', { name: '断网录入乙', exact: true })
      .waitFor({ timeout: 30_000 });
    await pageB.getByRole('button', { name: '线索', exact: true }).click();
    await pageB
      .getByRole('button', { name: '断网录入丙', exact: true })
      .waitFor({ timeout: 30_000 });
    for (const page of [pageA, pageB])
      await expect
        .poll(() => page.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('synced');
    await pageA.screenshot({ path: path.join(artifacts, 'sync-caught-up.png') });
  });
});
