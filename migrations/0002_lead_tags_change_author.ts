// Lead tags (a synced field) and the author of each change-log entry, so a lead's
// timeline can say who changed what. Existing entries keep a null author ("unknown").
import { sql, type Kysely } from 'kysely';

const statements = [
  // A JSON array of short labels, merged as one field (last writer wins), like every
  // other field: tags are edited as a set in one place, the lead's detail panel.
  `ALTER TABLE leads ADD COLUMN tags TEXT`,
  // The user id chosen on the device that made the change ("who"); carried by sync.
  `ALTER TABLE change_log ADD COLUMN author TEXT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
