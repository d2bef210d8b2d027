// Assignment rules (F3): a rule may cap how many leads one rep gets from it per day, and a
// lead remembers which rule gave it to its owner and when (synced, so every device can
// say "assigned by rule …"). Counting today's assignments per rep reads the index.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE assignment_rules ADD COLUMN daily_capacity INTEGER`,
  `ALTER TABLE leads ADD COLUMN assigned_rule_id TEXT`,
  `ALTER TABLE leads ADD COLUMN assigned_at INTEGER`,
  `CREATE INDEX leads_assigned_at ON leads(assigned_at, owner_id) WHERE assigned_at IS NOT NULL`,
  // Least-loaded pools count open leads per rep.
  `CREATE INDEX leads_live_owner_status ON leads(owner_id, status) WHERE deleted_at IS NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
