// Business cards read offline in Quick capture (issue 22): a photo chosen from disk fills
// the form (the fields the reader is unsure of marked), the lead saves with Enter, and the
// same card again meets the duplicate warning; a stack of photos is read one card per
// lead with progress, and Stop drops the rest; the camera (Chromium's fake device playing
// a card) takes one. The cards are drawn by bench/cardImages.ts with known fields; the
// reading is the app's own (services/cardReader.ts), on this machine, no network.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardSpec, cleanCard, degradedCard } from '../../bench/cardImages.js';
import { writeImageVideo } from './fakeCamera.js';
import {
  artifacts,
  openBrowser,
  serve,
  startEmpty,
  tempDb,
  type Browser,
  type Served,
} from './harness.js';

/** Cards 0 (Chinese), 1 (English), 2 (mixed), 5 (mixed, centred) of the benchmark set. */
const zh = cardSpec(0);
const en = cardSpec(1);

async function openCapture(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: '快速录入', exact: true }).click();
  await page.getByRole('form', { name: '快速录入' }).waitFor();
}

describe('business cards in quick capture', () => {
  let server: Served;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const form = () => page.getByRole('form', { name: '快速录入' });
  const field = (name: string) => form().locator(`input[name="${name}"]`);
  const photo = async (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  beforeAll(async () => {
    const db = tempDb('cards.db');
    dir = path.dirname(db);
    server = await serve(db);
    const video = await writeImageVideo(await cleanCard(en), path.join(dir, 'card.y4m'));
    browser = await openBrowser('zh-CN', [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    page = browser.page;
    await startEmpty(page, server.url);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fills the form from a photo of a card; Enter saves it; the same card again is a duplicate', async () => {
    await openCapture(page);
    await page.getByRole('button', { name: '名片识别' }).click();
    const panel = page.getByRole('dialog', { name: '名片识别' });
    await panel
      .locator('input[name="card-photos"]')
      .setInputFiles(await photo('zh.png', await cleanCard(zh)));
    await expect.poll(() => field('name').inputValue(), { timeout: 60_000 }).toBe(zh.fields.name);
    expect(await field('company').inputValue()).toBe(zh.fields.company);
    expect(await field('title').inputValue()).toBe(zh.fields.title);
    expect((await field('phone').inputValue()).replace(/\D/g, '')).toBe(
      zh.fields.mobile.replace(/\D/g, ''),
    );
    expect(await field('email').inputValue()).toBe(zh.fields.email);
    // Each field filled from the card says how sure it is.
    expect(Number(await field('email').getAttribute('data-confidence'))).toBeGreaterThan(0.5);
    await page.getByRole('status').filter({ hasText: '已识别名片' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'card-read.png') });
    await field('name').press('Enter');
    await page.getByTestId('recent-captures').getByText(zh.fields.name).waitFor();
    expect(await field('name').inputValue()).toBe('');
    // The photo went with the lead: its panel shows the card.
    await page.getByTestId('recent-captures').getByRole('button', { name: zh.fields.name }).click();
    const kept = page.locator('.detail').getByRole('img', { name: `${zh.fields.name} 的名片` });
    await kept.waitFor();
    expect(await kept.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(
      500,
    );
    await kept.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'card-photo-in-detail.png') });
    await page.locator('.detail-head button').last().click();

    // The same card again: the form warns before a second lead is made.
    await panel
      .locator('input[name="card-photos"]')
      .setInputFiles(await photo('zh-again.jpg', await degradedCard(zh)));
    await expect.poll(() => field('name').inputValue(), { timeout: 60_000 }).toBe(zh.fields.name);
    await form()
      .getByText(/可能重复|possible duplicate/i)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(artifacts, 'card-duplicate.png') });
    await form().getByRole('button', { name: '清空' }).click();
  }, 120_000);

  it('reads a stack of photos one card per lead, with progress; Stop drops the rest', async () => {
    const panel = page.getByRole('dialog', { name: '名片识别' });
    const specs = [cardSpec(2), cardSpec(5), cardSpec(7)];
    const files = await Promise.all(
      specs.map(async (s, i) => photo(`stack-${i}.jpg`, await degradedCard(s))),
    );
    await panel.locator('input[name="card-photos"]').setInputFiles(files);
    const progress = page.getByTestId('card-progress');
    for (const [i, spec] of specs.slice(0, 2).entries()) {
      await expect
        .poll(() => field('name').inputValue(), { timeout: 60_000 })
        .toBe(spec.fields.name);
      await expect.poll(() => progress.textContent()).toContain(`${i + 1} / 3`);
      await field('name').press('Enter');
      await page.getByTestId('recent-captures').getByText(spec.fields.name).waitFor();
    }
    // The third and last card is in the form; once it is cleared the batch is done.
    await expect
      .poll(() => field('name').inputValue(), { timeout: 60_000 })
      .toBe(specs[2]!.fields.name);
    await page.screenshot({ path: path.join(artifacts, 'card-stack.png') });
    await form().getByRole('button', { name: '清空' }).click();
    await expect.poll(() => progress.count()).toBe(0);

    // Stop: the card in the form stays for the rep, the rest are not read.
    await panel.locator('input[name="card-photos"]').setInputFiles(files);
    await expect
      .poll(() => field('name').inputValue(), { timeout: 60_000 })
      .toBe(specs[0]!.fields.name);
    await progress.getByRole('button', { name: '停止' }).click();
    await form().getByRole('button', { name: '清空' }).click();
    // Nothing more comes in.
    await page.waitForTimeout(2000);
    expect(await field('name').inputValue()).toBe('');
    expect(await progress.count()).toBe(0);
  }, 180_000);

  it('reads the back of a card into the same lead', async () => {
    const panel = page.getByRole('dialog', { name: '名片识别' });
    const person = cardSpec(9);
    // The front (Chinese) has no email; the back (English) has it.
    const front = { ...person, fields: { ...person.fields, email: '' } };
    const back = {
      ...cardSpec(10),
      fields: { ...cardSpec(10).fields, email: person.fields.email },
    };
    await panel
      .locator('input[name="card-photos"]')
      .setInputFiles(await photo('front.png', await cleanCard(front)));
    await expect
      .poll(() => field('name').inputValue(), { timeout: 60_000 })
      .toBe(person.fields.name);
    expect(await field('email').inputValue()).toBe('');
    await panel.getByRole('checkbox', { name: '下一张是这张名片的背面' }).check();
    await panel
      .locator('input[name="card-photos"]')
      .setInputFiles(await photo('back.png', await cleanCard(back)));
    await expect
      .poll(() => field('email').inputValue(), { timeout: 60_000 })
      .toBe(person.fields.email);
    // What the front said stays.
    expect(await field('name').inputValue()).toBe(person.fields.name);
    expect(await field('company').inputValue()).toBe(person.fields.company);
    await field('name').press('Enter');
    await page.getByTestId('recent-captures').getByText(person.fields.name).waitFor();
  }, 120_000);

  it('takes a card with the camera', async () => {
    const panel = page.getByRole('dialog', { name: '名片识别' });
    await panel.getByRole('button', { name: '用摄像头拍' }).click();
    const take = panel.getByRole('button', { name: '拍下名片' });
    await expect.poll(() => take.isEnabled(), { timeout: 30_000 }).toBe(true);
    await take.click();
    await expect.poll(() => field('name').inputValue(), { timeout: 60_000 }).toBe(en.fields.name);
    expect(await field('email').inputValue()).toBe(en.fields.email);
    await page.screenshot({ path: path.join(artifacts, 'card-camera.png') });
    await panel.getByRole('button', { name: '关闭摄像头' }).click();
  }, 120_000);
});
