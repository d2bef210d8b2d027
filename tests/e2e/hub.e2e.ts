// The booth hub in the browser: laptop A switches on "Share this laptop as the booth hub"
// (bound to 127.0.0.1 here: LEADBOOK_HUB_HOST) and invites 王伟; laptop B joins the hub by
// the invite link (its certificate pinned) and a lead captured on B shows on A.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  captureLead,
  openBrowser,
  openSyncSettings,
  serve,
  startEmpty,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

describe('the booth hub', () => {
  let a: Served;
  let b: Served;
  let browserA: Browser;
  let browserB: Browser;
  let pageA: Page;
  let pageB: Page;

  beforeAll(async () => {
    a = await serve(tempDb('hub-a.db'), { LEADBOOK_HUB_HOST: '127.0.0.1' });
    b = await serve(tempDb('hub-b.db'));
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
  });

  it('one laptop shares the hub; another joins by its link and their leads meet', async () => {
    await startEmpty(pageA, a.url);
    await openSyncSettings(pageA);
    const hub = pageA.getByTestId('hub-share');
    await hub.getByRole('button', { name: '启动展位中转站' }).click();
    await hub.getByText(/https:\/\/127\.0\.0\.1:\d+/).waitFor();
    await hub.getByLabel('姓名', { exact: true }).fill('王伟');
    await hub.getByRole('button', { name: '生成邀请' }).click();
    const link = await hub.getByTestId('invite-result').getByLabel('邀请链接').inputValue();
    expect(link).toMatch(/&fp=[0-9a-f]{64}/);
    await hub.scrollIntoViewIfNeeded();
    await pageA.screenshot({ path: path.join(artifacts, 'hub-share.png'), fullPage: true });

    await startEmpty(pageB, b.url);
    await openSyncSettings(pageB);
    const join = pageB.getByRole('form', { name: '加入团队' });
    await join.getByLabel('邀请链接').fill(link);
    await join.getByRole('button', { name: '加入', exact: true }).click();
    await pageB.getByTestId('sync-peer-hub').waitFor();
    await pageB
      .locator('[data-testid="sync-badge"][data-state="synced"]')
      .waitFor({ timeout: 10_000 });
    await pageB.screenshot({ path: path.join(artifacts, 'hub-joined.png'), fullPage: true });

    await captureLead(pageB, '展台访客', '格力电器');
    await pageA.getByRole('button', { name: '线索', exact: true }).click();
    await pageA.getByRole('button', { name: '展台访客', exact: true }).waitFor({ timeout: 10_000 });
  });
});
