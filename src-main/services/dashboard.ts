// The home page (F8/F9 for a rep's morning): this month's forecast against the target,
// the hottest open leads to call, tasks past due, and deals sitting too long in a stage.
// A few small queries, each off an index, each capped at 10 rows.
import { sql, type SqlBool } from 'kysely';
import type { z } from 'zod';
import { forecastInput, type DashboardReport, type dashboardInput } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import { forecastReport } from './forecast.js';
import { inStages, rawRows } from './reportQuery.js';
import { readTeamSettings } from './settings.js';

const DAY = 86_400_000;
const SHOWN = 10;

export function dashboardReport(
  r: Reader,
  input: z.output<typeof dashboardInput>,
  now: number,
): DashboardReport {
  const owner = input.owner_id;
  // From now on (no start given): deals still open past their expected close count in
  // this month, as on the Forecast page; the first bucket is this month.
  const forecast = forecastReport(
    r,
    forecastInput.parse({ utcOffset: input.utcOffset, ...(owner ? { owner_id: [owner] } : {}) }),
    now,
    false,
  );
  const mine = (alias: string): ReturnType<typeof sql<SqlBool>> =>
    owner ? sql<SqlBool>`${sql.ref(`${alias}.owner_id`)} = ${owner}` : sql<SqlBool>`1`;
  const hotLeads = rawRows<DashboardReport['hotLeads'][number]>(
    r,
    sql`SELECT l.id AS id, l.name AS name, l.company AS company, l.score AS score,
          coalesce(l.mobile, l.phone) AS phone, l.status AS status
        FROM leads l
        WHERE l.deleted_at IS NULL AND l.grade = 'hot'
          AND l.status IN ('new', 'contacted', 'qualified') AND ${mine('l')}
        ORDER BY l.score DESC, l.id LIMIT ${SHOWN}`,
  );
  const overdueTasks = rawRows<DashboardReport['overdueTasks'][number]>(
    r,
    sql`SELECT a.id AS id, a.subject AS subject, a.due_at AS dueAt, a.lead_id AS leadId,
          a.opportunity_id AS opportunityId
        FROM activities a
        WHERE a.kind = 'task' AND a.done_at IS NULL AND a.deleted_at IS NULL
          AND a.due_at < ${now} AND ${mine('a')}
        ORDER BY a.due_at LIMIT ${SHOWN}`,
  );
  // Stale: longer in an open stage than its "stale after" days (from the stage history).
  const staleDeals = rawRows<DashboardReport['staleDeals'][number]>(
    r,
    sql`SELECT e.id AS id, e.name AS name, e.stage_id AS stageId,
          CAST((${now} - e.entered) / ${DAY} AS INTEGER) AS daysInStage,
          e.amount AS amount, e.currency AS currency
        FROM (
          SELECT o.id AS id, o.name AS name, o.stage_id AS stage_id, o.amount AS amount,
                 o.currency AS currency,
                 (SELECT max(h.changed_at) FROM stage_history h
                   WHERE h.opportunity_id = o.id AND h.deleted_at IS NULL) AS entered
          FROM opportunities o
          WHERE ${inStages('open')} AND o.deleted_at IS NULL AND ${mine('o')}
        ) e
        JOIN stages s ON s.id = e.stage_id
        WHERE s.stale_days IS NOT NULL AND ${now} - e.entered > s.stale_days * ${DAY}
        ORDER BY e.amount DESC NULLS LAST, e.id LIMIT ${SHOWN}`,
  );
  return {
    currency: readTeamSettings(r).currency,
    month: forecast.buckets[0]!,
    hotLeads,
    overdueTasks,
    staleDeals,
  };
}
