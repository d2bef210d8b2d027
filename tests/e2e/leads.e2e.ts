// The booth workflow end to end, as a rep would do it: a real `leadbook serve`, a real
// database file, headless Chromium. Each step leaves a screenshot in test-results/.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  cli,
  makeCurrentEvent,
  openBrowser,
  serve,
  startWithTeam,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

const EVENT = '2026 上海国际工业博览会（国家会展中心）';

function isoDay(offset = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const count = (page: Page) => page.getByTestId('lead-count').textContent();

/** Leads in the database file, read by the CLI (not through the UI under test). */
function leadsInFile(
  db: string,
): { name: string; owner_id: string | null; campaign_id: string | null }[] {
  const out = cli(['export', '--db', db, '--what', 'leads', '--format', 'json']);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as never;
}

describe('leads workspace at a trade-show booth', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = await serve(tempDb('booth.db'));
    browser = await openBrowser('zh-CN');
    page = browser.page;
    // Setup with the mouse: two team members, "me" on this laptop.
    await startWithTeam(page, server.url, ['王伟', '李娜'], '王伟');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses bad input in capture with a message on the field, and saves nothing', async () => {
    await page.getByRole('button', { name: '快速录入', exact: true }).click();
    const form = page.getByRole('form', { name: '快速录入' });
    const name = form.locator('input[name="name"]');
    const cases: [string, string, string][] = [
      ['email', 'not-an-email', '不是有效的邮箱地址'],
      ['phone', '12345', '不是有效的电话号码（检查位数和区号）'],
    ];
    for (const [field, value, message] of cases) {
      await name.fill('测试');
      await form.locator(`input[name="${field}"]`).fill(value);
      await name.press('Enter');
      await form.getByText(message).waitFor();
      expect(await form.locator(`input[name="${field}"]`).getAttribute('aria-invalid')).toBe(
        'true',
      );
      await name.press('Escape');
      expect(await name.inputValue()).toBe('');
    }
    await name.fill('x'.repeat(10_000));
    await name.press('Enter');
    await form.getByText('太长了：最多 200 个字符').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'capture-invalid-name.png') });
    await name.press('Escape');
    expect(leadsInFile(server.db)).toEqual([]);
  });

  it('captures three leads at an event with the keyboard only', async () => {
    // The event is created once (mouse is fine for setup) and stays current.
    await makeCurrentEvent(page, EVENT);
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();

    // From here on, keys only: N opens capture with the name field focused.
    await page.keyboard.press('n');
    const form = page.getByRole('form', { name: '快速录入' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('name');
    const visitors = [
      ['张三', '北京字节跳动科技有限公司', '采购总监', '+86 138-0013-8000'],
      ['Anna Schmidt', 'Siemens AG', 'Head of Procurement', '+49 170 1234567'],
      ['欧阳娜娜', '深圳市腾讯计算机系统有限公司', 'IT 经理', '13912345678'],
    ];
    for (const [i, fields] of visitors.entries()) {
      for (const [j, value] of fields.entries()) {
        if (j > 0) await page.keyboard.press('Tab');
        await page.keyboard.type(value);
      }
      await page.keyboard.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: `已保存：${fields[0]}` })
        .waitFor();
      // Saved and cleared, the name field is ready for the next visitor.
      expect(await form.locator('input[name="name"]').inputValue()).toBe('');
      await expect
        .poll(() => page.getByRole('heading', { name: /本场已录入/ }).textContent())
        .toContain(`本场已录入 ${i + 1} 条`);
    }
    await page.screenshot({ path: path.join(artifacts, 'capture-three.png') });

    await page.keyboard.press('Alt+N'); // still in capture; now go to the list
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await expect.poll(() => count(page)).toBe('共 3 条线索');
    const rows = page.locator('.tbody [role="row"]');
    for (let i = 0; i < 3; i++)
      expect(await rows.nth(i).textContent()).toContain(EVENT.slice(0, 6));
    const inFile = leadsInFile(server.db);
    expect(new Set(inFile.map((l) => l.campaign_id)).size).toBe(1);
    expect(inFile[0]!.campaign_id).not.toBeNull();
    await page.screenshot({ path: path.join(artifacts, 'leads-at-event.png') });
  });

  it('warns of a duplicate while typing the same phone in another format', async () => {
    await page.keyboard.press('n');
    const form = page.getByRole('form', { name: '快速录入' });
    await form.locator('input[name="name"]').fill('张先生');
    await form.locator('input[name="phone"]').fill('13800138000');
    const warning = form.getByRole('region', { name: '可能重复' });
    await expect.poll(() => warning.textContent(), { timeout: 10_000 }).toContain('张三');
    expect(await warning.textContent()).toContain('电话相同');
    await page.screenshot({ path: path.join(artifacts, 'duplicate-warning.png') });
    // "Open this one" shows the existing lead instead of saving a second one.
    await warning.getByRole('button', { name: '打开这条' }).click();
    await page.getByRole('complementary', { name: '线索：张三' }).waitFor();
    await form.locator('input[name="name"]').press('Escape');
    await page.getByRole('button', { name: '关闭' }).click();
    expect(leadsInFile(server.db)).toHaveLength(3);
  });

  it('finds 张三 by the pinyin initials zs', async () => {
    await page.keyboard.press('/');
    await page.getByRole('searchbox').fill('zs');
    await expect.poll(() => count(page)).toBe('共 1 条线索');
    expect(await page.locator('.tbody [role="row"]').first().textContent()).toContain('张三');
    await page.screenshot({ path: path.join(artifacts, 'search-zs.png') });
    // The list by keyboard: J moves the cursor, Enter opens, Esc closes.
    await page.locator('.tbody').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: '线索：张三' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('complementary').waitFor({ state: 'detached' });
    await page.getByRole('searchbox').fill('');
    await expect.poll(() => count(page)).toBe('共 3 条线索');
  });

  it('logs a call in two keystrokes and a task due yesterday shows under Overdue', async () => {
    await page.getByRole('button', { name: '张三', exact: true }).click();
    const panel = page.getByRole('complementary', { name: '线索：张三' });
    await panel.waitFor();
    await page.keyboard.press('c');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已记录电话' }).waitFor();
    // A call on a new lead means it has been contacted.
    await expect.poll(() => panel.locator('select[name="status"]').inputValue()).toBe('contacted');

    // A task with a due date in year 20000 is refused with a message; nothing is saved.
    await page.keyboard.press('t');
    const composer = panel.getByRole('form', { name: '任务' });
    await composer.locator('input[name="subject"]').fill('寄样品');
    await composer.locator('input[name="due_at"]').fill('20000-01-01T10:00');
    await composer.locator('input[name="subject"]').press('Enter');
    await composer.getByText('日期超出范围（年份须在 10000 年以前）').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'task-year-20000.png') });

    await composer.locator('input[name="due_at"]').fill(`${isoDay(-1)}T10:00`);
    await composer.locator('input[name="subject"]').press('Enter');
    await page.getByRole('status').filter({ hasText: '已记录任务：寄样品' }).waitFor();
    const timeline = panel.getByTestId('timeline');
    await expect.poll(() => timeline.textContent()).toContain('寄样品');
    expect(await timeline.textContent()).toContain('王伟 修改了');
    await page.screenshot({ path: path.join(artifacts, 'lead-detail-timeline.png') });

    await page.getByRole('button', { name: '跟进', exact: true }).click();
    await page.getByRole('button', { name: '已逾期', exact: true }).click();
    const overdue = page.locator('.activities-page .list li');
    await expect.poll(() => overdue.count()).toBe(1);
    expect(await overdue.first().textContent()).toContain('寄样品');
    await page.screenshot({ path: path.join(artifacts, 'activities-overdue.png') });
    // The leads list filters the lead with the overdue task.
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await page.getByLabel('有逾期任务').check();
    await expect.poll(() => count(page)).toBe('共 1 条线索');
    await page.getByLabel('有逾期任务').uncheck();
  });

  it('bulk-changes the owner of three leads', async () => {
    await page.keyboard.press('Escape'); // close the lead panel
    await page.getByRole('complementary').waitFor({ state: 'detached' });
    await expect.poll(() => count(page)).toBe('共 3 条线索');
    const boxes = page.locator('.tbody [role="row"] input[type="checkbox"]');
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] }); // a range: all three
    const bar = page.getByRole('form', { name: '批量操作' });
    await bar.getByText('已选 3 条').waitFor();
    await bar.getByLabel('改负责人…').selectOption({ label: '李娜' });
    await page.screenshot({ path: path.join(artifacts, 'bulk-owner.png') });
    await bar.getByRole('button', { name: '应用' }).click();
    await page.getByRole('status').filter({ hasText: '已更新 3 条线索' }).waitFor();
    await page
      .getByRole('combobox', { name: '负责人', exact: true })
      .selectOption({ label: '李娜' });
    await expect.poll(() => count(page)).toBe('共 3 条线索');
    const users = JSON.parse(
      cli(['export', '--db', server.db, '--what', 'leads', '--format', 'json']).stdout,
    ) as { owner_id: string }[];
    expect(new Set(users.map((u) => u.owner_id)).size).toBe(1);
    await page.screenshot({ path: path.join(artifacts, 'bulk-owner-done.png') });
  });

  it('edits a lead in place: BANT, tags, unqualified only with a reason; saves a view', async () => {
    await page.getByRole('button', { name: 'Anna Schmidt', exact: true }).click();
    const panel = page.getByRole('complementary', { name: '线索：Anna Schmidt' });
    await panel.waitFor();
    const score = panel.getByRole('region', { name: '评分' });
    const before = Number((await score.getByTestId('lead-score').textContent())!.split(' ')[0]);
    await panel.locator('select[name="budget"]').selectOption('confirmed');
    // The score moves with the budget, and says why: 预算 已确认 +20.
    await expect
      .poll(async () =>
        Number((await score.getByTestId('lead-score').textContent())!.split(' ')[0]),
      )
      .toBe(before + 20);
    expect(await score.textContent()).toContain('预算（Budget）已确认+20');
    expect(await score.textContent()).toContain('规则展会来源+10');
    await page.screenshot({ path: path.join(artifacts, 'lead-score.png') });
    await panel.locator('input[name="tag-input"]').fill('VIP，样品');
    await panel.locator('input[name="tag-input"]').press('Enter');
    await panel.locator('.tag').filter({ hasText: '样品' }).waitFor();
    // A bad email typed in place is refused under the field; the stored value stays.
    await panel.locator('input[name="email"]').fill('anna@');
    await panel.locator('input[name="email"]').press('Enter');
    await panel.getByText('不是有效的邮箱地址').waitFor();
    await panel.locator('input[name="email"]').fill('anna.schmidt@siemens.com');
    await panel.locator('input[name="email"]').press('Enter');
    await expect.poll(() => panel.getByText('不是有效的邮箱地址').count()).toBe(0);
    // Unqualified asks for the reason first; Enter saves both.
    await panel.locator('select[name="status"]').selectOption('unqualified');
    await panel.locator('input[name="disqualify_reason"]').fill('只是来收集资料的学生');
    await panel.locator('input[name="disqualify_reason"]').press('Enter');
    await expect
      .poll(() => panel.getByTestId('timeline').textContent())
      .toContain('只是来收集资料的学生');
    await page.screenshot({ path: path.join(artifacts, 'lead-detail-edit.png') });
    const anna = leadsInFile(server.db).find((l) => l.name === 'Anna Schmidt') as unknown as {
      status: string;
      budget: string;
      tags: string;
      email: string;
    };
    expect([anna.status, anna.budget, JSON.parse(anna.tags), anna.email]).toEqual([
      'unqualified',
      'confirmed',
      ['VIP', '样品'],
      'anna.schmidt@siemens.com',
    ]);

    // A saved view comes back from the views menu.
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: '状态', exact: true }).selectOption('unqualified');
    await expect.poll(() => count(page)).toBe('共 1 条线索');
    await page.getByRole('button', { name: '保存当前视图' }).click();
    await page.getByLabel('视图名称').fill('无效线索');
    await page.getByLabel('视图名称').press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存视图：无效线索' }).waitFor();
    await page.getByRole('combobox', { name: '视图…' }).selectOption({ label: '全部线索' });
    await expect.poll(() => count(page)).toBe('共 3 条线索');
    await page.getByRole('combobox', { name: '视图…' }).selectOption({ label: '无效线索' });
    await expect.poll(() => count(page)).toBe('共 1 条线索');
  });

  it('imports a file through the mapping step, shows duplicates, and undoes the batch', async () => {
    const file = path.join(path.dirname(server.db), '展会名单.csv');
    fs.writeFileSync(
      file,
      iconv.encode(
        [
          '姓名,公司,手机,邮箱,评级,状态',
          '张三,北京字节跳动科技有限公司,13800138000,,A,未联系', // already captured: a duplicate
          '孙七,杭州阿里巴巴网络技术有限公司,13612345678,sunqi@alibaba.com,B,重点客户',
          '周八,南京苏宁易购集团股份有限公司,13711112222,zhouba@suning.com,C,未联系',
          ',,,,,', // blank: ignored
          '吴九,,,bad-email,A,',
        ].join('\r\n'),
        'gb18030',
      ),
    );
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.getByRole('heading', { name: '导入线索', level: 1 }).waitFor();
    await page.getByLabel('选择文件…').setInputFiles(file);
    const mapping = page.getByRole('region', { name: '列对应' });
    await mapping.getByText('编码 gb18030').waitFor();
    // The mapping step: headers mapped automatically; an unknown column (too few rows to
    // tell a choice from free text) goes to notes, here switched to "do not import".
    expect(await mapping.getByLabel('“姓名” 导入到').inputValue()).toBe('name');
    expect(await mapping.getByLabel('“手机” 导入到').inputValue()).toBe('mobile');
    expect(await mapping.getByLabel('“评级” 导入到').inputValue()).toBe('note');
    await mapping.getByLabel('“评级” 导入到').selectOption('');
    // A status value this CRM's export invented is read as the user says.
    const values = page.getByRole('region', { name: '取值对应' });
    expect(await values.getByLabel('“未联系” 对应为').inputValue()).toBe('new');
    await values.getByLabel('“重点客户” 对应为').selectOption('qualified');
    const preview = page.getByRole('region', { name: '预览' });
    // The same person (same phone, same name) is merged by default; the row with an
    // address that is not one is imported, the address kept in its notes.
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 15_000 })
      .toBe(
        '将新建 3 条，更新 0 条，合并 1 条，跳过 0 条；0 条疑似重复待确认；1 条提醒；0 行无法导入',
      );
    expect(await preview.getByRole('region', { name: '重复' }).textContent()).toContain(
      '与已有线索 张三 重复',
    );
    expect(
      await preview.getByRole('region', { name: '提醒（已导入，原值写入备注）' }).textContent(),
    ).toContain('第 6 行 · 邮箱: “bad-email” — 不是邮箱地址');
    // This one duplicate is created anyway, then merged after all.
    await preview.getByLabel('第 2 行的处理方式').selectOption('create');
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 15_000 })
      .toContain('将新建 4 条，更新 0 条，合并 0 条');
    await preview.getByLabel('第 2 行的处理方式').selectOption('merge');
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 15_000 })
      .toContain('将新建 3 条，更新 0 条，合并 1 条');
    await page.screenshot({ path: path.join(artifacts, 'import-preview.png'), fullPage: true });
    await preview.getByRole('button', { name: '导入', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '已导入：新建 3 条，更新 0 条，合并 1 条' })
      .waitFor();
    const history = page.getByTestId('import-history');
    await expect.poll(() => history.textContent()).toContain('展会名单.csv');
    expect(leadsInFile(server.db).map((l) => l.name)).toEqual(
      expect.arrayContaining(['孙七', '周八']),
    );
    const sunqi = leadsInFile(server.db).find((l) => l.name === '孙七') as unknown as {
      status: string;
    };
    expect(sunqi.status).toBe('qualified');
    await history.getByRole('button', { name: '撤销这次导入' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '已撤销：删除 3 条，恢复 1 条合并' })
      .waitFor();
    await history.getByText('已撤销').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'import-undone.png') });
    expect(leadsInFile(server.db).map((l) => l.name)).not.toContain('孙七');
  });

  it('imports a big file in the background with progress, and stopping it imports nothing', async () => {
    const file = path.join(path.dirname(server.db), 'badge-scans-60000.csv');
    const lines = ['First Name,Last Name,Company,Email,Mobile'];
    for (let i = 0; i < 60_000; i++)
      lines.push(
        `Visitor${i},Scan,Firma ${i % 500} GmbH,visitor${i}@firma${i % 500}.de,+49 151 ${String(20000000 + i)}`,
      );
    fs.writeFileSync(file, lines.join('\n'));
    const before = leadsInFile(server.db).length;
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.getByLabel('选择文件…').setInputFiles(file);
    const preview = page.getByRole('region', { name: '预览' });
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 })
      .toBe(
        '将新建 60000 条，更新 0 条，合并 0 条，跳过 0 条；0 条疑似重复待确认；0 条提醒；0 行无法导入',
      );
    // The app keeps answering while the worker works: the import page itself stays live.
    await preview.getByRole('button', { name: '导入', exact: true }).click();
    const progress = page.getByTestId('import-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: 60_000 })
      .toMatch(/正在保存 [\d,]+ \/ [\d,]+ 行/);
    expect(await progress.textContent()).toMatch(/约剩 \d+\s*(秒|分钟)/);
    await page.screenshot({ path: path.join(artifacts, 'import-progress.png') });
    // Meanwhile a visitor arrives: the rep captures them. The save waits for the import's
    // write lock (the client retries while the database is busy) — nothing typed is lost.
    await page.keyboard.press('n');
    const form = page.getByRole('form', { name: '快速录入' });
    await form.locator('input[name="name"]').fill('赵六六');
    await form.locator('input[name="name"]').press('Enter');
    // Back on the import page the running import is still shown; stop it.
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await progress.getByRole('button', { name: '停止' }).click();
    await page.getByRole('status').filter({ hasText: '导入已停止' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => leadsInFile(server.db).map((l) => l.name), { timeout: 60_000 })
      .toContain('赵六六');
    expect(leadsInFile(server.db).length).toBe(before + 1);
  }, 180_000);

  it('merges two leads of one person in the merge screen, choosing values, and undoes it', async () => {
    // The same visitor captured twice (the warning was shown; saved anyway).
    await page.keyboard.press('n');
    const form = page.getByRole('form', { name: '快速录入' });
    await form.locator('input[name="name"]').fill('欧阳娜娜');
    await form.locator('input[name="title"]').fill('CTO');
    await form.locator('input[name="phone"]').fill('139 1234 5678');
    await form.getByRole('region', { name: '可能重复' }).waitFor();
    await form.locator('input[name="phone"]').press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：欧阳娜娜' }).waitFor();
    expect(leadsInFile(server.db).filter((l) => l.name === '欧阳娜娜')).toHaveLength(2);

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await page.getByRole('heading', { name: '重复线索合并', level: 1 }).waitFor();
    const group = page.getByRole('region', { name: '一组重复线索' });
    await group.waitFor();
    expect(await group.textContent()).toContain('电话相同');
    // Keep the older lead, but take the newer title.
    await group.getByLabel('职位使用“CTO”').check();
    await page.screenshot({ path: path.join(artifacts, 'merge-screen.png'), fullPage: true });
    await group.getByRole('button', { name: '合并这 2 条' }).click();
    const toast = page.getByRole('status').filter({ hasText: '已把 2 条合并为：欧阳娜娜' });
    await toast.waitFor();
    const nana = () =>
      leadsInFile(server.db).filter((l) => l.name === '欧阳娜娜') as unknown as {
        title: string;
        company: string;
      }[];
    expect(nana().map((l) => [l.title, l.company])).toEqual([
      ['CTO', '深圳市腾讯计算机系统有限公司'],
    ]);
    await toast.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => nana().length).toBe(2);
    expect(
      nana()
        .map((l) => l.title)
        .sort(),
    ).toEqual(['CTO', 'IT 经理']);
  });

  it('exports the list on screen — its search and filters — as a file', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.getByRole('combobox', { name: '视图…' }).selectOption({ label: '全部线索' });
    await page.keyboard.press('/');
    await page.getByRole('searchbox').fill('欧阳');
    await expect.poll(() => count(page)).toBe('共 2 条线索');
    await page.getByText('导出…').click();
    await page.getByLabel('文件格式').selectOption('json');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出当前列表（2 条）' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leadbook-leads-\d{4}-\d{2}-\d{2}\.json$/);
    const file = path.join(path.dirname(server.db), download.suggestedFilename());
    await download.saveAs(file);
    const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string }[];
    expect(rows.map((r) => r.name)).toEqual(['欧阳娜娜', '欧阳娜娜']);
    await page.getByRole('status').filter({ hasText: '已导出 2 条' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'export-list.png') });
    await page.getByRole('searchbox').fill('');
  });
});
