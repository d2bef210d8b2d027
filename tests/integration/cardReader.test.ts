// Reading a business card's photo through the API (`leads.readCard`): the real OCR engine
// in its worker thread, offline, on cards drawn with known fields; bad input is refused
// plainly and the reader keeps working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardSpec, cleanCard, degradedCard } from '../../bench/cardImages.js';
import { memoryApi } from '../helpers/api.js';
import { rejection } from '../helpers/errors.js';

describe('leads.readCard', () => {
  let ctx: Awaited<ReturnType<typeof memoryApi>>;
  beforeAll(async () => {
    ctx = await memoryApi();
  });
  afterAll(async () => {
    await ctx.server.close();
  });
  const read = async (image: Buffer) =>
    ctx.api.call('leads.readCard', { image: image.toString('base64') });

  it('reads a Chinese card and an English one, each field with how sure it is', async () => {
    const zh = cardSpec(0);
    const card = await read(await cleanCard(zh));
    expect(card.draft).toMatchObject({
      name: zh.fields.name,
      company: zh.fields.company,
      title: zh.fields.title,
      email: zh.fields.email,
    });
    expect(card.draft.phone?.replace(/\D/g, '')).toBe(zh.fields.mobile.replace(/\D/g, ''));
    expect(Object.keys(card.confidence).sort()).toEqual(
      Object.keys(card.draft)
        .filter((k) => k !== 'family_name' && k !== 'given_name')
        .sort(),
    );
    const en = cardSpec(1);
    const photo = await read(await degradedCard(en));
    expect(photo.draft).toMatchObject({ name: en.fields.name, email: en.fields.email });
  }, 60_000);

  it('refuses what is not a photo, and reads the next card as usual', async () => {
    const err = await rejection(read(Buffer.from('%PDF-1.7 not a photo at all')));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/not a photo/);
    expect((await rejection(ctx.api.call('leads.readCard', { image: '' }))).code).toBe('BAD_INPUT');
    const spec = cardSpec(3);
    expect((await read(await cleanCard(spec))).draft.email).toBe(spec.fields.email);
  }, 60_000);
});
