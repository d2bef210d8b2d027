// The booth chain in the browser, as the README tells a newcomer: laptop A joins the team
// server with its admin link and invites C; at the booth the server is unreachable, A
// shares "this laptop as the booth hub" (bound to 127.0.0.1 here: LEADBOOK_HUB_HOST) and B
// joins the hub by its link (certificate pinned); B's lead reaches A through the hub; when
// the server is back, C — on the server only — sees B's lead.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  captureLead,
  freePort,
  joinTeam,
  openBrowser,
  openSyncSettings,
  serve,
  startEmpty,
  startSyncServerProcess,
  stopProcess,
  tempDb,
  type Browser,
  type Served,
  type SyncServerInfo,
} from './harness.js';

async function invite(scope: ReturnType<Page['getByTestId']>, name: string): Promise<string> {
  await scope.getByLabel('姓名', { exact: true }).fill(name);
  await scope.getByRole('button', { name: '生成邀请' }).click();
  const result = scope.getByTestId('invite-result');
  await expect.poll(() => result.textContent()).toContain(name);
  return result.getByLabel('邀请链接').inputValue();
}

describe('the booth hub', () => {
  let port: number;
  let data: string;
  let syncServer: ChildProcess;
  let info: SyncServerInfo;
  let a: Served;
  let b: Served;
  let c: Served;
  let browserA: Browser;
  let browserB: Browser;
  let pageA: Page;
  let pageB: Page;
  let pageC: Page;

  beforeAll(async () => {
    port = await freePort();
    data = tempDb('hub-server.db');
    ({ child: syncServer, info } = await startSyncServerProcess(port, data));
    a = await serve(tempDb('hub-a.db'), { LEADBOOK_HUB_HOST: '127.0.0.1' });
    b = await serve(tempDb('hub-b.db'));
    c = await serve(tempDb('hub-c.db'));
    browserA = await openBrowser('zh-CN');
    browserB = await openBrowser('zh-CN');
    pageA = browserA.page;
    pageB = browserB.page;
    pageC = await browserB.context.newPage();
  });
  afterAll(async () => {
    await browserA?.close();
    await browserB?.close();
    for (const s of [a, b, c]) await s?.stop();
    if (syncServer) await stopProcess(syncServer);
  });

  it('B captures at a booth with the server unreachable; A relays; C sees it once the server is back', async () => {
    await startEmpty(pageA, a.url);
    await joinTeam(pageA, info.adminLink!, '陈经理');
    const forC = await invite(pageA.getByTestId('sync-peer-server'), '周强');
    await startEmpty(pageC, c.url);
    await joinTeam(pageC, forC);

    // At the booth: no internet.
    await stopProcess(syncServer);
    await openSyncSettings(pageA);
    const hub = pageA.getByTestId('hub-share');
    await hub.getByRole('button', { name: '启动展位中转站' }).click();
    await hub.getByText(/https:\/\/127\.0\.0\.1:\d+/).waitFor();
    const forB = await invite(hub, '王伟');
    expect(forB).toMatch(/&fp=[0-9a-f]{64}/);
    await hub.scrollIntoViewIfNeeded();
    await pageA.screenshot({ path: path.join(artifacts, 'hub-share.png') });

    await startEmpty(pageB, b.url);
    await joinTeam(pageB, forB);
    await pageB.getByTestId('sync-peer-hub').waitFor();
    await pageB.screenshot({ path: path.join(artifacts, 'hub-joined.png'), fullPage: true });
    await captureLead(pageB, '展台访客', '格力电器');
    await pageA.getByRole('button', { name: '线索', exact: true }).click();
    await pageA.getByRole('button', { name: '展台访客', exact: true }).waitFor({ timeout: 10_000 });
    await pageC.getByRole('button', { name: '线索', exact: true }).click();
    expect(await pageC.getByRole('button', { name: '展台访客', exact: true }).count()).toBe(0);

    // Back online: A reaches the team server by itself; C sees the booth's lead.
    ({ child: syncServer } = await startSyncServerProcess(port, data));
    await pageC.getByRole('button', { name: '展台访客', exact: true }).waitFor({ timeout: 30_000 });
    await pageC.screenshot({ path: path.join(artifacts, 'hub-chain-arrived.png') });
  });
});
