// The app on the screens of real laptops (issue 22): every page, the lead and deal panels
// and the dialogs at 1366×768 and 1024×700 with the demo workspace, in zh-CN (and the
// leads list in English). Each view is screenshotted into test-results/ and checked: no
// control sits outside the window where nothing can scroll it into view, no column of
// the leads list is squeezed below its minimum width, and a phone, date, score or grade
// is never cut. Then what makes a small screen work: the sidebar folding to icons (by
// itself under 1200 px, remembered when chosen), the list scrolling sideways with the
// name pinned, columns resized and moved by mouse and kept, and Won/Lost in reach while
// a card is dragged on a narrow board.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  cli,
  openBrowser,
  serve,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

const sizes = [
  { width: 1366, height: 768 },
  { width: 1024, height: 700 },
] as const;
const navPages = [
  ['home', '首页'],
  ['capture', '快速录入'],
  ['leads', '线索'],
  ['imports', '导入'],
  ['duplicates', '重复合并'],
  ['pipeline', '销售漏斗'],
  ['forecast', '销售预测'],
  ['activities', '跟进'],
  ['reports', '报表'],
  ['settings', '设置'],
] as const;

/** What is wrong with the view as laid out now (empty: nothing). */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const scrolls = (el: Element, axis: 'x' | 'y') => {
      const s = getComputedStyle(el);
      const overflow = axis === 'x' ? s.overflowX : s.overflowY;
      if (overflow !== 'auto' && overflow !== 'scroll') return false;
      return axis === 'x' ? el.scrollWidth > el.clientWidth : el.scrollHeight > el.clientHeight;
    };
    const controls = document.querySelectorAll<HTMLElement>(
      'button, input, select, textarea, a[href], [role="separator"][tabindex]',
    );
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      // Not drawn, or there only for screen readers.
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
      // The list's header scrolls sideways with its rows.
      if (el.closest('.thead')) continue;
      let x = false;
      let y = false;
      for (let a = el.parentElement; a; a = a.parentElement) {
        x ||= scrolls(a, 'x');
        y ||= scrolls(a, 'y');
      }
      const name = (el.getAttribute('aria-label') || el.textContent || el.tagName)
        .trim()
        .slice(0, 40);
      if (!x && (r.left < -1 || r.right > vw + 1))
        problems.push(`out sideways: "${name}" at ${Math.round(r.left)}–${Math.round(r.right)}`);
      if (!y && (r.top < -1 || r.bottom > vh + 1))
        problems.push(`out below: "${name}" at ${Math.round(r.top)}–${Math.round(r.bottom)}`);
    }
    for (const th of document.querySelectorAll<HTMLElement>('.thead [data-column]')) {
      const field = th.dataset.column!;
      const min = Number(th.querySelector('[role="separator"]')?.getAttribute('aria-valuemin'));
      const width = th.getBoundingClientRect().width;
      if (!(width >= min - 0.5)) problems.push(`column ${field} is ${width}px (min ${min})`);
      if (th.dataset.whole === undefined) continue;
      for (const td of document.querySelectorAll<HTMLElement>(
        `.tbody [role="cell"][data-column="${field}"]`,
      ))
        if (td.scrollWidth > td.clientWidth + 1)
          problems.push(`cut in ${field}: "${td.textContent}" (${td.clientWidth}px)`);
    }
    return problems;
  });
}

describe('screens the size of real laptops', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) =>
    page.screenshot({ path: path.join(artifacts, `screen-${name}.png`) });
  const nav = (label: string) =>
    page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
  const settle = () => page.waitForTimeout(400);
  // The app's URL carries its token after "#": going to it again from the app is a jump
  // within the page, not a new start.
  const fresh = async () => {
    await page.goto(server.url);
    await page.reload();
  };
  const check = async (name: string) => {
    await settle();
    await shot(name);
    expect(await layoutProblems(page), name).toEqual([]);
  };

  beforeAll(async () => {
    const db = tempDb('screens.db');
    const demo = cli(['demo', '--db', db, '--leads', '1500', '--json']);
    expect(demo.status, demo.stderr).toBe(0);
    server = await serve(db);
    browser = await openBrowser('zh-CN');
    page = browser.page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const size of sizes) {
    const tag = `${size.width}x${size.height}`;
    it(`every page, panel and dialog fits at ${tag}`, async () => {
      await page.setViewportSize(size);
      await fresh();
      await page.getByRole('heading', { name: '首页', level: 1 }).waitFor();
      for (const [key, label] of navPages) {
        await nav(label);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await check(`${tag}-${key}`);
      }
      // A lead's panel, and the conversion options from it.
      await nav('线索');
      await page.locator('.tbody [role="row"] .cell-link').first().click();
      await page.locator('.detail').waitFor();
      await check(`${tag}-lead-detail`);
      await page.locator('.detail').getByRole('button', { name: '转化选项…' }).click();
      await page.getByRole('dialog').waitFor();
      await check(`${tag}-convert-dialog`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      if (await page.locator('.detail').count())
        await page.locator('.detail-head button').last().click();
      // A deal's panel, and the new-deal dialog.
      await nav('销售漏斗');
      await page.locator('.card').first().click();
      await page.locator('.detail').waitFor();
      await check(`${tag}-deal-detail`);
      await page.locator('.detail-head button').last().click();
      await page.getByRole('button', { name: '新建商机' }).click();
      await page.getByRole('dialog').waitFor();
      await check(`${tag}-new-deal-dialog`);
      await page.keyboard.press('Escape');
    }, 120_000);
  }

  it('folds the sidebar to icons by itself under 1200 px, and as chosen above', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await fresh();
    const sidebar = page.locator('nav.sidebar');
    await sidebar.waitFor();
    expect((await sidebar.boundingBox())!.width).toBeLessThan(64);
    // Still named for keyboard and screen-reader users, and shown on hover.
    await nav('线索');
    await page.getByRole('heading', { name: '线索', level: 1 }).waitFor();
    await page.setViewportSize({ width: 1366, height: 768 });
    await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeGreaterThan(150);
    await page.getByRole('button', { name: '收起侧栏（只显示图标）' }).click();
    await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeLessThan(64);
    await page.reload();
    await sidebar.waitFor();
    await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeLessThan(64);
    await page.getByRole('button', { name: '展开侧栏' }).click();
    await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeGreaterThan(150);
  });

  it('scrolls the list sideways with the name pinned; columns resize and move by mouse, and stay', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await fresh();
    await nav('线索');
    const body = page.locator('.tbody');
    await page.locator('.tbody [role="row"]').first().waitFor();
    const header = (field: string) => page.locator(`.thead [data-column="${field}"]`);
    const nameX = (await header('name').boundingBox())!.x;
    // Score and grade are default columns, beside the name.
    const order = () =>
      page
        .locator('.thead [data-column]')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.column));
    expect((await order()).slice(0, 3)).toEqual(['name', 'grade', 'score']);
    expect(await body.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await body.evaluate((el) => el.scrollTo({ left: 400 }));
    await settle();
    const firstName = page.locator('.tbody [role="row"] .td.pinned').first();
    expect(Math.abs((await firstName.boundingBox())!.x - nameX)).toBeLessThan(2);
    expect(Math.abs((await header('name').boundingBox())!.x - nameX)).toBeLessThan(2);
    await shot('1024x700-leads-scrolled');
    expect(await layoutProblems(page)).toEqual([]);
    await body.evaluate((el) => el.scrollTo({ left: 0 }));

    // Resize the company column by dragging its edge 80 px to the right.
    const before = (await header('company').boundingBox())!;
    const edge = header('company').getByRole('separator');
    const e = (await edge.boundingBox())!;
    await page.mouse.move(e.x + e.width / 2, e.y + e.height / 2);
    await page.mouse.down();
    await page.mouse.move(e.x + e.width / 2 + 80, e.y + e.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(async () => Math.round((await header('company').boundingBox())!.width))
      .toBe(Math.round(before.width + 80));
    const cell = page.locator('.tbody [role="cell"][data-column="company"]').first();
    expect(Math.round((await cell.boundingBox())!.width)).toBe(Math.round(before.width + 80));

    // Move the phone column in front of the grade by dragging its header.
    const phone = (await header('phone').boundingBox())!;
    const grade = (await header('grade').boundingBox())!;
    await page.mouse.move(phone.x + 20, phone.y + phone.height / 2);
    await page.mouse.down();
    await page.mouse.move(phone.x + 10, phone.y + phone.height / 2, { steps: 4 });
    await page.mouse.move(grade.x + 5, grade.y + grade.height / 2, { steps: 16 });
    await page.mouse.up();
    await expect.poll(async () => (await order()).slice(0, 3)).toEqual(['name', 'phone', 'grade']);

    // Both are kept: after a reload the list looks the same.
    await page.reload();
    await nav('线索');
    await page.locator('.tbody [role="row"]').first().waitFor();
    expect((await order()).slice(0, 3)).toEqual(['name', 'phone', 'grade']);
    expect(Math.round((await header('company').boundingBox())!.width)).toBe(
      Math.round(before.width + 80),
    );
    await shot('1024x700-leads-arranged');
  });

  it('keeps Won and Lost in reach while a card is dragged on a narrow board', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await nav('销售漏斗');
    const card = page.locator('.card').first();
    await card.waitFor();
    const c = (await card.boundingBox())!;
    await page.mouse.move(c.x + 20, c.y + 10);
    await page.mouse.down();
    await page.mouse.move(c.x + 40, c.y + 30, { steps: 6 });
    await page.locator('.board.dragging').waitFor();
    for (const zone of ['成交', '丢单']) {
      const box = (await page.getByRole('region', { name: zone, exact: true }).boundingBox())!;
      expect(box.x, zone).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, zone).toBeLessThanOrEqual(1024);
      expect(box.y + box.height, zone).toBeLessThanOrEqual(700);
    }
    await shot('1024x700-board-dragging');
    await page.keyboard.press('Escape');
    await page.mouse.up();
  });

  it('lays out the leads list in English too', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => localStorage.setItem('leadbook.lang', 'en'));
    await fresh();
    await page.getByRole('navigation').getByRole('button', { name: 'Leads', exact: true }).click();
    await page.locator('.tbody [role="row"]').first().waitFor();
    await check('1024x700-leads-en');
    await page.evaluate(() => localStorage.setItem('leadbook.lang', 'zh-CN'));
  });
});
