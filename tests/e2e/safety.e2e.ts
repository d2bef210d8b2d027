// Issue 20 in the browser: a rep encrypts the workspace from Settings › Security and keeps
// the recovery key; backs up, changes things, and restores from Settings › Backups after
// looking at the preview; then the workspace is opened on a "new laptop" (no key in the
// environment) with the recovery key. Real `leadbook serve`, real files, headless Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDatabaseKey, recoveryKeyText } from '../../src-main/store/cipher.js';
import {
  artifacts,
  cli,
  openBrowser,
  serve,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

const plainHeader = (file: string) =>
  fs.readFileSync(file).subarray(0, 15).toString('latin1') === 'SQLite format 3';

describe('a lost laptop gives nothing away, and nothing is lost', () => {
  const recovery = recoveryKeyText(newDatabaseKey())!;
  let db: string;
  let server: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    db = tempDb('safety.db');
    // A workspace from before encryption existed: plain, 60 demo leads.
    const demo = cli(['demo', '--db', db, '--leads', '60', '--locale', 'zh-CN']);
    expect(demo.status, demo.stderr).toBe(0);
    expect(plainHeader(db)).toBe(true);
    server = await serve(db, { LEADBOOK_KEY: recovery });
    browser = await openBrowser('zh-CN');
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('encrypts the workspace from Settings › Security and shows the recovery key once', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '安全' }).click();
    await expect.poll(() => page.getByTestId('encryption-state').textContent()).toContain('未加密');
    await page.getByRole('button', { name: '加密此工作区' }).click();
    await page.getByRole('button', { name: '立即加密' }).click();
    const shown = page.getByTestId('recovery-key');
    await shown.waitFor();
    expect((await shown.textContent())?.trim()).toBe(recovery);
    await page.screenshot({ path: path.join(artifacts, 'security-recovery-key.png') });
    await page.getByRole('button', { name: '我已保存好' }).click();
    await expect.poll(() => page.getByTestId('encryption-state').textContent()).toContain('已加密');
    await page.screenshot({ path: path.join(artifacts, 'security-encrypted.png'), fullPage: true });
    expect(plainHeader(db)).toBe(false);
    // The copy on disk gives nothing away; the CLI without the key says what is missing.
    const noKey = cli(['export', '--db', db, '--what', 'leads', '--format', 'csv']);
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toMatch(/encrypted/);
  });

  it('backs up, then restores the backup after a preview of what it holds', async () => {
    await page.getByRole('tab', { name: '备份' }).click();
    await page.getByRole('button', { name: '立即备份' }).click();
    const row = page.getByTestId('backup-row').first();
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('手动备份');
    await expect.poll(() => row.textContent()).toContain('60');
    const backups = fs.readdirSync(path.join(path.dirname(db), 'backups'));
    for (const b of backups.filter((f) => f.endsWith('.db')))
      expect(plainHeader(path.join(path.dirname(db), 'backups', b)), b).toBe(false);

    // Work after the backup: a lead captured at the booth.
    await page.getByRole('button', { name: '快速录入', exact: true }).click();
    const form = page.getByRole('form', { name: '快速录入' });
    await form.locator('input[name="name"]').fill('备份之后的客户');
    await form.locator('input[name="name"]').press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：备份之后的客户' }).waitFor();

    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '备份' }).click();
    await page.getByTestId('backup-row').first().getByRole('button', { name: '恢复…' }).click();
    const preview = page.getByTestId('restore-preview');
    await preview.waitFor();
    await expect.poll(() => preview.textContent()).toContain('通过了完整检查');
    await expect.poll(() => preview.textContent()).toContain('60');
    await expect.poll(() => preview.textContent()).toContain('61');
    await page.screenshot({ path: path.join(artifacts, 'backups-restore-preview.png') });
    await page.getByRole('button', { name: '恢复这个备份' }).click();
    await page.getByRole('status').filter({ hasText: '已恢复备份' }).waitFor();
    await page.getByRole('tab', { name: '备份' }).click();
    await expect
      .poll(async () => (await page.getByTestId('backup-row').allTextContents()).join('|'))
      .toContain('恢复前');
    await page.screenshot({ path: path.join(artifacts, 'backups-list.png'), fullPage: true });
  });

  it('on a new laptop (no key) asks for the recovery key, and opens with it', async () => {
    await server.stop();
    server = await serve(db); // no LEADBOOK_KEY: like a laptop that never had the key
    await page.goto(server.url);
    await page.getByRole('heading', { name: '此工作区已加密' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'unlock-screen.png') });
    const other = recoveryKeyText(newDatabaseKey())!;
    await page.getByLabel('恢复密钥').fill(other);
    await page.getByRole('button', { name: '打开', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '打不开' }).waitFor();
    await page.getByLabel('恢复密钥').fill(recovery.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: '打开', exact: true }).click();
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();
    // The restore took the later lead back out: 60, as in the backup.
    await expect
      .poll(() => page.getByText(/共 \d+ 条线索/).textContent())
      .toContain('共 60 条线索');
    await page.screenshot({ path: path.join(artifacts, 'unlocked-leads.png') });
  });

  it('a file whose first page was overwritten offers the newest good backup, and restoring it brings the leads back', async () => {
    const broken = tempDb('broken.db');
    expect(cli(['demo', '--db', broken, '--leads', '30']).status).toBe(0);
    const first = await serve(broken);
    try {
      await page.goto(first.url);
      await page.getByRole('button', { name: '设置', exact: true }).click();
      await page.getByRole('tab', { name: '备份' }).click();
      await page.getByRole('button', { name: '立即备份' }).click();
      await page.getByTestId('backup-row').first().waitFor();
    } finally {
      await first.stop();
    }
    // A bad sector (or a copy cut short) takes the first page.
    const fd = fs.openSync(broken, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x11), 0, 4096, 0);
    fs.closeSync(fd);
    const again = await serve(broken);
    try {
      await page.goto(again.url);
      await page.getByRole('heading', { name: '工作区文件已损坏' }).waitFor();
      await page.getByRole('button', { name: '恢复这个备份' }).waitFor();
      await page.screenshot({ path: path.join(artifacts, 'damaged-offer.png') });
      await page.getByRole('button', { name: '恢复这个备份' }).click();
      await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
      await page.getByRole('button', { name: '线索', exact: true }).click();
      await expect.poll(() => page.getByTestId('lead-count').textContent()).toContain('30');
    } finally {
      await again.stop();
    }
  });

  it('a full disk: the lead typed is kept in the form with a clear message, and saves once there is room', async (ctx) => {
    const disk = path.join(path.dirname(db), 'small-disk');
    fs.mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      return ctx.skip('this process may not mount a filesystem');
    }
    try {
      const small = path.join(disk, 'booth.db');
      expect(cli(['demo', '--db', small, '--leads', '20']).status).toBe(0);
      const booth = await serve(small);
      try {
        await page.goto(booth.url);
        await page.getByRole('button', { name: '快速录入', exact: true }).click();
        // Something else fills the disk (a video, a sync folder).
        const filler = path.join(disk, 'filler.bin');
        const s = fs.statfsSync(disk);
        fs.writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - 4096)));
        const form = page.getByRole('form', { name: '快速录入' });
        await form.locator('input[name="name"]').fill('磁盘满时的客户');
        await form
          .locator('textarea[name="notes"], input[name="notes"]')
          .first()
          .fill('备注'.repeat(2000));
        await form.locator('input[name="name"]').press('Enter');
        await page.getByRole('alert').filter({ hasText: '磁盘已满' }).first().waitFor();
        expect(await form.locator('input[name="name"]').inputValue()).toBe('磁盘满时的客户');
        await page.screenshot({ path: path.join(artifacts, 'disk-full.png') });
        // Space freed: the same Enter saves it, no restart.
        fs.rmSync(filler);
        await form.locator('input[name="name"]').press('Enter');
        await page.getByRole('status').filter({ hasText: '已保存：磁盘满时的客户' }).waitFor();
      } finally {
        await booth.stop();
      }
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('a read-only workspace shows the banner and refuses edits plainly', async (ctx) => {
    const disk = path.join(path.dirname(db), 'ro-disk');
    fs.mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      return ctx.skip('this process may not mount a filesystem');
    }
    try {
      const roDb = path.join(disk, 'readonly.db');
      expect(cli(['demo', '--db', roDb, '--leads', '20']).status).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', disk]);
      const ro = await serve(roDb);
      try {
        await page.goto(ro.url);
        const banner = page.getByTestId('read-only-banner');
        await banner.waitFor();
        expect(await banner.textContent()).toContain('只读');
        // Reading works; saving says why it cannot, and nothing pretends to be saved.
        await page.getByRole('button', { name: '快速录入', exact: true }).click();
        const form = page.getByRole('form', { name: '快速录入' });
        await form.locator('input[name="name"]').fill('写不进去的客户');
        await form.locator('input[name="name"]').press('Enter');
        await page.getByRole('alert').filter({ hasText: '只读' }).first().waitFor();
        await page.screenshot({ path: path.join(artifacts, 'read-only-banner.png') });
      } finally {
        await ro.stop();
      }
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});
