// Stage stays as rows. Each stage-history entry keeps
// - when its deal left that stage (`left_at`: the time of the deal's next live entry; null
//   for the stage it is in now, for deleted entries and for an entry known only in part),
// - how its deal ended (`deal_outcome`: 'won' or 'lost' while the deal is live, closed and
//   in a won or lost stage; else null),
// so the cycle report reads ended stays off one covering index instead of numbering all
// 91 000 entries with a window function, and the forecast's learned win rates are one scan
// of an index already in (stage, days) order — no join to the deals, no sort.
//
// Triggers keep both, not the use cases: history and deals are written by moves,
// conversions, edits, deletions, restores, stage settings and by changes merged from other
// devices (in any order), and a trigger is the one place every one of those paths passes.
// Both columns are derived, like a lead's score: never logged, never synced; each device
// computes the same values.
import { sql, type Kysely } from 'kysely';

/** The end of the entry `stage_history` (the row being updated): the next live entry of
 * its deal in (time, id) order — the id breaks ties so every device agrees. */
const leftAt = `CASE WHEN stage_history.deleted_at IS NULL THEN (
    SELECT n.changed_at FROM stage_history n
    WHERE n.opportunity_id = stage_history.opportunity_id AND n.deleted_at IS NULL
      AND (n.changed_at, n.id) > (stage_history.changed_at, stage_history.id)
    ORDER BY n.changed_at, n.id LIMIT 1) END`;

/** How the deal `deal` (an SQL expression) ended, as the reports define a closed deal. */
const outcomeOf = (deal: string) => `(SELECT s.kind FROM opportunities o
    JOIN stages s ON s.id = o.stage_id
    WHERE o.id = ${deal} AND o.deleted_at IS NULL AND o.closed_at IS NOT NULL
      AND s.kind IN ('won', 'lost'))`;

/** Recomputes the ends of one deal's entries (a deal has a handful). */
const refreshEnds = (deal: string) =>
  `UPDATE stage_history SET left_at = ${leftAt}
   WHERE opportunity_id = ${deal} AND left_at IS NOT ${leftAt};`;

/** Stamps one deal's entries with how it ended. */
const refreshOutcome = (deal: string) =>
  `UPDATE stage_history SET deal_outcome = ${outcomeOf(deal)}
   WHERE opportunity_id = ${deal} AND deal_outcome IS NOT ${outcomeOf(deal)};`;

const statements = [
  `ALTER TABLE stage_history ADD COLUMN left_at INTEGER`,
  `ALTER TABLE stage_history ADD COLUMN deal_outcome TEXT`,
  `UPDATE stage_history SET left_at = ${leftAt},
     deal_outcome = ${outcomeOf('stage_history.opportunity_id')}`,
  // The triggers' UPDATEs set only left_at and deal_outcome, which no trigger watches: no
  // recursion.
  `CREATE TRIGGER stage_history_stays_insert AFTER INSERT ON stage_history BEGIN
     ${refreshEnds('NEW.opportunity_id')}
     ${refreshOutcome('NEW.opportunity_id')}
   END`,
  `CREATE TRIGGER stage_history_stays_update
     AFTER UPDATE OF opportunity_id, changed_at, deleted_at ON stage_history BEGIN
     ${refreshEnds('NEW.opportunity_id')}
     ${refreshEnds('OLD.opportunity_id')}
     ${refreshOutcome('NEW.opportunity_id')}
   END`,
  `CREATE TRIGGER stage_history_stays_delete AFTER DELETE ON stage_history BEGIN
     ${refreshEnds('OLD.opportunity_id')}
   END`,
  // A deal closed, reopened, moved, deleted or restored — or arriving after its history.
  `CREATE TRIGGER opportunities_outcome_insert AFTER INSERT ON opportunities BEGIN
     ${refreshOutcome('NEW.id')}
   END`,
  `CREATE TRIGGER opportunities_outcome_update
     AFTER UPDATE OF stage_position, closed_at, deleted_at ON opportunities BEGIN
     ${refreshOutcome('NEW.id')}
   END`,
  // A stage that turns from open to won (or arrives after the deals in it).
  `CREATE TRIGGER stages_outcome_insert AFTER INSERT ON stages BEGIN
     UPDATE stage_history SET deal_outcome = ${outcomeOf('stage_history.opportunity_id')}
     WHERE opportunity_id IN (SELECT id FROM opportunities WHERE stage_id = NEW.id);
   END`,
  `CREATE TRIGGER stages_outcome_update AFTER UPDATE OF kind ON stages BEGIN
     UPDATE stage_history SET deal_outcome = ${outcomeOf('stage_history.opportunity_id')}
     WHERE opportunity_id IN (SELECT id FROM opportunities WHERE stage_id = NEW.id);
   END`,
  // Ended stays by deal, then by when they ended: the cycle report takes the deals it asks
  // about and looks up each one's stays here, in the date range, without touching the table.
  `CREATE INDEX stage_history_ended
     ON stage_history(opportunity_id, left_at, changed_at, to_stage_id, deleted_at)
     WHERE deleted_at IS NULL AND left_at IS NOT NULL`,
  // Closed deals' ended stays by stage and whole days: the learned win rates group them in
  // index order. The expression must be written the same way in the query.
  `CREATE INDEX stage_history_learned
     ON stage_history(to_stage_id, (left_at - changed_at) / 86400000, deal_outcome)
     WHERE deleted_at IS NULL AND left_at IS NOT NULL AND deal_outcome IS NOT NULL`,
  // The window over every entry this index served is gone.
  `DROP INDEX stage_history_stays`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Leadbook migrations are forward-only; restore a backup instead.');
}
