// What every report shares: a date range read in the asker's time zone, months of an
// instant in that zone, medians read off per-day counts made by SQLite (never every row
// loaded into JS), and money summed per currency turned into the team's currency.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { toBase, type DayCount } from '../domain/forecast.js';
import type { Reader } from '../store/readQuery.js';

const DAY = 86_400_000;

/** Local midnight of a 'YYYY-MM-DD' day, for a zone `utcOffset` minutes east of UTC. */
export function dayStart(date: string, utcOffset: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - utcOffset * 60_000;
}

/** [from, to) instants of an inclusive day range; either end may be open. */
export function instantRange(q: {
  from?: string | undefined;
  to?: string | undefined;
  utcOffset: number;
}) {
  return {
    from: q.from ? dayStart(q.from, q.utcOffset) : null,
    to: q.to ? dayStart(q.to, q.utcOffset) + DAY : null,
  };
}

/** The asker's 'YYYY-MM-DD' for an instant. */
export function localDay(instant: number, utcOffset: number): string {
  return new Date(instant + utcOffset * 60_000).toISOString().slice(0, 10);
}

/** SQL: the asker's month 'YYYY-MM' of an instant column. */
export function monthOf(column: string, utcOffset: number): RawBuilder<string> {
  return sql<string>`strftime('%Y-%m', (${sql.ref(column)} + ${utcOffset * 60_000}) / 1000, 'unixepoch')`;
}

/** Rows of a raw SELECT, through the read-only query builder. */
export function rawRows<R>(r: Reader, query: RawBuilder<unknown>): R[] {
  return r.all(r.qb.selectFrom(sql`(${query})`.as('q')).selectAll()) as R[];
}

/** How many `value`s (days) fall on each whole day, per `key`, from a SELECT yielding
 * (key, value) rows: a few hundred rows whatever the data, and the median is read off them
 * (`histogramMedian`) — sorting every value in SQL cost 3× more. */
export function dayHistograms(
  r: Reader,
  source: RawBuilder<unknown>,
): Map<string | null, DayCount[]> {
  const rows = rawRows<{ key: string | null; days: number; n: number }>(
    r,
    sql`SELECT key, max(0, CAST(value AS INTEGER)) AS days, count(*) AS n
        FROM (${source}) GROUP BY 1, 2`,
  );
  const out = new Map<string | null, DayCount[]>();
  for (const row of rows) {
    const list = out.get(row.key) ?? out.set(row.key, []).get(row.key)!;
    list.push({ days: Number(row.days), count: Number(row.n) });
  }
  return out;
}

/** Sums per currency → one sum in the team's currency, and the currencies without a rate
 * (left out). */
export class MoneyTotal {
  amount = 0;
  constructor(
    private readonly base: string,
    private readonly rates: Readonly<Record<string, number>>,
    private readonly missing: Set<string>,
  ) {}

  add(amount: number | null, currency: string | null): this {
    if (!amount) return this;
    const value = toBase(amount, currency, this.base, this.rates);
    if (value === null) this.missing.add(currency ?? '');
    else this.amount += value;
    return this;
  }
}

/** SQL: deals in stages of these kinds (stages are few: the list is read first, so the
 * deals come off `opportunities_stage` rather than a scan). */
export const inStages = (...kinds: string[]) =>
  sql<SqlBool>`o.stage_id IN (SELECT id FROM stages WHERE kind IN (${sql.join(kinds)}))`;

/** Every ended stage stay: a history entry (`deal`, `stage`, `started`) until its deal's
 * next entry (`ended`, kept on the row by the database: migration 0009) — read off the
 * covering index `stage_history_ended` (ended stays only, by deal): join it after the
 * deals asked about (`CROSS JOIN` keeps that order). Read by the cycle report, the win
 * rate by stage reached and the backtest; the forecast's learned rates read the same stays
 * (same columns) off `stage_history_learned`. */
export const endedStaysSql = sql`SELECT h.opportunity_id AS deal, h.to_stage_id AS stage,
    h.changed_at AS started, h.left_at AS ended
  FROM stage_history h INDEXED BY stage_history_ended
  WHERE h.deleted_at IS NULL AND h.left_at IS NOT NULL`;

/**
 * What one report part computed for one input (a filter), kept until one of `sources` (tables,
 * or columns as 'table.column') changes — then a new map, so it holds at most the inputs
 * asked since the last change. Switching the Reports page between reps and back, or the page
 * asking again after a lead or a deal's next step was edited, costs nothing; a change the
 * part reads pays the full price once (docs/benchmarks.md: warm, after an edit, after a
 * stage move).
 */
export function cachedPerInput<T>(
  r: Reader,
  key: string,
  sources: readonly string[],
  input: unknown,
  compute: () => T,
): T {
  const byInput = r.derived(`report:${key}`, sources, () => new Map<string, T>());
  const inputKey = JSON.stringify(input);
  if (byInput.has(inputKey)) return byInput.get(inputKey)!;
  const value = compute();
  byInput.set(inputKey, value);
  return value;
}
