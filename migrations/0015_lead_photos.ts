// Business-card photos (issue 22): the photo a lead was read from, kept with it on the
// laptop that scanned it — shown in the lead's detail and carried by every backup (it is in
// the file). Local to this device: a photo is ~100 KB, and the team's sync carries the
// fields read from it, not the picture. Re-encoded as JPEG without metadata (no EXIF
// location) and at most CARD_PHOTO_SIDE pixels on its long side before it is stored.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE TABLE lead_photos (
        lead_id TEXT PRIMARY KEY NOT NULL,
        mime TEXT NOT NULL,
        image BLOB NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        taken_at INTEGER NOT NULL
      )`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
