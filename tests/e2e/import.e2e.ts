// Issue 19 in the browser: a rep imports last year's CRM export with `null` cells, two
// numbers in a phone cell, words in a phone cell and two different people sharing one
// inbox. Every row comes in; the odd values are warnings; the people who only look alike
// are possible duplicates, one pair merged and one kept apart on the Duplicates page.
// Real `leadbook serve`, real database file, headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  cli,
  openBrowser,
  serve,
  startWithTeam,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

interface FileLead {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  other_phones: string | null;
  notes: string | null;
  deleted_at?: number | null;
}

function leadsInFile(db: string): FileLead[] {
  const out = cli(['export', '--db', db, '--what', 'leads', '--format', 'json']);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as FileLead[];
}

describe('importing a real export keeps every person', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = await serve(tempDb('import.db'));
    browser = await openBrowser('zh-CN');
    page = browser.page;
    await startWithTeam(page, server.url, ['王伟'], '王伟');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('imports with warnings and possible duplicates, then resolves them on the Duplicates page', async () => {
    const file = path.join(path.dirname(server.db), 'hubspot-export.csv');
    fs.writeFileSync(
      file,
      [
        'Record ID,First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Shoe Size,Met At',
        '101,Ann,Lee,info@initech-example.com,null,Initech,lead,38,Booth 3 on Monday',
        '102,Bob,Stone,info@initech-example.com,+1 212 555 0101,Initech,lead,44,Webinar in May',
        '103,Maria,Gomez,maria@desertsun-example.com,702-544-7834 / 818-257-2525,Desert Sun,lead,null,Trade show Berlin',
        '104,Kim,Park,kim@4tech-example.com,4Tech-gt - on facebook,4Tech,null,#N/A,Referred by Tom',
        '105,Maria,Gomez,maria.g@desertsun-example.com,+1 702 555 0100,Desert Sun,lead,,Call back in June',
      ].join('\r\n'),
    );
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('heading', { name: '导入线索', level: 1 }).waitFor();
    await page.getByLabel('选择文件…').setInputFiles(file);
    const mapping = page.getByRole('region', { name: '列对应' });
    // HubSpot's headers are known; the one column nobody knows is named.
    await expect
      .poll(() => mapping.getByLabel('“Record ID” 导入到').inputValue(), { timeout: 15_000 })
      .toBe('source_record_id');
    expect(await mapping.getByLabel('“Phone Number” 导入到').inputValue()).toBe('phone');
    // Both unknown columns are named: free text goes to the notes, numbers become a field.
    const unrecognised = await page.getByTestId('import-unrecognised').textContent();
    expect(unrecognised).toContain('Met At');
    expect(unrecognised).not.toContain('Shoe Size');
    expect(await mapping.getByLabel('“Met At” 导入到').inputValue()).toBe('note');
    // Numbers nobody knows are kept as a typed custom field, not in the notes.
    expect(await mapping.getByLabel('“Shoe Size” 导入到').inputValue()).toBe('custom');
    expect(await page.getByTestId('import-custom-fields').textContent()).toContain(
      'Shoe Size（新建，数字）',
    );
    expect(await page.getByTestId('import-markers').textContent()).toMatch(/“null” ×\d/);
    const preview = page.getByRole('region', { name: '预览' });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 15_000 })
      .toBe(
        '将新建 5 条，更新 0 条，合并 0 条，跳过 0 条；2 条疑似重复待确认；1 条提醒；0 行无法导入',
      );
    const dups = await preview.getByRole('region', { name: '重复' }).textContent();
    expect(dups).toContain('第 3 行: 疑似重复 看起来像第 2 行');
    expect(dups).toContain('不同之处：姓名');
    expect(
      await preview.getByRole('region', { name: '提醒（已导入，原值写入备注）' }).textContent(),
    ).toContain('第 5 行 · Phone Number: “4Tech-gt - on facebook” — 不是电话号码');
    await page.screenshot({ path: path.join(artifacts, 'import-warnings.png'), fullPage: true });
    await preview.getByRole('button', { name: '导入', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '已导入：新建 5 条，更新 0 条，合并 0 条，跳过 0 条；2 条疑似重复待确认' })
      .waitFor();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    await page.screenshot({ path: path.join(artifacts, 'import-result.png'), fullPage: true });

    // Every person is in the file; no "null" became a value; both numbers of the cell are kept.
    const stored = leadsInFile(server.db);
    expect(stored.map((l) => l.name).sort()).toEqual([
      'Ann Lee',
      'Bob Stone',
      'Kim Park',
      'Maria Gomez',
      'Maria Gomez',
    ]);
    expect(JSON.stringify(stored)).not.toMatch(/"null"|#N\/A/);
    const maria = stored.find((l) => l.email === 'maria@desertsun-example.com')!;
    expect([maria.phone, maria.other_phones]).toEqual(['702-544-7834', '["818-257-2525"]']);
    expect(stored.find((l) => l.name === 'Kim Park')?.notes).toContain(
      'Phone Number: 4Tech-gt - on facebook',
    );

    // The possible duplicates wait on the Duplicates page.
    await result.getByRole('button', { name: '查看 2 条疑似重复' }).click();
    await page.getByRole('heading', { name: '重复线索合并', level: 1 }).waitFor();
    const group = page.getByRole('region', { name: '一组重复线索' });
    await group.waitFor();
    // Most certain first: Ann and Bob share an inbox (an email) but are two people.
    await expect.poll(() => group.textContent(), { timeout: 10_000 }).toContain('Ann Lee');
    expect(await group.textContent()).toContain('不同之处：姓名');
    await page.screenshot({
      path: path.join(artifacts, 'duplicates-possible.png'),
      fullPage: true,
    });
    await group.getByRole('button', { name: '不是同一个人' }).click();
    await page.getByRole('status').filter({ hasText: '已分开' }).waitFor();
    // Next, the two Maria Gomez: one person with a new address. Merge them.
    await expect.poll(() => group.textContent(), { timeout: 10_000 }).toContain('Maria Gomez');
    expect(await group.textContent()).not.toContain('Ann Lee');
    await group.getByRole('button', { name: '合并这 2 条' }).click();
    await page.getByRole('status').filter({ hasText: '合并为：Maria Gomez' }).waitFor();
    await expect
      .poll(() => page.getByText('没有发现重复的线索。').count(), { timeout: 10_000 })
      .toBe(1);
    await page.screenshot({
      path: path.join(artifacts, 'duplicates-resolved.png'),
      fullPage: true,
    });
    // One Maria left, holding every number and address of both.
    const after = leadsInFile(server.db).filter((l) => l.name === 'Maria Gomez');
    expect(after).toHaveLength(1);
    // (Both came in the same import, so either may be the one kept.)
    const numbers = [after[0]!.phone, ...(JSON.parse(after[0]!.other_phones ?? '[]') as string[])];
    expect(numbers.sort()).toEqual(['+1 702 555 0100', '702-544-7834', '818-257-2525']);
    expect(leadsInFile(server.db).filter((l) => l.name !== 'Maria Gomez')).toHaveLength(3);

    // The custom field the import made: in Settings › Fields, and on the lead, editable.
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '字段' }).click();
    const fields = page.getByTestId('custom-fields');
    await expect.poll(() => fields.textContent()).toContain('cf.shoe_size');
    await page.screenshot({ path: path.join(artifacts, 'settings-fields.png'), fullPage: true });
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await page.getByRole('button', { name: 'Ann Lee', exact: true }).click();
    const more = page
      .getByRole('complementary', { name: '线索：Ann Lee' })
      .getByRole('region', { name: '更多字段' });
    const size = more.locator('input[name="cf.shoe_size"]');
    await expect.poll(() => size.inputValue()).toBe('38');
    await size.fill('40');
    await size.press('Enter');
    // Saved, and exported as its cf. column (read by the CLI, not through the UI).
    const shoeSizeOfAnn = () =>
      (
        JSON.parse(
          cli(['export', '--db', server.db, '--what', 'leads', '--format', 'json']).stdout,
        ) as Record<string, unknown>[]
      ).find((l) => l.name === 'Ann Lee')?.['cf.shoe_size'];
    await expect.poll(shoeSizeOfAnn).toBe('40');
    await page.screenshot({ path: path.join(artifacts, 'lead-custom-fields.png') });
    // The custom field as a list column, sorted by it (numbers as numbers).
    // (The panel closed first: beside it the list shows only its first columns.)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: '线索：Ann Lee' }).waitFor({ state: 'detached' });
    await page.getByText('显示列').click();
    await page.getByRole('group', { name: '显示列' }).getByLabel('Shoe Size').check();
    const header = page.getByRole('columnheader', { name: /Shoe Size/ });
    await header.waitFor();
    // Twice: descending — 44 (Bob), then 40 (Ann); leads without a size last.
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    const rows = page.locator('.tbody [role="row"]');
    await expect.poll(() => rows.nth(0).textContent()).toContain('Bob Stone');
    expect(await rows.nth(0).textContent()).toContain('44');
    expect(await rows.nth(1).textContent()).toContain('Ann Lee');
    await page.screenshot({ path: path.join(artifacts, 'leads-custom-column.png') });
    // Filtered by a range of the field: 42 and up is Bob alone.
    await page.getByLabel('按字段筛选').selectOption({ label: 'Shoe Size' });
    await page.getByLabel('Shoe Size 从').fill('42');
    await expect.poll(() => page.getByTestId('lead-count').textContent()).toBe('共 1 条线索');
    expect(await rows.nth(0).textContent()).toContain('Bob Stone');
  }, 120_000);
});
