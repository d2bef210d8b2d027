// Open tasks are few next to all activities (a demo team logs 200 000 calls and notes for
// 20 000 tasks), and "which leads have an overdue task" is asked by the leads list, the
// agenda and the dashboard. Two partial indexes over open tasks only: by due date (the
// overdue set, read without touching the table) and by lead (does this lead have one?).
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE INDEX activities_open_task_due ON activities(due_at, lead_id)
     WHERE kind = 'task' AND done_at IS NULL AND deleted_at IS NULL`,
  `CREATE INDEX activities_open_task_lead ON activities(lead_id, due_at)
     WHERE kind = 'task' AND done_at IS NULL AND deleted_at IS NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
