// Each stage-history entry keeps when its deal left that stage (`left_at`: the time of the
// deal's next live entry; null for the stage it is in now, and for deleted entries), so a
// stay in a stage is one row, not a window over every entry: the cycle report and the
// forecast's learned win rates read ended stays off one covering index instead of numbering
// all 91 000 entries with a window function after every change.
//
// Triggers keep it, not the use cases: history is written by moves, conversions, edits,
// deletions, restores and by changes merged from other devices (in any order), and a
// trigger is the one place every one of those paths passes. `left_at` is derived, like a
// lead's score: never logged, never synced; each device computes the same value.
import { sql, type Kysely } from 'kysely';

/** The end of the entry `stage_history` (the row being updated): the next live entry of
 * its deal in (time, id) order — the id breaks ties so every device agrees. */
const leftAt = `CASE WHEN stage_history.deleted_at IS NULL THEN (
    SELECT n.changed_at FROM stage_history n
    WHERE n.opportunity_id = stage_history.opportunity_id AND n.deleted_at IS NULL
      AND (n.changed_at, n.id) > (stage_history.changed_at, stage_history.id)
    ORDER BY n.changed_at, n.id LIMIT 1) END`;

/** Recomputes the ends of one deal's entries (a deal has a handful). */
const refresh = (deal: string) =>
  `UPDATE stage_history SET left_at = ${leftAt}
   WHERE opportunity_id = ${deal} AND left_at IS NOT ${leftAt};`;

const statements = [
  `ALTER TABLE stage_history ADD COLUMN left_at INTEGER`,
  `UPDATE stage_history SET left_at = ${leftAt}`,
  // The trigger's UPDATE sets only left_at, which the UPDATE trigger does not watch: no
  // recursion.
  `CREATE TRIGGER stage_history_left_at_insert AFTER INSERT ON stage_history BEGIN
     ${refresh('NEW.opportunity_id')}
   END`,
  `CREATE TRIGGER stage_history_left_at_update
     AFTER UPDATE OF opportunity_id, changed_at, deleted_at ON stage_history BEGIN
     ${refresh('NEW.opportunity_id')}
     ${refresh('OLD.opportunity_id')}
   END`,
  `CREATE TRIGGER stage_history_left_at_delete AFTER DELETE ON stage_history BEGIN
     ${refresh('OLD.opportunity_id')}
   END`,
  // Ended stays by deal, then by when they ended: the reports take the deals they ask about
  // (closed ones, one rep's) and look up each one's stays here, in the date range, without
  // touching the table — cheaper than matching 65 000 stays to the deals one by one.
  `CREATE INDEX stage_history_ended
     ON stage_history(opportunity_id, left_at, changed_at, to_stage_id, deleted_at)
     WHERE deleted_at IS NULL AND left_at IS NOT NULL`,
  // The window over every entry this index served is gone.
  `DROP INDEX stage_history_stays`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
