// The Forecast page in the browser on a demo database with a year of history: the totals
// and the chart, a target typed into the table and the attainment following (checked
// against `leadbook report forecast --json`), the learned stage probabilities, the chart
// as a table and exported as PNG, and the exchange rates in Settings. Real `leadbook
// serve`, real file, headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastReport, FunnelReport } from '../../src-main/contract/index.js';
import {
  artifacts,
  cli,
  openBrowser,
  serve,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

describe('the forecast', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    const db = tempDb('forecast.db');
    const demo = cli(['demo', '--db', db, '--leads', '2000', '--json']);
    expect(demo.status, demo.stderr).toBe(0);
    server = await serve(db);
    browser = await openBrowser('zh-CN');
    page = browser.page;
    await page.goto(server.url);
    await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the forecast; a target typed into the table changes the attainment', async () => {
    await page.getByRole('button', { name: '销售预测', exact: true }).click();
    await page.getByRole('heading', { name: '销售预测', level: 1 }).waitFor();
    const table = page.getByTestId('forecast-table');
    await table.locator('tbody tr').first().waitFor();
    // The first period is this month; what it has won comes from the same report the CLI
    // prints.
    const report = JSON.parse(
      cli(['report', 'forecast', '--db', server.db, '--json']).stdout,
    ) as ForecastReport;
    const month = report.buckets[0]!;
    const row = table.locator(`tr[data-period="${month.period}"]`);
    expect(await row.getByTestId('attainment').textContent()).toBe('—');
    // A target of twice what was won: 50 %.
    const target = Math.max(month.won * 2, 100_000_00);
    const input = row.getByRole('textbox', { name: `${month.period} 的目标` });
    await input.fill(String(target / 100));
    await input.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `${month.period} 的目标已保存` })
      .waitFor();
    const expected = `${Math.round((month.won / target) * 1000) / 10}%`;
    await expect.poll(() => row.getByTestId('attainment').textContent()).toBe(expected);
    await page.screenshot({ path: path.join(artifacts, 'forecast-target.png'), fullPage: true });
    // Stored: the CLI now reads the same target and attainment.
    const after = JSON.parse(
      cli(['report', 'forecast', '--db', server.db, '--json']).stdout,
    ) as ForecastReport;
    expect(after.buckets[0]).toMatchObject({ target, attainment: month.won / target });
    // The stage table: the default beside what the team's history says.
    const stages = page.getByTestId('forecast-stages');
    expect(await stages.textContent()).toContain('初步接触');
    expect(await stages.textContent()).toMatch(/\d+(\.\d)?%/);
  });

  it('lists the deals behind a period, filtered by category and sorted by any column', async () => {
    const table = page.getByTestId('forecast-table');
    const period = (await table.locator('tbody tr').first().getAttribute('data-period'))!;
    const deals = page.getByTestId('forecast-deals');
    const count = page.getByTestId('forecast-deal-count');
    const all = await count.textContent();
    // The period's name in the table opens its deals: none expected after its last day
    // (deals past their expected close count in this month too).
    await table.getByRole('button', { name: period, exact: true }).click();
    await expect.poll(() => count.textContent()).not.toBe(all);
    const lastDay = `${period}-31`;
    const closes = async () =>
      (await deals
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => r.querySelectorAll('td')[2]!.textContent ?? ''),
        )) as string[];
    expect((await closes()).every((d) => d <= lastDay)).toBe(true);
    // Only the commit deals.
    await page.getByRole('combobox', { name: '预测类别' }).selectOption({ label: '承诺' });
    await expect
      .poll(async () =>
        (await deals.locator('tbody tr td:last-child').allTextContents()).every((c) =>
          c.startsWith('承诺'),
        ),
      )
      .toBe(true);
    // Back to every category and period, sorted by expected close, earliest first.
    await page.getByRole('combobox', { name: '预测类别' }).selectOption({ label: '全部类别' });
    await page.getByRole('combobox', { name: '期间' }).selectOption({ label: '全部期间' });
    await expect.poll(() => count.textContent()).toBe(all);
    await deals.getByRole('button', { name: '预计成交日期' }).click();
    await expect
      .poll(async () => {
        const c = await closes();
        return c.length > 1 && c.every((d, i) => i === 0 || c[i - 1]! <= d);
      })
      .toBe(true);
    expect(await deals.locator('th[aria-sort="ascending"]').textContent()).toContain(
      '预计成交日期',
    );
    await page.screenshot({ path: path.join(artifacts, 'forecast-deals.png'), fullPage: true });
  });

  it('shows the chart as a table and exports it as PNG', async () => {
    const chart = page.getByTestId('chart-forecast');
    await chart.locator('.recharts-wrapper > svg.recharts-surface').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      chart.getByRole('button', { name: '导出 PNG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('forecast.png');
    const file = path.join(path.dirname(server.db), 'forecast.png');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    // A PNG, and not an empty one.
    expect(bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(bytes.length).toBeGreaterThan(5_000);
    fs.copyFileSync(file, path.join(artifacts, 'forecast-chart-export.png'));
    await chart.getByRole('button', { name: '表格' }).click();
    expect(await chart.locator('table tbody tr').count()).toBeGreaterThan(0);
    await chart.getByRole('button', { name: '图表' }).click();
    await chart.locator('.recharts-wrapper > svg.recharts-surface').waitFor();
  });

  it('takes exchange rates in Settings, and refuses a rate that is not a number', async () => {
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '预测' }).click();
    const section = page.getByRole('region', { name: '预测设置' });
    await section.getByRole('button', { name: '添加汇率' }).click();
    const row = section.getByTestId('rate-row').last();
    await row.getByRole('textbox', { name: '货币' }).fill('USD');
    await row.getByRole('textbox', { name: '1 USD 等于多少 CNY' }).fill('abc');
    await section.getByRole('button', { name: '保存预测设置' }).click();
    await section.getByRole('alert').waitFor();
    await row.getByRole('textbox', { name: '1 USD 等于多少 CNY' }).fill('7.1');
    await section.getByRole('button', { name: '保存预测设置' }).click();
    await page.getByRole('status').filter({ hasText: '预测设置已保存' }).waitFor();
    const settings = JSON.parse(
      cli(['report', 'forecast', '--db', server.db, '--json']).stdout,
    ) as ForecastReport;
    expect(settings.missingRates).not.toContain('USD');
    // A target for next month, typed in Settings: the forecast reads it.
    const next = settings.buckets[1]!.period;
    await page.locator('input[name="target-month"]').fill(next);
    const targets = page.getByTestId('targets-table');
    const team = targets.getByRole('textbox', { name: `全团队 的 ${next} 目标` });
    await team.fill('250000');
    await team.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: `${next} 的目标已保存` })
      .waitFor();
    const withTarget = JSON.parse(
      cli(['report', 'forecast', '--db', server.db, '--json']).stdout,
    ) as ForecastReport;
    expect(withTarget.buckets[1]!.target).toBe(25_000_000);
    await page.screenshot({ path: path.join(artifacts, 'forecast-settings.png'), fullPage: true });
  });

  it('shows the reports; filtering by an event updates the funnel and the source table', async () => {
    await page.getByRole('button', { name: '报表', exact: true }).click();
    const funnel = page.getByTestId('chart-funnel');
    await funnel.locator('.recharts-wrapper > svg.recharts-surface').waitFor();
    // The page's default range: the last 364 days to today, in this machine's days.
    const day = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    const range = ['--from', day(Date.now() - 364 * 86_400_000), '--to', day(Date.now())];
    const all = JSON.parse(
      cli(['report', 'funnel', '--db', server.db, ...range, '--json']).stdout,
    ) as FunnelReport;
    const topCount = async () => {
      await funnel.getByRole('button', { name: '表格' }).click();
      const text = await funnel
        .locator('table tbody tr')
        .first()
        .locator('td')
        .first()
        .textContent();
      await funnel.getByRole('button', { name: '图表' }).click();
      // Written the reader's way ("1,999").
      return Number(text?.replace(/\D/g, ''));
    };
    await expect.poll(topCount).toBe(all.steps[0]!.count);
    await page.screenshot({ path: path.join(artifacts, 'reports.png'), fullPage: true });
    // One event: the funnel is that event's, and the event table has only its row.
    const event = all.byEvent.find((e) => e.name !== null)!;
    await page.getByRole('combobox', { name: '展会/活动' }).selectOption({ label: event.name! });
    await expect.poll(topCount).toBe(event.steps[0]!.count);
    const events = page.getByTestId('report-events');
    await expect.poll(() => events.locator('tbody tr').count()).toBe(1);
    expect(await events.locator('tbody tr th').textContent()).toBe(event.name);
    await page.screenshot({ path: path.join(artifacts, 'reports-event.png'), fullPage: true });
    // The funnel exported as a PNG.
    await funnel.locator('.recharts-wrapper > svg.recharts-surface').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      funnel.getByRole('button', { name: '导出 PNG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('funnel.png');
    const file = path.join(path.dirname(server.db), 'funnel.png');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    fs.copyFileSync(file, path.join(artifacts, 'funnel-export.png'));
    // Readable in the dark theme and in English too.
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.locator('#sidebar-language').selectOption('en');
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page
      .getByTestId('chart-funnel')
      .locator('.recharts-wrapper > svg.recharts-surface')
      .waitFor();
    await page.screenshot({ path: path.join(artifacts, 'reports-dark-en.png'), fullPage: true });
    await page.locator('#sidebar-language').selectOption('zh-CN');
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
  });
});
