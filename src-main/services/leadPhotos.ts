// A lead's business-card photo (issue 22): kept with the lead on this laptop, replaced by a
// newer one, shown in the lead's detail. Re-encoded before it is kept (services/photos.ts:
// no EXIF location, at most 1280 px), so what is stored is small and says nothing but the
// picture.
import { ApiError, type CardPhoto } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { Store } from '../store/store.js';
import { MAX_PHOTO_BYTES, NotAPhotoError, photoToKeep } from './photos.js';
import { getRecord } from './recordRows.js';

/** Keeps `image` as the lead's card photo (replacing one it had). */
export async function setCardPhoto(
  store: Store,
  leadId: string,
  image: Uint8Array,
): Promise<Omit<CardPhoto, 'image'>> {
  if (image.byteLength === 0 || image.byteLength > MAX_PHOTO_BYTES)
    throw new ApiError('BAD_INPUT', 'a photo must be between 1 byte and 20 MB', [
      { path: 'image', message: 'empty or too large' },
    ]);
  // Re-encoded before the transaction: the write itself is one quick row.
  let kept;
  try {
    kept = await photoToKeep(image);
  } catch (err) {
    if (err instanceof NotAPhotoError)
      throw new ApiError('BAD_INPUT', err.message, [{ path: 'image', message: 'not a photo' }]);
    throw err;
  }
  return store.write((tx) => {
    getRecord(tx, 'leads', leadId);
    tx.deleteLocal('lead_photos', { column: 'lead_id', value: leadId });
    const row = {
      lead_id: leadId,
      mime: 'image/jpeg',
      image: kept.bytes,
      width: kept.width,
      height: kept.height,
      taken_at: tx.now,
    };
    tx.insertLocal('lead_photos', row);
    return { mime: row.mime, width: row.width, height: row.height, takenAt: row.taken_at };
  });
}

/** The lead's card photo (base64), or null when it has none on this laptop. */
export function cardPhotoOf(r: Reader, leadId: string): CardPhoto | null {
  const row = r.first(r.qb.selectFrom('lead_photos').selectAll().where('lead_id', '=', leadId));
  if (!row) return null;
  return {
    mime: row.mime,
    image: Buffer.from(row.image).toString('base64'),
    width: row.width,
    height: row.height,
    takenAt: row.taken_at,
  };
}
