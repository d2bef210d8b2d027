// Reports (F9): the funnel, source and event performance, win rates and lost reasons, the
// sales cycle and rep activity — each a few grouped SQL queries over the whole database,
// so the Reports page and `leadbook report …` give the same numbers from one place.
//
// Definitions (docs/architecture.md › Reports): the funnel follows the leads created in
// the range to where they are now — contacted = any status but new, qualified =
// qualified or converted, converted, won = converted and its opportunity won. Source and
// event rows are that same cohort, plus deals created directly in the range. Win rates
// and lost reasons are deals closed in the range; the cycle, conversions and wins in the
// range and stage stays that ended in it.
import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  CycleReport,
  FunnelReport,
  RepActivityRow,
  ReportQuery,
  SourceRow,
  SourcesReport,
  WinRateRow,
  WinRatesReport,
} from '../contract/index.js';
import {
  funnelSteps,
  histogramMedian,
  mergeHistograms,
  type DayCount,
} from '../domain/forecast.js';
import { listCustomFields } from './customValues.js';
import type { Reader } from '../store/readQuery.js';
import {
  cachedPerInput,
  dayHistograms,
  endedStaysSql,
  inStages,
  instantRange,
  monthOf,
  MoneyTotal,
  rawRows,
} from './reportQuery.js';
import { readTeamSettings } from './settings.js';

const DAY = 86_400_000;
/** Milliseconds per day as a REAL literal: day counts keep their fraction. */
const DAYS = sql.raw('86400000.0');
const UNTOUCHED_DAYS = 14;

/** The report's filters on leads (`l`) or opportunities (`o`), as SQL. */
function filterSql(q: ReportQuery, alias: 'l' | 'o', dateColumn: string): Expression<SqlBool> {
  const { from, to } = instantRange(q);
  const parts = [sql`${sql.ref(`${alias}.deleted_at`)} IS NULL`];
  const col = sql.ref(`${alias}.${dateColumn}`);
  if (from !== null) parts.push(sql`${col} >= ${from}`);
  if (to !== null) parts.push(sql`${col} < ${to}`);
  if (q.owner_id?.length)
    parts.push(sql`${sql.ref(`${alias}.owner_id`)} IN (${sql.join(q.owner_id)})`);
  if (q.source?.length) parts.push(sql`${sql.ref(`${alias}.source`)} IN (${sql.join(q.source)})`);
  if (q.campaign_id?.length)
    parts.push(sql`${sql.ref(`${alias}.campaign_id`)} IN (${sql.join(q.campaign_id)})`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

interface CountRow {
  source: string | null;
  campaign: string | null;
  leads: number;
  contacted: number;
  qualified: number;
  converted: number;
}
interface WonRow {
  source: string | null;
  campaign: string | null;
  currency: string | null;
  won: number;
  revenue: number | null;
}

/** The leads created in the range by source and event — from the covering index in group
 * order (migration 0008) — and the won deals they became, by currency. The funnel and the
 * source table both come from these few hundred rows. */
function cohort(r: Reader, q: ReportQuery): { counts: CountRow[]; won: WonRow[] } {
  const counts = rawRows<CountRow>(
    r,
    sql`SELECT l.source AS source, l.campaign_id AS campaign, count(*) AS leads,
          sum(l.status <> 'new') AS contacted,
          sum(l.status IN ('qualified', 'converted')) AS qualified,
          sum(l.status = 'converted') AS converted
        FROM leads l INDEXED BY leads_report
        WHERE l.created_at >= 0 AND ${filterSql(q, 'l', 'created_at')}
        GROUP BY l.source, l.campaign_id`,
  );
  const won = rawRows<WonRow>(
    r,
    sql`SELECT l.source AS source, l.campaign_id AS campaign, o.currency AS currency,
          count(*) AS won, sum(o.amount) AS revenue
        FROM opportunities o CROSS JOIN leads l ON l.id = o.lead_id
        WHERE ${inStages('won')} AND o.deleted_at IS NULL
          AND l.status = 'converted' AND l.converted_opportunity_id = o.id
          AND ${filterSql(q, 'l', 'created_at')}
        GROUP BY l.source, l.campaign_id, o.currency`,
  );
  return { counts, won };
}

interface Counts {
  leads: number;
  contacted: number;
  qualified: number;
  converted: number;
  won: number;
}
const zero = (): Counts => ({ leads: 0, contacted: 0, qualified: 0, converted: 0, won: 0 });
function addCounts(into: Counts, row: Partial<Counts>): Counts {
  into.leads += Number(row.leads ?? 0);
  into.contacted += Number(row.contacted ?? 0);
  into.qualified += Number(row.qualified ?? 0);
  into.converted += Number(row.converted ?? 0);
  into.won += Number(row.won ?? 0);
  return into;
}

function campaignNames(r: Reader, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (!wanted.length)
    return new Map<string, { name: string; cost: number | null; currency: string | null }>();
  return new Map(
    r
      .all(
        r.qb
          .selectFrom('campaigns')
          .select(['id', 'name', 'cost', 'currency'])
          .where('id', 'in', wanted),
      )
      .map((c) => [c.id, { name: c.name ?? '', cost: c.cost, currency: c.currency }]),
  );
}

export function funnelReport(r: Reader, q: ReportQuery): FunnelReport {
  const { counts, won } = cohort(r, q);
  const total = zero();
  const bySource = new Map<string | null, Counts>();
  const byEvent = new Map<string | null, Counts>();
  const at = (m: Map<string | null, Counts>, key: string | null) =>
    m.get(key) ?? m.set(key, zero()).get(key)!;
  for (const row of [...counts, ...won]) {
    addCounts(total, row);
    addCounts(at(bySource, row.source), row);
    addCounts(at(byEvent, row.campaign), row);
  }
  const names = campaignNames(r, [...byEvent.keys()]);
  const biggestFirst = <K>(m: Map<K, Counts>) => [...m].sort((a, b) => b[1].leads - a[1].leads);
  const byField = q.groupBy ? funnelByField(r, q, q.groupBy.slice(3)) : undefined;
  return {
    ...(byField ? { byField } : {}),
    steps: funnelSteps(total),
    bySource: biggestFirst(bySource).map(([source, c]) => ({ source, steps: funnelSteps(c) })),
    byEvent: biggestFirst(byEvent).map(([campaignId, c]) => ({
      campaignId,
      name: campaignId ? (names.get(campaignId)?.name ?? null) : null,
      steps: funnelSteps(c),
    })),
  };
}

/** The funnel per value of a custom field: the same cohort, grouped by each lead's value
 * (one row per lead and field, so a join adds no rows). */
function funnelByField(r: Reader, q: ReportQuery, key: string): FunnelReport['byField'] {
  const field = listCustomFields(r).find((f) => f.key === key);
  if (!field) return { field: `cf.${key}`, rows: [] };
  const value = sql`(SELECT cv.value FROM custom_values cv WHERE cv.lead_id = l.id AND cv.field_id = ${field.id} AND cv.deleted_at IS NULL)`;
  const counts = rawRows<Omit<CountRow, 'source' | 'campaign'> & { value: string | null }>(
    r,
    sql`SELECT ${value} AS value, count(*) AS leads,
          sum(l.status <> 'new') AS contacted,
          sum(l.status IN ('qualified', 'converted')) AS qualified,
          sum(l.status = 'converted') AS converted
        FROM leads l
        WHERE l.created_at >= 0 AND ${filterSql(q, 'l', 'created_at')}
        GROUP BY 1`,
  );
  const won = rawRows<{ value: string | null; won: number }>(
    r,
    sql`SELECT ${value} AS value, count(*) AS won
        FROM opportunities o CROSS JOIN leads l ON l.id = o.lead_id
        WHERE ${inStages('won')} AND o.deleted_at IS NULL
          AND l.status = 'converted' AND l.converted_opportunity_id = o.id
          AND ${filterSql(q, 'l', 'created_at')}
        GROUP BY 1`,
  );
  const byValue = new Map<string | null, Counts>();
  const at = (v: string | null) => byValue.get(v) ?? byValue.set(v, zero()).get(v)!;
  for (const row of counts) addCounts(at(row.value), row);
  for (const row of won) addCounts(at(row.value), { won: row.won });
  return {
    field: `cf.${key}`,
    rows: [...byValue]
      .sort((a, b) => b[1].leads - a[1].leads)
      .map(([v, c]) => ({ value: v, steps: funnelSteps(c) })),
  };
}

export function sourcesReport(r: Reader, q: ReportQuery): SourcesReport {
  const settings = readTeamSettings(r);
  const missing = new Set<string>();
  const money = () => new MoneyTotal(settings.currency, settings.exchangeRates, missing);
  const { counts, won } = cohort(r, q);
  // Deals created directly (no lead) in the range count for their own source and event.
  const direct = rawRows<WonRow>(
    r,
    sql`SELECT o.source AS source, o.campaign_id AS campaign, o.currency AS currency,
          count(*) AS won, sum(o.amount) AS revenue
        FROM opportunities o
        WHERE ${inStages('won')} AND o.lead_id IS NULL AND ${filterSql(q, 'o', 'created_at')}
        GROUP BY o.source, o.campaign_id, o.currency`,
  );
  interface Acc {
    counts: Counts;
    revenue: MoneyTotal;
  }
  const acc = (m: Map<string | null, Acc>, key: string | null) =>
    m.get(key) ?? m.set(key, { counts: zero(), revenue: money() }).get(key)!;
  const bySource = new Map<string | null, Acc>();
  const byEvent = new Map<string | null, Acc>();
  for (const row of counts)
    for (const a of [acc(bySource, row.source), acc(byEvent, row.campaign)])
      addCounts(a.counts, row);
  for (const row of [...won, ...direct])
    for (const a of [acc(bySource, row.source), acc(byEvent, row.campaign)]) {
      a.counts.won += Number(row.won);
      a.revenue.add(row.revenue, row.currency);
    }
  const events = campaignNames(r, [...byEvent.keys()]);
  const toRow = (kind: 'source' | 'event', key: string | null, a: Acc): SourceRow => {
    const c = a.counts;
    const event = kind === 'event' && key ? events.get(key) : undefined;
    const cost = event?.cost ? money().add(event.cost, event.currency).amount : null;
    const per = (n: number) =>
      cost !== null && n > 0 ? { amount: Math.round(cost / n), currency: settings.currency } : null;
    return {
      kind,
      key,
      name: kind === 'event' ? (event?.name ?? null) : key,
      leads: c.leads,
      converted: c.converted,
      conversionRate: c.leads > 0 ? c.converted / c.leads : null,
      won: c.won,
      wonRevenue: { amount: a.revenue.amount, currency: settings.currency },
      cost: cost === null ? null : { amount: cost, currency: settings.currency },
      costPerLead: per(c.leads),
      costPerWon: per(c.won),
      roi: cost !== null && cost > 0 ? (a.revenue.amount - cost) / cost : null,
    };
  };
  const sorted = (m: Map<string | null, Acc>, kind: 'source' | 'event') =>
    [...m]
      .map(([key, a]) => toRow(kind, key, a))
      .sort((x, y) => y.wonRevenue.amount - x.wonRevenue.amount || y.leads - x.leads);
  return {
    currency: settings.currency,
    rows: [...sorted(bySource, 'source'), ...sorted(byEvent, 'event')],
    missingRates: [...missing].sort(),
  };
}

function winRows(
  rows: { key: string | null; kind: string; n: number }[],
  nameOf: (key: string | null) => string | null,
): WinRateRow[] {
  const by = new Map<string | null, { won: number; lost: number }>();
  for (const row of rows) {
    const e = by.get(row.key) ?? by.set(row.key, { won: 0, lost: 0 }).get(row.key)!;
    if (row.kind === 'won') e.won += Number(row.n);
    else e.lost += Number(row.n);
  }
  return [...by]
    .map(([key, e]) => ({
      key,
      name: nameOf(key),
      won: e.won,
      lost: e.lost,
      rate: e.won + e.lost > 0 ? e.won / (e.won + e.lost) : null,
    }))
    .sort((a, b) => b.won + b.lost - (a.won + a.lost));
}

/** What the win rates read: closed deals' outcome, rep, source, event, reason and amount,
 * the stays, stage names, rep names, the currency and rates. Not leads: the Reports page
 * asks again after every change, and a lead edited elsewhere leaves these as they were. */
const winRateSources = [
  'stage_history',
  'stages',
  'users',
  'settings',
  ...[
    'stage_position',
    'closed_at',
    'deleted_at',
    'owner_id',
    'source',
    'campaign_id',
    'lost_reason',
    'amount',
    'currency',
  ].map((c) => `opportunities.${c}`),
];

export function winRatesReport(r: Reader, q: ReportQuery): WinRatesReport {
  return cachedPerInput(r, 'winRates', winRateSources, q, () => computeWinRates(r, q));
}

function computeWinRates(r: Reader, q: ReportQuery): WinRatesReport {
  const settings = readTeamSettings(r);
  const missing = new Set<string>();
  const closed = sql<SqlBool>`${inStages('won', 'lost')} AND o.closed_at IS NOT NULL
    AND ${filterSql(q, 'o', 'closed_at')}`;
  const grouped = rawRows<{ owner: string | null; source: string | null; kind: string; n: number }>(
    r,
    sql`SELECT o.owner_id AS owner, o.source AS source, s.kind AS kind, count(*) AS n
        FROM opportunities o JOIN stages s ON s.id = o.stage_id
        WHERE ${closed} GROUP BY o.owner_id, o.source, s.kind`,
  );
  // A closed deal has left every open stage it reached: those are its ended stays.
  const reached = rawRows<{ key: string; kind: string; n: number }>(
    r,
    sql`SELECT x.stage AS key, s.kind AS kind, count(DISTINCT o.id) AS n
        FROM opportunities o CROSS JOIN stages s ON s.id = o.stage_id
        CROSS JOIN (${endedStaysSql}) x ON x.deal = o.id
        WHERE ${closed} GROUP BY x.stage, s.kind`,
  );
  const reasons = rawRows<{
    reason: string | null;
    currency: string | null;
    n: number;
    amount: number | null;
  }>(
    r,
    sql`SELECT o.lost_reason AS reason, o.currency AS currency, count(*) AS n, sum(o.amount) AS amount
        FROM opportunities o JOIN stages s ON s.id = o.stage_id
        WHERE ${closed} AND s.kind = 'lost' GROUP BY o.lost_reason, o.currency`,
  );
  const users = new Map(
    r.all(r.qb.selectFrom('users').select(['id', 'name'])).map((u) => [u.id, u.name ?? '']),
  );
  const stages = r.all(r.qb.selectFrom('stages').selectAll());
  const openStages = new Map(stages.filter((s) => s.kind === 'open').map((s) => [s.id, s]));
  const byReason = new Map<string, { count: number; amount: MoneyTotal }>();
  for (const row of reasons) {
    const key = row.reason?.trim() || '';
    const e =
      byReason.get(key) ??
      byReason
        .set(key, {
          count: 0,
          amount: new MoneyTotal(settings.currency, settings.exchangeRates, missing),
        })
        .get(key)!;
    e.count += Number(row.n);
    e.amount.add(row.amount, row.currency);
  }
  const stageOrder = (key: string | null) => openStages.get(key ?? '')?.sort_order ?? 0;
  return {
    byOwner: winRows(
      grouped.map((g) => ({ key: g.owner, kind: g.kind, n: g.n })),
      (k) => (k ? (users.get(k) ?? null) : null),
    ),
    bySource: winRows(
      grouped.map((g) => ({ key: g.source, kind: g.kind, n: g.n })),
      (k) => k,
    ),
    // Only the open stages: "reached 成交" says nothing.
    byStageReached: winRows(
      reached.filter((x) => openStages.has(x.key)),
      (k) => (k ? (openStages.get(k)?.name_zh ?? null) : null),
    ).sort((a, b) => stageOrder(a.key) - stageOrder(b.key)),
    lostReasons: [...byReason]
      .map(([reason, e]) => ({
        reason,
        count: e.count,
        amount: { amount: e.amount.amount, currency: settings.currency },
      }))
      .sort((a, b) => b.count - a.count || b.amount.amount - a.amount.amount),
    missingRates: [...missing].sort(),
  };
}

export function cycleReport(r: Reader, q: ReportQuery): CycleReport {
  const leadDays = sql`SELECT ${monthOf('l.converted_at', q.utcOffset)} AS key,
      (l.converted_at - l.created_at) / ${DAYS} AS value
    FROM leads l INDEXED BY leads_converted WHERE l.status = 'converted' AND l.converted_at >= 0 AND l.converted_at IS NOT NULL
      AND ${filterSql(q, 'l', 'converted_at')}`;
  const wonDays = sql`SELECT ${monthOf('o.closed_at', q.utcOffset)} AS key,
      (o.closed_at - o.created_at) / ${DAYS} AS value
    FROM opportunities o
    WHERE ${inStages('won')} AND o.closed_at IS NOT NULL AND ${filterSql(q, 'o', 'closed_at')}`;
  const leadByMonth = dayHistograms(r, leadDays);
  const wonByMonth = dayHistograms(r, wonDays);
  const { from, to } = instantRange(q);
  // Stays that ended in the range, of the deals asked about. For one rep, source or event:
  // those deals first, then each one's stays off the covering index. For everyone: every
  // stay but a deleted deal's (a few) — one pass, no lookup per deal.
  const ended = sql`${from !== null ? sql`AND x.ended >= ${from}` : sql``}
      ${to !== null ? sql`AND x.ended < ${to}` : sql``}`;
  const narrowed = Boolean(q.owner_id?.length || q.source?.length || q.campaign_id?.length);
  const stays = narrowed
    ? sql`WITH deals AS MATERIALIZED (
          SELECT o.id AS id FROM opportunities o
          WHERE ${filterSql({ ...q, from: undefined, to: undefined }, 'o', 'created_at')}
        )
        SELECT stage AS key, (ended - started) / ${DAYS} AS value
        FROM deals d CROSS JOIN (${endedStaysSql}) x ON x.deal = d.id
        WHERE 1 ${ended}`
    : sql`SELECT stage AS key, (ended - started) / ${DAYS} AS value
        FROM (${endedStaysSql}) x
        WHERE x.deal NOT IN (SELECT id FROM opportunities WHERE deleted_at IS NOT NULL) ${ended}`;
  const perStage = cachedPerInput(
    r,
    'cycle.stays',
    // The stays, and the deal fields the filters read.
    [
      'stage_history',
      'opportunities.owner_id',
      'opportunities.source',
      'opportunities.campaign_id',
      'opportunities.deleted_at',
    ],
    q,
    () => dayHistograms(r, stays),
  );
  const stages = r.all(
    r.qb
      .selectFrom('stages')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('kind', '=', 'open')
      .orderBy('sort_order'),
  );
  const summary = (byMonth: Map<string | null, DayCount[]>) => {
    const all = mergeHistograms(byMonth.values());
    return {
      medianDays: histogramMedian(all),
      count: all.reduce((n, h) => n + h.count, 0),
    };
  };
  const months = [...new Set([...leadByMonth.keys(), ...wonByMonth.keys()])]
    .filter((m): m is string => m !== null)
    .sort();
  return {
    leadToOpportunity: summary(leadByMonth),
    opportunityToWon: summary(wonByMonth),
    timeInStage: stages.map((s) => ({
      stageId: s.id,
      name_zh: s.name_zh ?? '',
      name_en: s.name_en ?? '',
      medianDays: histogramMedian(perStage.get(s.id) ?? []),
      count: (perStage.get(s.id) ?? []).reduce((n, h) => n + h.count, 0),
    })),
    trend: months.map((month) => ({
      month,
      leadToOpportunityDays: histogramMedian(leadByMonth.get(month) ?? []),
      opportunityToWonDays: histogramMedian(wonByMonth.get(month) ?? []),
    })),
  };
}

/** Per rep: activities logged in the range, tasks overdue now, open leads nobody has
 * touched for 14 days. */
/** SQL: when an activity happened — a call, email, meeting or note when it occurred (when
 * it was written down, if no time was given), a task when it was done (null while open).
 * Written exactly as in the index `activities_logged` (migration 0010), with no bound
 * parameter, so SQLite reads it from there. */
const activityMoment = sql.raw(
  `(CASE WHEN a.kind = 'task' THEN a.done_at ELSE coalesce(a.occurred_at, a.done_at, a.created_at) END)`,
);

export function repActivityReport(r: Reader, q: ReportQuery, now: number): RepActivityRow[] {
  const { from, to } = instantRange(q);
  // Per rep, a count of index entries in the range (reps are few).
  const logged = rawRows<{ owner: string | null; n: number }>(
    r,
    sql`SELECT u.id AS owner, (
          SELECT count(*) FROM activities a INDEXED BY activities_logged
          WHERE a.owner_id = u.id AND a.deleted_at IS NULL
            AND ${activityMoment} ${from !== null ? sql`>= ${from}` : sql`IS NOT NULL`}
            ${to !== null ? sql`AND ${activityMoment} < ${to}` : sql``}
        ) AS n
        FROM users u WHERE u.deleted_at IS NULL`,
  );
  const overdue = rawRows<{ owner: string | null; n: number }>(
    r,
    sql`SELECT a.owner_id AS owner, count(*) AS n FROM activities a
        WHERE a.kind = 'task' AND a.done_at IS NULL AND a.deleted_at IS NULL AND a.due_at < ${now}
        GROUP BY a.owner_id`,
  );
  const cutoff = now - UNTOUCHED_DAYS * DAY;
  // Untouched: open leads older than the cutoff (off the covering report index) less the
  // few with an activity written or completed since — found from those activities (each
  // time off its own index) and matched by rowid, so neither side reads a lead row.
  const untouched = rawRows<{ owner: string | null; n: number }>(
    r,
    sql`SELECT l.owner_id AS owner, count(*) AS n FROM leads l INDEXED BY leads_report
        WHERE l.deleted_at IS NULL AND l.status IN ('new', 'contacted', 'qualified')
          AND l.created_at >= 0 AND l.created_at < ${cutoff}
          AND l.rowid NOT IN (
            SELECT t.rowid FROM activities a CROSS JOIN leads t ON t.id = a.lead_id
            WHERE a.deleted_at IS NULL AND a.created_at >= ${cutoff}
            UNION
            SELECT t.rowid FROM activities a CROSS JOIN leads t ON t.id = a.lead_id
            WHERE a.deleted_at IS NULL AND a.done_at >= ${cutoff})
        GROUP BY l.owner_id`,
  );
  const count = (rows: { owner: string | null; n: number }[]) =>
    new Map(rows.filter((x) => Number(x.n) > 0).map((x) => [x.owner, Number(x.n)]));
  const [a, o, u] = [count(logged), count(overdue), count(untouched)];
  let users = r.all(
    r.qb
      .selectFrom('users')
      .select(['id', 'name', 'active'])
      .where('deleted_at', 'is', null)
      .orderBy('name'),
  );
  if (q.owner_id?.length) users = users.filter((x) => q.owner_id!.includes(x.id));
  return users
    .filter((x) => x.active !== 0 || a.has(x.id) || o.has(x.id) || u.has(x.id))
    .map((x) => ({
      userId: x.id,
      name: x.name ?? '',
      activities: a.get(x.id) ?? 0,
      overdueTasks: o.get(x.id) ?? 0,
      untouchedLeads: u.get(x.id) ?? 0,
    }));
}
