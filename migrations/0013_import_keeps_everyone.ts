// Import keeps every person (issue 19):
// - A lead holds every number and address a source had: `other_phones` and `other_emails`
//   (JSON lists beside the first of each, which stay in `phone`/`mobile`/`email`).
// - Where a lead came from in another system: `source_system` + `source_record_id`
//   (Salesforce's Id, HubSpot's Record ID, Odoo's id …), so importing the same export
//   again updates those leads instead of creating them twice.
// - `duplicate_dismissals` (synced): two leads a person said are different people. The
//   duplicates page never offers that pair again, on any laptop of the team.
// - `import_batches.report`: what an import warned about and rejected, row by row, so the
//   import history can hand the rows back as a CSV to fix.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE leads ADD COLUMN other_phones TEXT`,
  `ALTER TABLE leads ADD COLUMN other_emails TEXT`,
  `ALTER TABLE leads ADD COLUMN source_system TEXT`,
  `ALTER TABLE leads ADD COLUMN source_record_id TEXT`,
  `CREATE INDEX leads_source_record ON leads(source_record_id, source_system)
     WHERE source_record_id IS NOT NULL`,
  `CREATE TABLE duplicate_dismissals (id TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER, updated_at INTEGER, deleted_at INTEGER,
    lead_id TEXT, other_lead_id TEXT, dismissed_by TEXT)`,
  `CREATE INDEX duplicate_dismissals_lead ON duplicate_dismissals(lead_id)`,
  `CREATE INDEX duplicate_dismissals_other ON duplicate_dismissals(other_lead_id)`,
  `ALTER TABLE import_batches ADD COLUMN problems TEXT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
