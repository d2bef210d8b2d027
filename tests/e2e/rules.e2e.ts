// Scoring and assignment rules end to end, as a sales manager sets them up in Settings:
// a fit rule changes a lead's score and its breakdown; a refused rule says which line is
// wrong and changes nothing; a round-robin rule for the booth sends two leads captured at
// the event to two different reps. Real `leadbook serve`, real file, headless Chromium.
import path from 'node:path';
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

const EVENT = '2026 深圳电子展';

function leadsInFile(db: string): { name: string; owner_id: string | null }[] {
  const out = cli(['export', '--db', db, '--what', 'leads', '--format', 'json']);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as never;
}

const scoreOf = async (page: Page, name: string) => {
  await page.getByRole('button', { name: '线索', exact: true }).click();
  await page.getByRole('button', { name, exact: true }).click();
  const panel = page.getByRole('complementary', { name: `线索：${name}` });
  const score = panel.getByRole('region', { name: '评分' });
  await score.getByTestId('lead-score').waitFor();
  return score;
};

const captureAtBooth = async (page: Page, name: string, title: string) => {
  await page.getByRole('button', { name: '快速录入', exact: true }).click();
  const form = page.getByRole('form', { name: '快速录入' });
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="title"]').fill(title);
  await form.locator('input[name="name"]').press('Enter');
  return page.getByRole('status').filter({ hasText: `已保存：${name}` });
};

describe('scoring and assignment rules in Settings', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = await serve(tempDb('rules.db'));
    browser = await openBrowser('zh-CN');
    page = browser.page;
    await startWithTeam(page, server.url, ['王伟', '李娜', '张强'], '王伟');
    await page.getByRole('button', { name: '快速录入', exact: true }).click();
    await makeCurrentEvent(page, EVENT);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds "title contains 总监 +15" and sees the score and its breakdown change', async () => {
    await (await captureAtBooth(page, '赵敏', '销售总监')).waitFor();
    const before = await scoreOf(page, '赵敏');
    const points = async () =>
      Number((await before.getByTestId('lead-score').textContent())!.split(' ')[0]);
    const start = await points();
    expect(await before.textContent()).not.toContain('总监加分');

    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '线索评分' }).click();
    await page.getByRole('button', { name: '添加规则' }).click();
    const rule = page.getByTestId('fit-rule').last();
    await rule.getByRole('textbox', { name: '规则名称' }).fill('总监加分');
    await rule.getByRole('combobox', { name: '字段' }).selectOption({ label: '职位' });
    await rule.getByRole('combobox', { name: '条件' }).selectOption({ label: '包含' });
    await rule.getByRole('textbox', { name: '值' }).fill('总监');
    await rule.getByRole('spinbutton', { name: '分值' }).fill('15');
    // Tried on a sample lead before saving.
    await page.getByText('用样例线索试一试').first().click();
    await page.locator('#score-sample-title').fill('技术总监');
    await expect
      .poll(() => page.getByTestId('score-sample-result').textContent(), { timeout: 10_000 })
      .toContain('总监加分');
    await page.screenshot({ path: path.join(artifacts, 'scoring-rule-added.png') });
    await page.getByRole('button', { name: '保存并重新评分' }).click();
    await page.getByRole('status').filter({ hasText: '评分规则已保存' }).waitFor();

    const after = await scoreOf(page, '赵敏');
    await expect
      .poll(async () =>
        Number((await after.getByTestId('lead-score').textContent())!.split(' ')[0]),
      )
      .toBe(start + 15);
    expect(await after.textContent()).toContain('总监加分+15');
    await page.screenshot({ path: path.join(artifacts, 'scoring-breakdown-changed.png') });
  });

  it('refuses a bad pattern and points out of range, says where, and keeps the old rules', async () => {
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '线索评分' }).click();
    const rules = page.getByTestId('fit-rule');
    const n = await rules.count();
    await page.getByRole('button', { name: '添加规则' }).click();
    const rule = rules.last();
    await rule.getByRole('combobox', { name: '条件' }).selectOption({ label: '匹配正则' });
    await rule.getByRole('textbox', { name: '值' }).fill('(总监');
    await rule.getByRole('spinbutton', { name: '分值' }).fill('500');
    await page.getByRole('button', { name: '保存并重新评分' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '原有规则继续生效' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`第 ${n + 1} 条规则 · 值：不是有效的正则表达式`);
    expect(await alert.textContent()).toContain(`第 ${n + 1} 条规则 · 分值：太大了：最大 100`);
    await page.screenshot({ path: path.join(artifacts, 'scoring-rule-refused.png') });
    await page.getByRole('button', { name: '放弃修改' }).first().click();
    await expect.poll(() => rules.count()).toBe(n);
    // Still in force: the lead keeps the points of the rule saved before.
    const score = await scoreOf(page, '赵敏');
    expect(await score.textContent()).toContain('总监加分+15');
  });

  it('adds "source = 展会 → pool round-robin" and two booth leads go to two reps', async () => {
    await page.getByRole('button', { name: '设置', exact: true }).click();
    // Tabs follow the arrow keys too.
    await page.getByRole('tab', { name: '线索评分' }).click();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByRole('tab', { name: '线索分配' }).getAttribute('aria-selected'))
      .toBe('true');
    await page.getByRole('button', { name: '添加分配规则' }).click();
    const rule = page.getByTestId('assignment-rule').last();
    await rule.getByRole('textbox', { name: '规则名称' }).fill('展会线索轮流');
    await rule.getByRole('combobox', { name: '字段' }).selectOption({ label: '来源' });
    await rule.getByRole('combobox', { name: '条件' }).selectOption({ label: '等于' });
    await rule.getByRole('combobox', { name: '值' }).selectOption({ label: '展会/市场活动' });
    await rule.getByRole('combobox', { name: '分配给' }).selectOption({ label: '销售池轮流' });
    await rule.getByRole('checkbox', { name: '李娜' }).check();
    await rule.getByRole('checkbox', { name: '张强' }).check();
    await page.screenshot({ path: path.join(artifacts, 'assignment-rule-added.png') });
    await page.getByRole('button', { name: '保存分配规则' }).click();
    await page.getByRole('status').filter({ hasText: '分配规则已保存' }).waitFor();

    await (await captureAtBooth(page, '钱一', '采购')).waitFor();
    const first = page.getByRole('status').filter({ hasText: '已保存：钱一' });
    const second = await captureAtBooth(page, '孙二', '工程师');
    await second.waitFor();
    expect(await first.textContent()).toContain('分配给 李娜');
    expect(await second.textContent()).toContain('分配给 张强');
    await page.screenshot({ path: path.join(artifacts, 'assignment-two-reps.png') });
    const owners = leadsInFile(server.db).filter((l) => ['钱一', '孙二'].includes(l.name));
    expect(new Set(owners.map((l) => l.owner_id)).size).toBe(2);
    // The lead panel says which rule gave it its owner.
    await page.getByRole('button', { name: '线索', exact: true }).click();
    await page.getByRole('button', { name: '钱一', exact: true }).click();
    await page
      .getByTestId('assigned-by')
      .filter({ hasText: '按分配规则“展会线索轮流”分配' })
      .waitFor();
  });
});
