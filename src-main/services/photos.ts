// Photos as Leadbook reads and keeps them (business cards, issue 22): turned upright by
// their EXIF orientation first, then either scaled for the OCR engine or re-encoded to be
// kept with a lead — a JPEG with no metadata at all (no EXIF location, no camera serial).
import sharp from 'sharp';

/** The long side of a photo as the OCR engine reads it: a 12-megapixel phone photo reads
 * no better than a 1600-pixel one, and takes four times longer. */
export const OCR_SIDE = 1600;
/** The long side of a photo kept with a lead (about 100–250 KB as JPEG). */
export const KEPT_SIDE = 1280;

/** A photo larger than this is refused before it is read (a phone's is 3–8 MB). */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** Thrown for bytes that are not a photo sharp can read (nothing is read from them). */
export class NotAPhotoError extends Error {
  constructor() {
    super('this is not a photo (JPEG, PNG, WebP, HEIC, TIFF or GIF)');
    this.name = 'NotAPhotoError';
  }
}

const upright = (image: Uint8Array, side: number) =>
  sharp(image, { failOn: 'error' })
    .rotate()
    .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' });

/** The photo upright, at most OCR_SIDE pixels on its long side, as PNG. */
export async function photoForOcr(image: Uint8Array): Promise<Buffer> {
  try {
    return await upright(image, OCR_SIDE).png({ compressionLevel: 1 }).toBuffer();
  } catch {
    throw new NotAPhotoError();
  }
}

/** The photo as kept: upright, at most KEPT_SIDE pixels, JPEG, no metadata (sharp writes
 * none unless asked to). */
export async function photoToKeep(
  image: Uint8Array,
): Promise<{ bytes: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await upright(image, KEPT_SIDE)
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw new NotAPhotoError();
  }
}
