// Forecast and funnel arithmetic (F8, F9), pure: categories from probabilities, money in
// the team's currency, attainment against targets, periods, the win rate learned from the
// team's own history, and funnel rates. The services feed it sums from SQL.
import {
  currencyDigits,
  type ForecastCategory,
  type ForecastThresholds,
  type FunnelStep,
} from '../contract/index.js';

/** The category a deal falls in by its probability, unless the rep chose one. */
export function categoryFor(
  probability: number,
  thresholds: ForecastThresholds,
  chosen?: ForecastCategory | null,
): ForecastCategory {
  if (chosen) return chosen;
  if (probability >= thresholds.commit) return 'commit';
  if (probability >= thresholds.bestCase) return 'best_case';
  if (probability >= thresholds.pipeline) return 'pipeline';
  return 'omitted';
}

/**
 * An amount in minor units of `from`, in minor units of `base`. `rates` say how many units
 * of the base one unit of a currency is worth (USD: 7.1 for a CNY team). Null when no rate
 * is known: the caller leaves the amount out and says which currency had none, rather
 * than adding dollars to yuan.
 */
export function toBase(
  amount: number,
  from: string | null,
  base: string,
  rates: Readonly<Record<string, number>>,
): number | null {
  if (!from || from === base) return amount;
  const rate = rates[from];
  if (rate === undefined || !(rate > 0)) return null;
  const major = amount / 10 ** currencyDigits(from);
  return Math.round(major * rate * 10 ** currencyDigits(base));
}

export interface Attainment {
  /** won / target; null without a target or with a zero target. */
  attainment: number | null;
  /** What is still missing (never below 0); null without a target. */
  gap: number | null;
}

export function attainment(won: number, target: number | null): Attainment {
  if (target === null) return { attainment: null, gap: null };
  return {
    attainment: target > 0 ? won / target : null,
    gap: Math.max(0, target - won),
  };
}

/** 'YYYY-MM-DD' or 'YYYY-MM' → its month 'YYYY-MM' or quarter 'YYYY-Qn'. */
export function periodOf(date: string, granularity: 'month' | 'quarter'): string {
  const month = date.slice(0, 7);
  if (granularity === 'month') return month;
  const m = Number(month.slice(5, 7));
  return `${month.slice(0, 4)}-Q${Math.ceil(m / 3)}`;
}

/** Every period from the one holding `from` to the one holding `to`, in order. */
export function periodsBetween(
  from: string,
  to: string,
  granularity: 'month' | 'quarter',
): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    const p = periodOf(`${y}-${String(m).padStart(2, '0')}`, granularity);
    if (out.at(-1) !== p) out.push(p);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The months a quarter 'YYYY-Qn' is made of. */
export function monthsOfQuarter(quarter: string): string[] {
  const y = quarter.slice(0, 4);
  const q = Number(quarter.slice(6));
  return [1, 2, 3].map((i) => `${y}-${String((q - 1) * 3 + i).padStart(2, '0')}`);
}

/** Closed stays in a stage, counted by outcome and by how many whole days they lasted
 * (`days` = the lower bound of the bucket). */
export interface StayBucket {
  days: number;
  won: number;
  lost: number;
}

/** Day bounds the stays are bucketed by (the forecast service counts stays by day, then
 * by these). */
export const stayBucketBounds = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365];

export function stayBucketOf(days: number): number {
  let b = 0;
  for (const bound of stayBucketBounds) if (days >= bound) b = bound;
  return b;
}

/**
 * The win rate learned from the team's closed deals for a deal `daysInStage` days into a
 * stage: of the closed stays in that stage that lasted at least as long (to the bucket),
 * the share that ended in a won deal. A deal that has sat in 报价 for 60 days is judged by
 * the deals that also sat there 60 days or more — usually fewer won. Below `minHistory`
 * stays it falls back to every stay in the stage, and below that to nothing (null).
 */
export function learnedWinRate(
  buckets: readonly StayBucket[],
  daysInStage: number,
  minHistory: number,
): { probability: number | null; basedOn: number } {
  const floor = stayBucketOf(Math.max(0, daysInStage));
  let won = 0;
  let lost = 0;
  for (const b of buckets)
    if (b.days >= floor) {
      won += b.won;
      lost += b.lost;
    }
  if (won + lost >= minHistory) return { probability: won / (won + lost), basedOn: won + lost };
  won = 0;
  lost = 0;
  for (const b of buckets) {
    won += b.won;
    lost += b.lost;
  }
  if (won + lost >= minHistory) return { probability: won / (won + lost), basedOn: won + lost };
  return { probability: null, basedOn: won + lost };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Funnel counts → steps with the rate from the step before and from the top. */
export function funnelSteps(counts: {
  leads: number;
  contacted: number;
  qualified: number;
  converted: number;
  won: number;
}): FunnelStep[] {
  const order = ['leads', 'contacted', 'qualified', 'converted', 'won'] as const;
  return order.map((step, i) => ({
    step,
    count: counts[step],
    rate: i === 0 ? null : rate(counts[step], counts[order[i - 1]!]),
    ofLeads: i === 0 ? null : rate(counts[step], counts.leads),
  }));
}

/** How many values fell on a whole number of days. */
export interface DayCount {
  days: number;
  count: number;
}

/** The median of the values a day histogram counts (the mean of the two middle ones for
 * an even count); null when it counts nothing. */
export function histogramMedian(hist: readonly DayCount[]): number | null {
  const sorted = [...hist].filter((h) => h.count > 0).sort((a, b) => a.days - b.days);
  const n = sorted.reduce((s, h) => s + h.count, 0);
  if (n === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const h of sorted) {
      seen += h.count;
      if (k < seen) return h.days;
    }
    return sorted.at(-1)!.days;
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

/** Several histograms as one (every month's → the whole range's). */
export function mergeHistograms(lists: Iterable<readonly DayCount[]>): DayCount[] {
  const by = new Map<number, number>();
  for (const list of lists) for (const h of list) by.set(h.days, (by.get(h.days) ?? 0) + h.count);
  return [...by].map(([days, count]) => ({ days, count }));
}
