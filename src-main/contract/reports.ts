// Forecast (F8) and analytics (F9): what the Forecast and Reports pages, the dashboard
// and `leadbook report …` ask, and what they get. One implementation answers all of them.
import { z } from 'zod';
import { forecastCategories, leadSources, type ForecastCategory } from './enums.js';
import { currencySchema, idSchema } from './fields.js';

const day = z.iso.date('must be a date YYYY-MM-DD');

/** A date range (inclusive, in the asker's time zone) and the usual filters. */
export const reportInput = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    owner_id: z.array(idSchema).max(100).optional(),
    source: z.array(z.enum(leadSources)).max(20).optional(),
    campaign_id: z.array(idSchema).max(100).optional(),
    /** The funnel also per value of this custom field (`cf.<key>`). */
    groupBy: z
      .string()
      .regex(/^cf\.[a-z][a-z0-9_]{0,39}$/, 'must name a custom field')
      .optional(),
    /** Minutes east of UTC of the asker's time zone (480 in China): days and months are
     * theirs, not the server's. */
    utcOffset: z
      .int()
      .min(-14 * 60)
      .max(14 * 60)
      .default(0),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: 'the range ends before it starts',
    path: ['to'],
  });
export type ReportInput = z.input<typeof reportInput>;
export type ReportQuery = z.output<typeof reportInput>;

/** How many and what share: `rate` is null where there is nothing to divide by. */
export interface FunnelStep {
  step: 'leads' | 'contacted' | 'qualified' | 'converted' | 'won';
  count: number;
  /** Of the step before (the first step: null). */
  rate: number | null;
  /** Of the leads at the top. */
  ofLeads: number | null;
}

export interface FunnelReport {
  steps: FunnelStep[];
  /** The same funnel per source and per event (only those with leads in the range). */
  bySource: { source: string | null; steps: FunnelStep[] }[];
  byEvent: { campaignId: string | null; name: string | null; steps: FunnelStep[] }[];
  /** Per value of the custom field asked for (`groupBy`); null value: leads without one. */
  byField?: { field: string; rows: { value: string | null; steps: FunnelStep[] }[] };
}

/** Money in the team currency (minor units), converted where needed. */
export interface Money {
  amount: number;
  currency: string;
}

export interface SourceRow {
  /** A lead source, or an event (`kind: 'event'`). */
  kind: 'source' | 'event';
  key: string | null;
  name: string | null;
  leads: number;
  converted: number;
  conversionRate: number | null;
  won: number;
  wonRevenue: Money;
  /** Events with a cost only. */
  cost: Money | null;
  costPerLead: Money | null;
  costPerWon: Money | null;
  /** (won revenue − cost) / cost. */
  roi: number | null;
}

export interface SourcesReport {
  currency: string;
  rows: SourceRow[];
  /** Currencies without a rate in Settings: their amounts are left out of the sums. */
  missingRates: string[];
}

export interface WinRateRow {
  key: string | null;
  name: string | null;
  won: number;
  lost: number;
  rate: number | null;
}

export interface WinRatesReport {
  byOwner: WinRateRow[];
  bySource: WinRateRow[];
  /** Of the closed deals that reached each open stage, the share won. */
  byStageReached: WinRateRow[];
  lostReasons: { reason: string; count: number; amount: Money }[];
  missingRates: string[];
}

export interface CycleReport {
  /** Median days from a lead's creation to its conversion (leads converted in range). */
  leadToOpportunity: { medianDays: number | null; count: number };
  /** Median days from an opportunity's creation to its win (won in range). */
  opportunityToWon: { medianDays: number | null; count: number };
  /** Median days spent in each stage (stays that ended in range). */
  timeInStage: {
    stageId: string;
    name_zh: string;
    name_en: string;
    medianDays: number | null;
    count: number;
  }[];
  /** By month of conversion / win. */
  trend: {
    month: string;
    leadToOpportunityDays: number | null;
    opportunityToWonDays: number | null;
  }[];
}

export interface RepActivityRow {
  userId: string;
  name: string;
  activities: number;
  overdueTasks: number;
  untouchedLeads: number;
}

export interface ForecastThresholds {
  commit: number;
  bestCase: number;
  pipeline: number;
}

export interface ForecastBucket {
  /** 'YYYY-MM' or 'YYYY-Qn'. */
  period: string;
  /** Σ amount (team currency). */
  pipeline: number;
  /** Σ amount × probability (stage default or override). */
  weighted: number;
  /** Σ amount × predicted probability (learned from history). */
  predicted: number;
  byCategory: Record<ForecastCategory, number>;
  /** Won in the period (closed-won actuals). */
  won: number;
  /** Target for the period (the rep's, or the team's when no rep is asked), or null. */
  target: number | null;
  attainment: number | null;
  /** max(0, target − won). */
  gap: number | null;
}

export interface ForecastRepRow {
  userId: string | null;
  name: string | null;
  weighted: number;
  predicted: number;
  won: number;
  target: number | null;
  attainment: number | null;
}

export interface StageForecastStats {
  stageId: string;
  name_zh: string;
  name_en: string;
  stageProbability: number;
  /** Share of the closed deals that were ever in the stage which were won; null below
   * the minimum history. */
  learnedProbability: number | null;
  /** How many closed stays in the stage it is based on. */
  basedOn: number;
}

export interface ForecastDeal {
  id: string;
  name: string;
  ownerId: string | null;
  stageId: string;
  expectedClose: string | null;
  amount: number;
  /** As entered, before conversion. */
  originalAmount: number | null;
  originalCurrency: string | null;
  probability: number;
  predictedProbability: number | null;
  predictedBasedOn: number;
  category: ForecastCategory;
  categoryOverridden: boolean;
  /** The period it counts in (a deal past its expected close counts in the first). */
  period: string;
  /** amount × probability, and × the learned probability (the stage's without one). */
  weighted: number;
  predicted: number;
}

export interface ForecastReport {
  currency: string;
  granularity: 'month' | 'quarter';
  buckets: ForecastBucket[];
  byRep: ForecastRepRow[];
  stages: StageForecastStats[];
  /** The open deals counted that match `dealFilter`, in its order (at most 200). */
  deals: ForecastDeal[];
  /** How many deals match `dealFilter` (more than are listed when over 200). */
  dealCount: number;
  totals: { pipeline: number; weighted: number; predicted: number; won: number };
  /** Deals in a currency without a rate: left out, and named. */
  missingRates: string[];
  convertedCurrencies: string[];
  backtest: ForecastBacktest | null;
}

/** The forecast the method would have made at the start of the last closed quarter from
 * what was known then, against what closed in that quarter. */
export interface ForecastBacktest {
  quarter: string;
  asOf: string;
  openDeals: number;
  weighted: number;
  predicted: number;
  /** Everything won in the quarter, new deals included. */
  actualWon: number;
  /** Won in the quarter among the deals the forecast counted: what it tried to predict. */
  actualWonFromCounted: number;
}

/** Orders of the forecast's deal list. */
export const forecastDealSorts = [
  'weighted',
  'predicted',
  'amount',
  'probability',
  'learned',
  'close',
  'name',
] as const;
export type ForecastDealSort = (typeof forecastDealSorts)[number];

export const forecastInput = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  owner_id: z.array(idSchema).max(100).optional(),
  granularity: z.enum(['month', 'quarter']).default('month'),
  utcOffset: z
    .int()
    .min(-14 * 60)
    .max(14 * 60)
    .default(0),
  /** Include the backtest of the last closed quarter (CLI and the Forecast page). */
  backtest: z.boolean().default(false),
  /** Which of the counted deals to list, and in what order. */
  dealFilter: z
    .strictObject({
      period: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be YYYY-MM or YYYY-Qn')
        .optional(),
      category: z.enum(forecastCategories).optional(),
      sort: z.enum(forecastDealSorts).default('weighted'),
      descending: z.boolean().default(true),
    })
    .default({ sort: 'weighted', descending: true }),
});
export type ForecastInput = z.input<typeof forecastInput>;

/** A rep's (or, with no rep, the team's) target for a month 'YYYY-MM' or a quarter
 * 'YYYY-Qn', in minor units; null removes it. */
export const setTargetInput = z.strictObject({
  user_id: idSchema.nullable(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be YYYY-MM or YYYY-Qn'),
  amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  currency: currencySchema.optional(),
});

export const listTargetsInput = z.strictObject({
  periods: z.array(z.string().max(7)).max(100).optional(),
});

/** The home page: what a rep opens the app for. */
export const dashboardInput = z.strictObject({
  /** Whose: a rep (default: nobody chosen = the whole team). */
  owner_id: idSchema.nullable().default(null),
  utcOffset: z
    .int()
    .min(-14 * 60)
    .max(14 * 60)
    .default(0),
});

export interface DashboardReport {
  currency: string;
  /** This month's forecast bucket (weighted, predicted, won, target, attainment, gap). */
  month: ForecastBucket;
  hotLeads: {
    id: string;
    name: string;
    company: string | null;
    score: number | null;
    phone: string | null;
    status: string;
  }[];
  overdueTasks: {
    id: string;
    subject: string;
    dueAt: number;
    leadId: string | null;
    opportunityId: string | null;
  }[];
  staleDeals: {
    id: string;
    name: string;
    stageId: string;
    daysInStage: number;
    amount: number | null;
    currency: string | null;
  }[];
}

export { forecastCategories };
