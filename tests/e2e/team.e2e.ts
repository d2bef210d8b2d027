// Setting a team up as a newcomer does, in two browsers: the server's first start prints a
// one-time admin link; laptop A joins with it and invites 李娜; laptop B joins from that
// invite link and sees the team's leads; team settings are read-only for B (a rep); the
// admin removes B's laptop and B says so in plain words while keeping its data.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  captureLead,
  freePort,
  joinTeam,
  openSyncSettings,
  openBrowser,
  serve,
  startEmpty,
  startSyncServerProcess,
  stopProcess,
  tempDb,
  type Browser,
  type Served,
  type SyncServerInfo,
} from './harness.js';

describe('a team set up from invite links', () => {
  let syncServer: ChildProcess;
  let info: SyncServerInfo;
  let port: number;
  let data: string;
  let a: Served;
  let b: Served;
  let browserA: Browser;
  let browserB: Browser;
  let pageA: Page;
  let pageB: Page;
  let inviteLink: string;

  beforeAll(async () => {
    port = await freePort();
    data = tempDb('team-server.db');
    ({ child: syncServer, info } = await startSyncServerProcess(port, data));
    a = await serve(tempDb('team-a.db'));
    b = await serve(tempDb('team-b.db'));
    browserA = await openBrowser('zh-CN');
    browserB = await openBrowser('zh-CN');
    pageA = browserA.page;
    pageB = browserB.page;
  });
  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
    await a?.stop();
    await b?.stop();
    if (syncServer) await stopProcess(syncServer);
  });

  it('the admin joins with the link the server printed and invites 李娜', async () => {
    expect(info.adminLink).toMatch(/^leadbook:\/\/join\?/);
    await startEmpty(pageA, a.url);
    await captureLead(pageA, '团队线索甲', '宝钢集团');
    await joinTeam(pageA, info.adminLink!, '陈经理');
    const facts = pageA.getByTestId('sync-peer-server');
    await expect.poll(() => facts.textContent()).toContain('陈经理 (管理员)');

    await pageA.getByLabel('姓名', { exact: true }).fill('李娜');
    await pageA.getByRole('button', { name: '生成邀请' }).click();
    const result = pageA.getByTestId('invite-result');
    await result.waitFor();
    inviteLink = await result.getByLabel('邀请链接').inputValue();
    expect(inviteLink).toContain(encodeURIComponent(info.url));
    await result.getByRole('img', { name: '邀请链接的二维码' }).waitFor();
    await pageA.screenshot({ path: path.join(artifacts, 'team-invite.png'), fullPage: true });
  });

  it('李娜 joins from the invite link, sees the team’s leads, and team settings are read-only for her', async () => {
    await startEmpty(pageB, b.url);
    await joinTeam(pageB, inviteLink);
    await expect.poll(() => pageB.getByTestId('sync-peer-server').textContent()).toContain('李娜');
    await pageB.getByRole('button', { name: '线索', exact: true }).click();
    await pageB
      .getByRole('button', { name: '团队线索甲', exact: true })
      .waitFor({ timeout: 5_000 });

    await pageB.getByRole('button', { name: '设置', exact: true }).click();
    await pageB.getByRole('tab', { name: '阶段' }).click();
    await pageB.getByText('由团队管理员和经理设置——销售代表只读。').waitFor();
    const locked = pageB.locator('fieldset.team-config');
    expect(await locked.evaluate((f: HTMLFieldSetElement) => f.disabled)).toBe(true);
    await pageB.screenshot({ path: path.join(artifacts, 'team-rep-read-only.png') });
    // The admin's own settings stay editable.
    await pageA.getByRole('tab', { name: '阶段' }).click();
    expect(
      await pageA.locator('fieldset.team-config').evaluate((f: HTMLFieldSetElement) => f.disabled),
    ).toBe(false);
  });

  it('the same field changed on both laptops while apart: both timelines show it; “keep mine” wins on both', async () => {
    await stopProcess(syncServer);
    const edit = async (page: Page, value: string) => {
      await page.getByRole('button', { name: '线索', exact: true }).click();
      await page.getByRole('button', { name: '团队线索甲', exact: true }).click();
      const panel = page.getByRole('complementary', { name: '线索：团队线索甲' });
      await panel.locator('input[name="company"]').fill(value);
      await panel.locator('input[name="company"]').press('Enter');
      await expect.poll(() => panel.getByTestId('timeline').textContent()).toContain(value);
      return panel;
    };
    const panelA = await edit(pageA, '宝钢股份');
    await new Promise((r) => setTimeout(r, 20));
    const panelB = await edit(pageB, '宝山钢铁');
    ({ child: syncServer } = await startSyncServerProcess(port, data));
    // Back together: both timelines show the conflict, with both values and who wrote them.
    const onA = panelA.getByTestId('conflict');
    await onA.waitFor({ timeout: 20_000 });
    await panelB.getByTestId('conflict').waitFor({ timeout: 20_000 });
    expect(await onA.textContent()).toContain('宝钢股份');
    expect(await onA.textContent()).toContain('宝山钢铁');
    expect(await onA.textContent()).toContain('李娜');
    await expect.poll(() => panelA.locator('input[name="company"]').inputValue()).toBe('宝山钢铁');
    await onA.scrollIntoViewIfNeeded();
    await pageA.screenshot({ path: path.join(artifacts, 'team-conflict.png') });
    // 陈经理 keeps his value: it wins on both laptops.
    await onA.getByRole('button', { name: '保留我的' }).click();
    await expect
      .poll(() => panelB.locator('input[name="company"]').inputValue(), { timeout: 10_000 })
      .toBe('宝钢股份');
    await expect.poll(() => panelA.locator('input[name="company"]').inputValue()).toBe('宝钢股份');
    await openSyncSettings(pageA);
    await pageA.getByTestId('conflict-list').getByText('团队线索甲').waitFor();
  });

  it('a website form made in Settings feeds leads straight into every laptop', async () => {
    await openSyncSettings(pageA);
    const forms = pageA.getByTestId('web-forms');
    await forms.getByLabel('表单名称').fill('官网联系我们');
    await forms.getByRole('button', { name: '创建表单' }).click();
    const snippet = forms.locator('pre.snippet');
    await snippet.waitFor();
    const action = /action="([^"]+)"/.exec((await snippet.textContent())!)![1]!;
    await forms.scrollIntoViewIfNeeded();
    await pageA.screenshot({ path: path.join(artifacts, 'team-web-form.png') });
    // A visitor sends the form from the website (a plain HTML form post).
    const sent = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: '官网访客', company: '中车集团', message: '请联系我' }),
      redirect: 'manual',
    });
    expect(sent.status).toBe(200);
    await pageB.getByRole('button', { name: '线索', exact: true }).click();
    await pageB.getByRole('button', { name: '官网访客', exact: true }).waitFor({ timeout: 10_000 });
  });

  it('the admin removes 李娜’s laptop: it says so plainly and keeps its data', async () => {
    await openSyncSettings(pageA);
    const devices = pageA.getByTestId('device-list');
    const row = devices.getByRole('row').filter({ hasText: '李娜' });
    await row.waitFor();
    await row.getByRole('button', { name: '移除…' }).click();
    await row.getByRole('button', { name: '立即移除 李娜 的电脑' }).click();
    await row.getByText('已移除').waitFor();

    await openSyncSettings(pageB);
    await pageB
      .locator('[data-testid="sync-badge"][data-state="error"]')
      .waitFor({ timeout: 10_000 });
    await pageB.getByText('管理员已将这台电脑移出团队').waitFor();
    await pageB.screenshot({ path: path.join(artifacts, 'team-revoked.png') });
    await pageB.getByRole('button', { name: '线索', exact: true }).click();
    await pageB.getByRole('button', { name: '团队线索甲', exact: true }).waitFor();
  });
});
