// The pipeline in the browser with a full board: 2 000 open deals entered three weeks ago
// (so some stages' "stale after" limits have passed), a deal created directly with a new
// account, edited in its detail (amount, probability override) with the column totals
// following, its timeline and time in each stage, a reorder within a column by mouse that
// survives a reload, and the team's lost reasons edited in Settings and offered when a
// deal is lost; a move the server refuses is put back with the reason. Real `leadbook
// serve`, real file, headless Chromium.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { artifacts, openBrowser, serve, tempDb, type Browser, type Served } from './harness.js';

const DAY = 86_400_000;
const PER_STAGE = 500;
const openStages = ['initial', 'needs', 'quote', 'negotiation'] as const;

/** Writes the deals straight into the file before the app starts, with the clock set
 * three weeks back: their stage history says they entered their stages then. */
async function seed(db: string) {
  const then = Date.now() - 21 * DAY - 3_600_000;
  const server = await openLeadbook(db, { now: () => then });
  const api = createInProcessClient(server);
  const rep = await api.call('users.create', { name: '王伟' });
  await api.call('device.update', { currentUserId: rep.id });
  for (const key of openStages)
    for (let i = 1; i <= PER_STAGE; i++)
      await api.call('opportunities.create', {
        name: `${key}-${String(i).padStart(3, '0')}`,
        amount: 1_000_000,
        currency: 'CNY',
        owner_id: rep.id,
        stage_id: defaultStageId(key),
      });
  await server.close();
}

const column = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

async function dragTo(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
}

describe('the pipeline with 2 000 deals', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  const timings: Record<string, number> = {};
  beforeAll(async () => {
    const db = tempDb('pipeline.db');
    await seed(db);
    server = await serve(db);
    browser = await openBrowser('zh-CN');
    page = browser.page;
    await page.goto(server.url);
    await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
  }, 120_000);
  afterAll(async () => {
    fs.writeFileSync(
      path.join(artifacts, 'pipeline-timings.json'),
      JSON.stringify(timings, null, 2),
    );
    await browser?.close();
    await server?.stop();
  });

  it('shows 2 000 cards, with stale deals marked, and drags one smoothly', async () => {
    const started = Date.now();
    await page.getByRole('button', { name: '销售漏斗', exact: true }).click();
    const initial = column(page, '初步接触');
    const negotiation = column(page, '谈判');
    await initial.getByRole('button', { name: 'initial-001', exact: true }).waitFor();
    timings.boardShownMs = Date.now() - started;
    for (const name of ['初步接触', '需求分析', '报价', '谈判'])
      expect(await column(page, name).getByTestId('column-count').textContent()).toBe('500 个商机');
    expect(await initial.getByTestId('column-total').textContent()).toContain('¥5,000,000.00');
    // Only the cards in view are in the page; the last one is a scroll away.
    const rendered = await page.getByTestId('board-card').count();
    timings.cardsInPage = rendered;
    expect(rendered).toBeLessThan(200);
    const scroller = initial.getByTestId('column-scroll');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await initial.getByRole('button', { name: 'initial-500', exact: true }).waitFor();
    await scroller.evaluate((el) => (el.scrollTop = 0));
    // Three weeks in a stage: past 初步接触's 14 days (stale), within 谈判's 30.
    expect(await initial.locator('.card.stale').count()).toBeGreaterThan(0);
    expect(await initial.locator('.card:not(.stale)').count()).toBe(0);
    expect(await negotiation.locator('.card.stale').count()).toBe(0);
    const first = initial.getByRole('button', { name: 'initial-001', exact: true });
    await first.waitFor();
    expect(await first.textContent()).toContain('停滞');
    expect(await first.textContent()).toContain('本阶段 21 天');
    await page.screenshot({ path: path.join(artifacts, 'board-2000-cards.png') });

    // A drag across the full board: from 初步接触 to 报价.
    const quote = column(page, '报价');
    const box = (await first.boundingBox())!;
    const target = (await quote.boundingBox())!;
    const dragStarted = Date.now();
    await dragTo(
      page,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
      { x: target.x + target.width / 2, y: target.y + 150 },
    );
    await quote.locator('li.dragging').waitFor();
    timings.dragAcrossMs = Date.now() - dragStarted;
    await page.mouse.up();
    await expect.poll(() => quote.getByTestId('column-count').textContent()).toBe('501 个商机');
    await expect.poll(() => initial.getByTestId('column-count').textContent()).toBe('499 个商机');
    timings.dragAndSaveMs = Date.now() - dragStarted;
    await expect
      .poll(() => initial.getByTestId('column-total').textContent())
      .toContain('¥4,990,000.00');
  });

  it('reorders within a column by mouse, and the order stays after a reload', async () => {
    const needs = column(page, '需求分析');
    const names = () =>
      needs
        .getByTestId('board-card')
        .locator('.card-name')
        .evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent));
    expect(await names()).toEqual(['needs-001', 'needs-002', 'needs-003']);
    const third = (await needs.getByRole('button', { name: 'needs-003' }).boundingBox())!;
    const top = (await needs.getByRole('button', { name: 'needs-001' }).boundingBox())!;
    await dragTo(
      page,
      { x: third.x + third.width / 2, y: third.y + third.height / 2 },
      { x: top.x + top.width / 2, y: top.y + 5 },
    );
    await needs.locator('li.dragging').waitFor();
    await page.mouse.up();
    await expect.poll(names).toEqual(['needs-003', 'needs-001', 'needs-002']);
    await page.screenshot({ path: path.join(artifacts, 'board-reordered.png') });
    // What the server stored, not only what the screen shows.
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('button', { name: '销售漏斗', exact: true }).click();
        await needs.getByTestId('board-card').first().waitFor({ timeout: 30_000 });
        return names();
      })
      .toEqual(['needs-003', 'needs-001', 'needs-002']);
  });

  it('puts a card back, with the reason, when the move cannot be saved', async () => {
    // The write fails once (as when another laptop deleted the deal and the sync has not
    // told this one yet): the answer is the server's CONFLICT, sent in its place.
    await page.route(
      '**/api/call/opportunities.move',
      (route) =>
        route.fulfill({
          status: 409,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'CONFLICT', message: 'this opportunity is deleted' },
          }),
        }),
      { times: 1 },
    );
    const needs = column(page, '需求分析');
    const quote = column(page, '报价');
    const card = needs.getByRole('button', { name: 'needs-004', exact: true });
    const box = (await card.boundingBox())!;
    const target = (await quote.boundingBox())!;
    await dragTo(
      page,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
      { x: target.x + target.width / 2, y: target.y + 150 },
    );
    await quote.locator('li.dragging').waitFor();
    await page.mouse.up();
    await page
      .getByRole('status')
      .filter({ hasText: '没能移动：操作与现有数据冲突。（已放回原处）' })
      .waitFor();
    await needs.getByRole('button', { name: 'needs-004', exact: true }).waitFor();
    expect(await quote.getByRole('button', { name: 'needs-004' }).count()).toBe(0);
    expect(await needs.getByTestId('column-count').textContent()).toBe('500 个商机');
    await page.screenshot({ path: path.join(artifacts, 'board-move-refused.png') });
  });

  it('creates a deal directly and edits it in its detail; the column totals follow', async () => {
    await page.getByRole('button', { name: '新建商机' }).click();
    const dialog = page.getByRole('dialog', { name: '新建商机（老客户、转介绍）' });
    await dialog.locator('input[name="name"]').fill('宝钢 · 二期');
    await dialog.getByRole('button', { name: '客户' }).click();
    await dialog.getByRole('combobox', { name: '客户' }).fill('宝钢集团');
    await dialog.getByRole('option', { name: '新建客户“宝钢集团”' }).click();
    await dialog.getByText('将新建客户“宝钢集团”').waitFor();
    await dialog.locator('input[name="amount"]').fill('120000');
    await dialog.locator('select[name="stage"]').selectOption({ label: '谈判 · 75%' });
    await page.screenshot({ path: path.join(artifacts, 'opportunity-new.png') });
    await dialog.getByRole('button', { name: '创建商机' }).click();
    await page.getByRole('status').filter({ hasText: '已创建商机：宝钢 · 二期' }).waitFor();
    const panel = page.getByTestId('opportunity-panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('宝钢 · 二期');
    expect(await panel.textContent()).toContain('宝钢集团');
    const negotiation = column(page, '谈判');
    const weighted = () => negotiation.getByTestId('column-weighted').textContent();
    // 500 × ¥10 000 + ¥120 000 = ¥5 120 000; weighted at 75 %: ¥3 840 000.
    await expect
      .poll(() => negotiation.getByTestId('column-total').textContent())
      .toContain('¥5,120,000.00');
    expect(await weighted()).toContain('¥3,840,000.00');

    // The probability: from the stage until overridden, and it says so.
    const source = panel.getByTestId('probability-source');
    expect(await source.textContent()).toContain('来自阶段默认：75%');
    await panel.locator('input[name="probability_override"]').fill('90');
    await panel.locator('input[name="probability_override"]').press('Enter');
    await expect.poll(() => source.textContent()).toContain('已手动设为 90%（阶段默认 75%）');
    // ¥120 000 × 90 % instead of 75 %: ¥18 000 more.
    await expect.poll(weighted).toContain('¥3,858,000.00');
    // A new amount: totals follow.
    await panel.locator('input[name="amount"]').fill('150000');
    await panel.locator('input[name="amount"]').press('Enter');
    await expect
      .poll(() => negotiation.getByTestId('column-total').textContent())
      .toContain('¥5,150,000.00');
    await expect.poll(weighted).toContain('¥3,885,000.00');
    // A bad percentage is refused where it was typed; nothing is sent.
    await panel.locator('input[name="probability_override"]').fill('120');
    await panel.locator('input[name="probability_override"]').press('Enter');
    await panel.getByText('请输入 0 到 100 之间的整数').waitFor();
    await panel.locator('input[name="probability_override"]').press('Escape');
    await panel.getByRole('button', { name: '恢复阶段默认' }).click();
    await expect.poll(() => source.textContent()).toContain('来自阶段默认：75%');

    // Log a call with C, then move the deal on from the detail.
    await panel.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('c');
    await page
      .getByRole('form', { name: '电话', exact: true })
      .locator('input[name="subject"]')
      .press('Enter');
    await panel.locator('select[name="stage"]').selectOption({ label: '报价 · 50%' });
    const timeline = panel.getByTestId('timeline');
    await expect.poll(() => timeline.textContent()).toContain('王伟 将阶段从“谈判”改为“报价”');
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('王伟 将商机放入“谈判”');
    expect(text).toContain('金额: ¥120,000.00 → ¥150,000.00');
    expect(text).toContain('电话');
    const times = panel.getByTestId('time-in-stage');
    expect(await times.textContent()).toContain('谈判');
    expect(await times.locator('tr.current').textContent()).toContain('报价');
    await page.screenshot({ path: path.join(artifacts, 'opportunity-detail.png') });
  });

  it('edits the lost reasons in Settings and offers them when a deal is lost', async () => {
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('tab', { name: '销售阶段' }).click();
    const section = page.getByRole('region', { name: '丢单原因' });
    await section.getByRole('button', { name: '添加原因' }).click();
    await section.getByTestId('lost-reason-row').last().locator('input').fill('交期太长');
    await section.getByRole('button', { name: '保存丢单原因' }).click();
    await page.getByRole('status').filter({ hasText: '丢单原因已保存' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'lost-reasons-settings.png') });
    await page.getByRole('button', { name: '销售漏斗', exact: true }).click();
    const panel = page.getByTestId('opportunity-panel');
    await panel.locator('select[name="stage"]').selectOption({ label: '丢单 · 0%' });
    const dialog = page.getByRole('dialog', { name: '宝钢 · 二期 丢单的原因' });
    await dialog.getByRole('combobox').selectOption('交期太长');
    await dialog.getByRole('button', { name: '标为丢单' }).click();
    await expect
      .poll(() => panel.getByTestId('timeline').textContent())
      .toContain('王伟 将阶段从“报价”改为“丢单”');
    expect(await panel.locator('input[name="lost_reason"]').inputValue()).toBe('交期太长');
    expect(await panel.textContent()).toContain('丢单');
  });
});
