// Import history (local to the device that imported): each import is a batch with its
// file name, mapping and counts; the leads it created are listed so the whole batch can
// be undone (created leads deleted, merged fields put back). The leads themselves are ordinary synced rows.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE import_batches (
    id TEXT PRIMARY KEY NOT NULL,
    file TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    encoding TEXT NOT NULL,
    delimiter TEXT NOT NULL,
    mapping TEXT NOT NULL,
    counts TEXT NOT NULL,
    undone_at INTEGER
  )`,
  // action 'created' | 'merged'; a merge keeps the fields it changed, before and after,
  // so undo can put back exactly those that nobody has edited since.
  `CREATE TABLE import_batch_leads (
    batch_id TEXT NOT NULL REFERENCES import_batches(id),
    row INTEGER NOT NULL,
    lead_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('created', 'merged')),
    before TEXT,
    after TEXT,
    PRIMARY KEY (batch_id, row)
  ) WITHOUT ROWID`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
