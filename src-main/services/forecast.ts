// The forecast (F8): open deals by expected close month or quarter, weighted by their
// probability (the stage's, or the rep's override) and by the probability learned from
// the team's own closed deals; commit / best case / pipeline / omitted; closed-won
// against targets; per rep; and a backtest of the method on the last closed quarter.
import { sql, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type {
  ForecastBacktest,
  ForecastBucket,
  ForecastCategory,
  ForecastDeal,
  ForecastDealSort,
  forecastInput,
  ForecastReport,
  ForecastRepRow,
  StageForecastStats,
} from '../contract/index.js';
import {
  attainment,
  categoryFor,
  learnedWinRate,
  monthsOfQuarter,
  periodOf,
  periodsBetween,
  stayBucketOf,
  toBase,
  type StayBucket,
} from '../domain/forecast.js';
import { effectiveProbability } from '../domain/stageTime.js';
import { loggedValuesAsOf } from './asOf.js';
import type { Reader } from '../store/readQuery.js';
import { dayStart, endedStaysSql, inStages, localDay, monthOf, rawRows } from './reportQuery.js';
import { readTeamSettings } from './settings.js';

type Input = z.output<typeof forecastInput>;

const DAY = 86_400_000;
/** Fewer closed stays than this and the learned probability is not shown. */
export const MIN_HISTORY = 10;

type StayDayRow = { stage: string; days: number; won: number; lost: number };

/** Stays of the closed deals in each stage, by outcome and length — one scan of the
 * index `stage_history_learned`, which holds them in (stage, whole days) order with the
 * deal's outcome (kept by triggers, migration 0009): no join, no sort (~12 ms for 60 000
 * stays, against ~90 ms joining them to the deals). */
function learnedStayBuckets(r: Reader): Map<string, StayBucket[]> {
  // The day expression is written exactly as in the index, with no bound parameter, or
  // SQLite cannot read it from there.
  const days = sql.raw('(h.left_at - h.changed_at) / 86400000');
  return toStayBuckets(
    rawRows<StayDayRow>(
      r,
      sql`SELECT h.to_stage_id AS stage, ${days} AS days,
            sum(h.deal_outcome = 'won') AS won, sum(h.deal_outcome = 'lost') AS lost
          FROM stage_history h INDEXED BY stage_history_learned
          WHERE h.deleted_at IS NULL AND h.left_at IS NOT NULL AND h.deal_outcome IS NOT NULL
          GROUP BY h.to_stage_id, ${days}`,
    ),
  );
}

/** The same for the deals closed before `closedBefore` only — what was known then (the
 * backtest): their outcome from the deals, their stays deal by deal. */
function stayBucketsClosedBefore(r: Reader, closedBefore: number): Map<string, StayBucket[]> {
  return toStayBuckets(
    rawRows<StayDayRow>(
      r,
      sql`WITH closed AS MATERIALIZED (
            SELECT o.id AS id, s.kind AS kind
            FROM opportunities o CROSS JOIN stages s ON s.id = o.stage_id
            WHERE ${inStages('won', 'lost')} AND o.deleted_at IS NULL
              AND o.closed_at IS NOT NULL AND o.closed_at < ${closedBefore}
          )
          SELECT x.stage AS stage, (x.ended - x.started) / ${DAY} AS days,
            sum(c.kind = 'won') AS won, sum(c.kind = 'lost') AS lost
          FROM closed c CROSS JOIN (${endedStaysSql}) x ON x.deal = c.id
          GROUP BY x.stage, 2`,
    ),
  );
}

/** Stays counted by whole days → the day buckets of domain/forecast, per stage. */
function toStayBuckets(rows: StayDayRow[]): Map<string, StayBucket[]> {
  const byStage = new Map<string, Map<number, StayBucket>>();
  for (const row of rows) {
    const buckets = byStage.get(row.stage) ?? byStage.set(row.stage, new Map()).get(row.stage)!;
    const days = stayBucketOf(Math.max(0, Number(row.days)));
    const b = buckets.get(days) ?? buckets.set(days, { days, won: 0, lost: 0 }).get(days)!;
    b.won += Number(row.won);
    b.lost += Number(row.lost);
  }
  return new Map([...byStage].map(([stage, buckets]) => [stage, [...buckets.values()]]));
}

/** The deal list shows this many at most (the count says how many match). */
const MAX_DEALS_LISTED = 200;

const byName = new Intl.Collator(['zh-CN', 'en'], { numeric: true });

/** Keys of each order; nulls (no learned rate, no close date) go last either way. */
const dealSortKey: Record<ForecastDealSort, (d: ForecastDeal) => number | string | null> = {
  weighted: (d) => d.weighted,
  predicted: (d) => d.predicted,
  amount: (d) => d.amount,
  probability: (d) => d.probability,
  learned: (d) => d.predictedProbability,
  close: (d) => d.expectedClose,
  name: (d) => d.name,
};

/** The counted deals matching the filter, in its order (ties: larger weighted first). */
function listDeals(deals: ForecastDeal[], filter: Input['dealFilter']): ForecastDeal[] {
  const key = dealSortKey[filter.sort];
  const sign = filter.descending ? -1 : 1;
  const compare = (a: ForecastDeal, b: ForecastDeal): number => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c =
      typeof x === 'string' && typeof y === 'string' ? byName.compare(x, y) : Number(x) - Number(y);
    return sign * c;
  };
  return deals
    .filter(
      (d) =>
        (!filter.period || periodContains(filter.period, d.period)) &&
        (!filter.category || d.category === filter.category),
    )
    .sort((a, b) => compare(a, b) || b.weighted - a.weighted || (a.id < b.id ? -1 : 1));
}

/** Whether a deal's period (month or quarter, as the report is asked) lies in `period`. */
function periodContains(period: string, dealPeriod: string): boolean {
  if (period === dealPeriod) return true;
  return (
    period.includes('Q') && !dealPeriod.includes('Q') && periodOf(dealPeriod, 'quarter') === period
  );
}

/** The first day of the month holding `day`, and the last day 11 months later. */
function defaultRange(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const endY = y + Math.floor((m - 1 + 11) / 12);
  const endM = ((m - 1 + 11) % 12) + 1;
  const last = new Date(Date.UTC(endY, endM, 0)).getUTCDate();
  return {
    from: `${today.slice(0, 7)}-01`,
    to: `${endY}-${String(endM).padStart(2, '0')}-${String(last).padStart(2, '0')}`,
  };
}

export function forecastReport(
  r: Reader,
  input: Input,
  now: number,
  /** Learn win rates from history (the costly part; the dashboard goes without). */
  learn = true,
): ForecastReport {
  const settings = readTeamSettings(r);
  const base = settings.currency;
  const rates = settings.exchangeRates;
  const missing = new Set<string>();
  const converted = new Set<string>();
  const inBase = (amount: number | null, currency: string | null): number | null => {
    if (amount === null) return null;
    const v = toBase(amount, currency, base, rates);
    if (v === null) missing.add(currency ?? '');
    else if (currency && currency !== base) converted.add(currency);
    return v;
  };
  const today = localDay(now, input.utcOffset);
  const range = defaultRange(today);
  const from = input.from ?? range.from;
  // Without a chosen start the forecast begins now, and deals still open past their
  // expected close count in the current period (they have not closed yet).
  const rollOverdue = input.from === undefined;
  const to = input.to ?? range.to;
  const gran = input.granularity;
  const owners = input.owner_id?.length ? input.owner_id : null;
  const ownerSql = owners ? sql<SqlBool>`o.owner_id IN (${sql.join(owners)})` : sql<SqlBool>`1`;

  const stages = r.all(r.qb.selectFrom('stages').selectAll());
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const buckets = learn ? learnedStayBuckets(r) : new Map<string, StayBucket[]>();
  const stageStats: StageForecastStats[] = stages
    .filter((s) => s.kind === 'open' && s.deleted_at === null)
    .sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0))
    .map((s) => {
      const learned = learnedWinRate(buckets.get(s.id) ?? [], 0, MIN_HISTORY);
      return {
        stageId: s.id,
        name_zh: s.name_zh ?? '',
        name_en: s.name_en ?? '',
        stageProbability: s.probability ?? 0,
        learnedProbability: learned.probability,
        basedOn: learned.basedOn,
      };
    });

  // The open deals expected to close in the range (a few thousand at most).
  const open = rawRows<{
    id: string;
    name: string;
    owner: string | null;
    stage: string;
    close: string | null;
    amount: number | null;
    currency: string | null;
    override: number | null;
    category: ForecastCategory | null;
    entered: number | null;
    created: number;
  }>(
    r,
    sql`SELECT o.id AS id, o.name AS name, o.owner_id AS owner, o.stage_id AS stage,
          o.expected_close_date AS close, o.amount AS amount, o.currency AS currency,
          o.probability_override AS override, o.forecast_category AS category,
          o.created_at AS created,
          (SELECT max(h.changed_at) FROM stage_history h
            WHERE h.opportunity_id = o.id AND h.deleted_at IS NULL) AS entered
        FROM opportunities o
        WHERE o.deleted_at IS NULL AND ${inStages('open')}
          AND ${rollOverdue ? sql`1` : sql`o.expected_close_date >= ${from}`}
          AND o.expected_close_date <= ${to}
          AND ${ownerSql}`,
  );
  const periods = periodsBetween(from, to, gran);
  const firstPeriod = periods[0]!;
  const emptyCategories = (): Record<ForecastCategory, number> => ({
    commit: 0,
    best_case: 0,
    pipeline: 0,
    omitted: 0,
  });
  const byPeriod = new Map<string, ForecastBucket>(
    periods.map((p) => [
      p,
      {
        period: p,
        pipeline: 0,
        weighted: 0,
        predicted: 0,
        byCategory: emptyCategories(),
        won: 0,
        target: null,
        attainment: null,
        gap: null,
      },
    ]),
  );
  const reps = new Map<string | null, ForecastRepRow>();
  const rep = (id: string | null) =>
    reps.get(id) ??
    reps
      .set(id, {
        userId: id,
        name: null,
        weighted: 0,
        predicted: 0,
        won: 0,
        target: null,
        attainment: null,
      })
      .get(id)!;
  const deals: ForecastDeal[] = [];
  for (const d of open) {
    const amount = inBase(d.amount, d.currency);
    if (amount === null || !d.close) continue;
    const stage = stageById.get(d.stage);
    const p = effectiveProbability(stage?.probability, d.override);
    const days = Math.floor((now - (d.entered ?? d.created)) / DAY);
    const learned = learnedWinRate(buckets.get(d.stage) ?? [], days, MIN_HISTORY);
    const predictedP = learned.probability !== null ? learned.probability * 100 : p.value;
    const category = categoryFor(p.value, settings.forecastThresholds, d.category);
    // An open deal whose expected close has passed is still expected: in this period.
    const period = periodOf(d.close, gran);
    const bucket = byPeriod.get(period < firstPeriod ? firstPeriod : period);
    const weighted = (amount * p.value) / 100;
    const predicted = (amount * predictedP) / 100;
    if (bucket) {
      bucket.pipeline += amount;
      bucket.weighted += weighted;
      bucket.predicted += predicted;
      bucket.byCategory[category] += amount;
    }
    const row = rep(d.owner);
    row.weighted += weighted;
    row.predicted += predicted;
    deals.push({
      id: d.id,
      name: d.name,
      ownerId: d.owner,
      stageId: d.stage,
      expectedClose: d.close,
      amount,
      originalAmount: d.amount,
      originalCurrency: d.currency,
      probability: p.value,
      predictedProbability: learned.probability === null ? null : learned.probability * 100,
      predictedBasedOn: learned.basedOn,
      category,
      categoryOverridden: d.category !== null,
      period: period < firstPeriod ? firstPeriod : period,
      weighted: Math.round(weighted),
      predicted: Math.round(predicted),
    });
  }

  // Closed-won in the range, by the asker's month.
  const fromInstant = dayStart(from, input.utcOffset);
  const toInstant = dayStart(to, input.utcOffset) + DAY;
  const won = rawRows<{
    month: string;
    owner: string | null;
    currency: string | null;
    amount: number;
  }>(
    r,
    sql`SELECT ${monthOf('o.closed_at', input.utcOffset)} AS month, o.owner_id AS owner,
          o.currency AS currency, sum(o.amount) AS amount
        FROM opportunities o
        WHERE o.deleted_at IS NULL AND ${inStages('won')} AND o.amount IS NOT NULL
          AND o.closed_at >= ${fromInstant} AND o.closed_at < ${toInstant} AND ${ownerSql}
        GROUP BY 1, o.owner_id, o.currency`,
  );
  for (const w of won) {
    const amount = inBase(Number(w.amount), w.currency);
    if (amount === null) continue;
    const bucket = byPeriod.get(periodOf(w.month, gran));
    if (bucket) bucket.won += amount;
    rep(w.owner).won += amount;
  }

  // Targets: the asked reps' (summed), or the team's — else the sum of every rep's.
  const months = periodsBetween(from, to, 'month');
  const targets = r.all(
    r.qb
      .selectFrom('targets')
      .select(['user_id', 'period', 'amount', 'currency'])
      .where('deleted_at', 'is', null)
      .where('period', 'in', [...new Set([...months, ...periodsBetween(from, to, 'quarter')])]),
  );
  const targetOf = (period: string, who: (userId: string | null) => boolean): number | null => {
    const sum = (p: string) => {
      const rows = targets.filter((t) => t.period === p && who(t.user_id));
      if (!rows.length) return null;
      return rows.reduce((s, t) => s + (inBase(t.amount, t.currency ?? base) ?? 0), 0);
    };
    const direct = sum(period);
    if (direct !== null || !period.includes('Q')) return direct;
    const parts = monthsOfQuarter(period).map(sum);
    return parts.some((x) => x !== null) ? parts.reduce<number>((s, x) => s + (x ?? 0), 0) : null;
  };
  const teamTarget = (period: string) => {
    if (owners) return targetOf(period, (u) => u !== null && owners.includes(u));
    return targetOf(period, (u) => u === null) ?? targetOf(period, (u) => u !== null);
  };
  for (const bucket of byPeriod.values()) {
    bucket.target = teamTarget(bucket.period);
    Object.assign(bucket, attainment(bucket.won, bucket.target));
  }
  const users = new Map(
    r.all(r.qb.selectFrom('users').select(['id', 'name'])).map((u) => [u.id, u.name ?? '']),
  );
  for (const row of reps.values()) {
    row.name = row.userId ? (users.get(row.userId) ?? null) : null;
    const ts = periods.map((p) => targetOf(p, (u) => u === row.userId && u !== null));
    row.target = ts.some((t) => t !== null) ? ts.reduce<number>((s, t) => s + (t ?? 0), 0) : null;
    row.attainment = attainment(row.won, row.target).attainment;
  }

  const listed = listDeals(deals, input.dealFilter);
  const bucketList = [...byPeriod.values()].map((b) => ({
    ...b,
    weighted: Math.round(b.weighted),
    predicted: Math.round(b.predicted),
  }));
  return {
    currency: base,
    granularity: gran,
    buckets: bucketList,
    byRep: [...reps.values()]
      .map((x) => ({ ...x, weighted: Math.round(x.weighted), predicted: Math.round(x.predicted) }))
      .sort((a, b) => b.weighted - a.weighted),
    stages: stageStats,
    deals: listed.slice(0, MAX_DEALS_LISTED),
    dealCount: listed.length,
    totals: {
      pipeline: bucketList.reduce((s, b) => s + b.pipeline, 0),
      weighted: bucketList.reduce((s, b) => s + b.weighted, 0),
      predicted: bucketList.reduce((s, b) => s + b.predicted, 0),
      won: bucketList.reduce((s, b) => s + b.won, 0),
    },
    missingRates: [...missing].sort(),
    convertedCurrencies: [...converted].sort(),
    backtest: input.backtest ? backtest(r, input, now, inBase) : null,
  };
}

/**
 * The forecast the method would have made at the start of the last closed quarter: the
 * deals open then (their stage from the stage history, their expected close, owner and
 * amount from the change log, all as of that moment) expected to close in that quarter,
 * weighted by the stage probability and by the win rate learned from the deals closed
 * before it — against what was won in the quarter. A deal whose date slipped out of the
 * quarter since still counts; one pulled into it later does not.
 */
function backtest(
  r: Reader,
  input: Input,
  now: number,
  inBase: (amount: number | null, currency: string | null) => number | null,
): ForecastBacktest {
  const today = localDay(now, input.utcOffset);
  const y = Number(today.slice(0, 4));
  const q = Math.ceil(Number(today.slice(5, 7)) / 3);
  const [py, pq] = q === 1 ? [y - 1, 4] : [y, q - 1];
  const quarter = `${py}-Q${pq}`;
  const [m1, , m3] = monthsOfQuarter(quarter) as [string, string, string];
  const first = `${m1}-01`;
  const lastDay = new Date(Date.UTC(py, Number(m3.slice(5, 7)), 0)).getUTCDate();
  const last = `${m3}-${String(lastDay).padStart(2, '0')}`;
  const start = dayStart(first, input.utcOffset);
  const end = dayStart(last, input.utcOffset) + DAY;
  const owners = input.owner_id?.length ? input.owner_id : null;
  const ownerSql = owners ? sql<SqlBool>`o.owner_id IN (${sql.join(owners)})` : sql<SqlBool>`1`;
  const stages = new Map(r.all(r.qb.selectFrom('stages').selectAll()).map((s) => [s.id, s]));
  const buckets = stayBucketsClosedBefore(r, start);
  // Every deal that existed then, in the stage it was in then (its history as of then).
  const then = rawRows<{
    id: string;
    stage: string;
    amount: number | null;
    currency: string | null;
    entered: number;
    owner: string | null;
    close: string | null;
    nowStage: string | null;
    closed: number | null;
    nowAmount: number | null;
    nowCurrency: string | null;
  }>(
    r,
    sql`SELECT o.id AS id, h.to_stage_id AS stage, h.amount AS amount, h.currency AS currency,
          h.changed_at AS entered, o.owner_id AS owner, o.expected_close_date AS close,
          o.stage_id AS nowStage, o.closed_at AS closed, o.amount AS nowAmount, o.currency AS nowCurrency
        FROM opportunities o JOIN stage_history h ON h.opportunity_id = o.id AND h.deleted_at IS NULL
        WHERE o.deleted_at IS NULL AND o.created_at < ${start}
          AND h.changed_at = (SELECT max(h2.changed_at) FROM stage_history h2
                              WHERE h2.opportunity_id = o.id AND h2.deleted_at IS NULL
                                AND h2.changed_at <= ${start})`,
  );
  // Its expected close, owner and amount then, from the change log; a deal from before
  // the log began keeps today's close and owner, and the amount of its last stage change.
  const logged = loggedValuesAsOf(
    r,
    'opportunities',
    ['expected_close_date', 'owner_id', 'amount', 'currency'],
    start,
  );
  let openDeals = 0;
  let weighted = 0;
  let predicted = 0;
  let wonFromCounted = 0;
  for (const row of then) {
    const past = logged.get(row.id);
    const d = past
      ? {
          ...row,
          close: (past.expected_close_date ?? null) as string | null,
          owner: (past.owner_id ?? null) as string | null,
          amount: (past.amount ?? null) as number | null,
          currency: (past.currency ?? null) as string | null,
        }
      : row;
    if (d.close === null || d.close < first || d.close > last) continue;
    if (owners && (d.owner === null || !owners.includes(d.owner))) continue;
    const stage = stages.get(d.stage);
    if (!stage || stage.kind !== 'open') continue;
    const amount = inBase(d.amount, d.currency);
    if (amount === null) continue;
    openDeals++;
    const p = stage.probability ?? 0;
    const learned = learnedWinRate(
      buckets.get(d.stage) ?? [],
      Math.floor((start - d.entered) / DAY),
      MIN_HISTORY,
    );
    weighted += (amount * p) / 100;
    predicted += amount * (learned.probability ?? p / 100);
    const wonThen =
      d.nowStage !== null &&
      stages.get(d.nowStage)?.kind === 'won' &&
      d.closed !== null &&
      d.closed >= start &&
      d.closed < end;
    if (wonThen) wonFromCounted += inBase(d.nowAmount, d.nowCurrency) ?? 0;
  }
  const won = rawRows<{ currency: string | null; amount: number }>(
    r,
    sql`SELECT o.currency AS currency, sum(o.amount) AS amount
        FROM opportunities o
        WHERE o.deleted_at IS NULL AND ${inStages('won')} AND o.amount IS NOT NULL
          AND o.closed_at >= ${start} AND o.closed_at < ${end} AND ${ownerSql}
        GROUP BY o.currency`,
  );
  const actualWon = won.reduce((s, w) => s + (inBase(Number(w.amount), w.currency) ?? 0), 0);
  return {
    quarter,
    asOf: first,
    openDeals,
    weighted: Math.round(weighted),
    predicted: Math.round(predicted),
    actualWon,
    actualWonFromCounted: wonFromCounted,
  };
}
