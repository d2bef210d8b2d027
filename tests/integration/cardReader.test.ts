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

describe('a lead keeps the photo of its card', () => {
  it('re-encoded without EXIF location, at most 1280 px, replaced by a newer one, in backups', async () => {
    const { default: sharp } = await import('sharp');
    const { default: fs } = await import('node:fs');
    const { default: path } = await import('node:path');
    const { tempDir } = await import('../helpers/store.js');
    const { openLeadbook } = await import('../../src-main/api/bootstrap.js');
    const { createInProcessClient } = await import('../../src-main/api/router.js');
    const dir = tempDir();
    const server = await openLeadbook(path.join(dir, 'photos.db'));
    const api = createInProcessClient(server);
    try {
      const lead = await api.call('leads.create', { name: '朱芳' });
      // A phone photo: 3000 px wide, with the place it was taken in its EXIF.
      const photo = await sharp(await cleanCard(cardSpec(0)))
        .resize({ width: 3000 })
        .withExif({
          IFD0: { Make: 'PhoneCo' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' },
        })
        .jpeg()
        .toBuffer();
      expect((await sharp(photo).metadata()).exif).toBeDefined();
      const kept = await api.call('leads.setCardPhoto', {
        id: lead.id,
        image: photo.toString('base64'),
      });
      expect(Math.max(kept.width, kept.height)).toBe(1280);
      const stored = (await api.call('leads.cardPhoto', { id: lead.id }))!;
      const bytes = Buffer.from(stored.image, 'base64');
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(bytes.length).toBeLessThan(400_000);

      // Bad input changes nothing: not a photo, or no such lead.
      expect(
        (
          await rejection(
            api.call('leads.setCardPhoto', {
              id: lead.id,
              image: Buffer.from('text').toString('base64'),
            }),
          )
        ).code,
      ).toBe('BAD_INPUT');
      expect(
        (
          await rejection(
            api.call('leads.setCardPhoto', {
              id: '01a25239-fc5c-7096-b937-e190755afc69',
              image: photo.toString('base64'),
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      expect((await api.call('leads.cardPhoto', { id: lead.id }))!.image).toBe(stored.image);

      // A newer photo replaces it.
      const back = await degradedCard(cardSpec(0));
      await api.call('leads.setCardPhoto', { id: lead.id, image: back.toString('base64') });
      expect((await api.call('leads.cardPhoto', { id: lead.id }))!.image).not.toBe(stored.image);
    } finally {
      await server.close();
    }
    // A backup of the file carries it.
    const { openStore } = await import('../../src-main/store/open.js');
    const { cardPhotoOf } = await import('../../src-main/services/leadPhotos.js');
    const store = await openStore(path.join(dir, 'photos.db'));
    const copy = path.join(dir, 'backup.db');
    await store.backupTo(copy);
    const leadId = store.read((r) => r.first(r.qb.selectFrom('leads').select('id'))!.id);
    store.close();
    expect(fs.existsSync(copy)).toBe(true);
    const restored = await openStore(copy);
    expect(restored.read((r) => cardPhotoOf(r, leadId))?.mime).toBe('image/jpeg');
    restored.close();
  }, 60_000);
});
