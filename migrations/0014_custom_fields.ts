// Custom fields (issue 19): what other CRMs hold beyond the built-in fields (Salesforce
// custom fields, HubSpot properties, Odoo studio fields, a history's "last activity" or
// "time on website") defined once per workspace and valued per lead.
// - `custom_fields` (synced, team settings): a field's key, label, type (number, date,
//   yes/no, choice, text), its choices and its place in lists.
// - `custom_values` (synced): one row per lead and field, its id derived from the pair, so
//   each value merges on its own (two people filling two fields of one lead both win) and
//   two laptops setting the same value offline make one row.
import { sql, type Kysely } from 'kysely';

const system = `id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER, updated_at INTEGER, deleted_at INTEGER`;

const statements = [
  `CREATE TABLE custom_fields (${system},
    key TEXT, label TEXT, type TEXT, options TEXT, position INTEGER)`,
  `CREATE TABLE custom_values (${system},
    lead_id TEXT, field_id TEXT, value TEXT)`,
  `CREATE INDEX custom_values_lead ON custom_values(lead_id)`,
  `CREATE INDEX custom_values_field ON custom_values(field_id, value)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
