// Merging duplicate leads: the merged-away lead keeps a link to the one that survived
// (synced, so every device shows where it went), and this device keeps what each merge
// changed so it can be undone.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE leads ADD COLUMN merged_into_id TEXT`,
  `CREATE TABLE lead_merges (
    id TEXT PRIMARY KEY NOT NULL,
    survivor_id TEXT NOT NULL,
    merged_ids TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    moved_activities TEXT NOT NULL,
    merged_at INTEGER NOT NULL,
    undone_at INTEGER
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
