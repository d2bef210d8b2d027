// Scanning a visitor's badge at the booth: the capture view reads a QR code through the
// camera (here Chromium's fake camera playing a video of the code) and fills the form.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeQrVideo } from './fakeCamera.js';
import {
  artifacts,
  cli,
  openBrowser,
  serve,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

const MECARD =
  'MECARD:N:Schmidt,Anna;ORG:Siemens AG;TITLE:Einkaufsleiterin;TEL:+49 30 1234567;EMAIL:anna.schmidt@siemens.com;;';

async function openCapture(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: '从空白开始' }).click();
  await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();
  await page.keyboard.press('n');
  await page.getByRole('form', { name: '快速录入' }).waitFor();
}

describe('badge QR scan in quick capture', () => {
  let server: Served;
  let browser: Browser;
  beforeAll(async () => {
    const db = tempDb('badge.db');
    server = await serve(db);
    const video = writeQrVideo(MECARD, path.join(path.dirname(db), 'badge.y4m'));
    browser = await openBrowser('zh-CN', [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fills the form from the badge, and the lead saves with one Enter', async () => {
    const page = browser.page;
    await openCapture(page, server.url);
    await page.getByRole('button', { name: '扫描胸卡' }).click();
    await page.getByRole('dialog', { name: '扫描胸卡二维码' }).waitFor();
    const form = page.getByRole('form', { name: '快速录入' });
    await expect
      .poll(() => form.locator('input[name="email"]').inputValue(), { timeout: 30_000 })
      .toBe('anna.schmidt@siemens.com');
    expect(await form.locator('input[name="name"]').inputValue()).toBe('Anna Schmidt');
    expect(await form.locator('input[name="company"]').inputValue()).toBe('Siemens AG');
    // The camera panel closes after the first code read.
    expect(await page.getByRole('dialog', { name: '扫描胸卡二维码' }).count()).toBe(0);
    await page.getByRole('status').filter({ hasText: '已读取胸卡' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'badge-scanned.png') });
    await form.locator('input[name="name"]').press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：Anna Schmidt' }).waitFor();
    const out = cli(['export', '--db', server.db, '--what', 'leads', '--format', 'json']);
    const leads = JSON.parse(out.stdout) as { name: string; email: string; title: string }[];
    expect(leads).toEqual([
      expect.objectContaining({
        name: 'Anna Schmidt',
        email: 'anna.schmidt@siemens.com',
        title: 'Einkaufsleiterin',
      }),
    ]);
  }, 60_000);
});
