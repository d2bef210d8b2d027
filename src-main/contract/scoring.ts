// Lead scoring configuration and results (F4). The configuration is one team-wide value
// (synced); scores are derived locally from it and never synced.
import { z } from 'zod';
import {
  activityKinds,
  authorityLevels,
  budgetLevels,
  needLevels,
  timelineLevels,
  type Grade,
} from './enums.js';

/** Lead fields a fit rule may test, plus values derived from them. */
export const ruleFields = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'mobile',
  'wechat',
  'website',
  'industry',
  'country',
  'region',
  'city',
  'source',
  'campaign_id',
  'owner_id',
  'status',
  'budget',
  'authority',
  'need',
  'timeline',
  'budget_amount',
  'tags',
  'notes',
  /** free (qq.com, gmail.com …), business, or none: from the email's domain. */
  'email_domain_kind',
  /** Whether the lead has a phone or a mobile number. */
  'any_phone',
  /** executive, manager, staff, or unknown: read from the title. */
  'title_level',
] as const;
export type RuleField = (typeof ruleFields)[number];

/** A custom field as a rule, a condition or the model names it: `cf.<key>`. */
export type CustomFieldRef = `cf.${string}`;
export const customFieldRef = z
  .string()
  .regex(/^cf\.[a-z][a-z0-9_]{0,39}$/, 'must name a custom field')
  .transform((s) => s as CustomFieldRef);

export const ruleOperators = [
  'equals',
  'in',
  'contains',
  'matches',
  'is_empty',
  'not_empty',
  'gt',
  'lt',
] as const;
export type RuleOperator = (typeof ruleOperators)[number];

const points = z.int().min(-100).max(100);

/** Whether a `matches` rule's value compiles (as the scorer compiles it). */
export function isRulePattern(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new RegExp(value, 'iu');
    return true;
  } catch {
    return false;
  }
}

export const fitRuleSchema = z
  .strictObject({
    id: z.string().trim().min(1).max(60),
    name: z.string().trim().min(1).max(100),
    enabled: z.boolean().default(true),
    /** A lead field, a value derived from one, or a custom field. */
    field: z.union([z.enum(ruleFields), customFieldRef]),
    op: z.enum(ruleOperators),
    /** equals/contains/matches/gt/lt: one value; in: several; is_empty/not_empty: none. */
    value: z
      .union([z.string().max(500), z.number(), z.array(z.string().max(200)).max(100)])
      .optional(),
    points,
  })
  .refine((r) => r.op !== 'matches' || isRulePattern(r.value), {
    message: 'is not a valid regular expression',
    path: ['value'],
  });
export type FitRule = z.infer<typeof fitRuleSchema>;

const levelPoints = <L extends readonly [string, ...string[]]>(levels: L) =>
  z.strictObject(
    Object.fromEntries(levels.map((l) => [l, points])) as Record<L[number], typeof points>,
  );

/** Fields the predictive model learns from. */
export const predictiveFields = [
  'source',
  'campaign_id',
  'industry',
  'region',
  'country',
  'title_level',
  'budget',
  'authority',
  'need',
  'timeline',
  'email_domain_kind',
] as const;
/** A built-in field, or a custom field (`cf.<key>`: the model learns from every custom
 * field of type number, yes/no or choice). */
export type PredictiveField = (typeof predictiveFields)[number] | CustomFieldRef;

export const scoringConfigSchema = z
  .strictObject({
    bant: z.strictObject({
      budget: levelPoints(budgetLevels),
      authority: levelPoints(authorityLevels),
      need: levelPoints(needLevels),
      timeline: levelPoints(timelineLevels),
    }),
    rules: z.array(fitRuleSchema).max(200),
    engagement: z.strictObject({
      points: levelPoints(activityKinds),
      /** Days after which an activity counts half: a lead left alone cools down. */
      halfLifeDays: z.int().min(1).max(365),
      max: z.int().min(0).max(100),
    }),
    grades: z.strictObject({ hot: z.int().min(1).max(100), warm: z.int().min(0).max(100) }),
    predictive: z.strictObject({
      /** The built-in fields it learns from (custom fields always count). */
      fields: z.array(z.enum(predictiveFields)).max(predictiveFields.length),
      /** Closed leads of each outcome needed before the probability is shown. */
      minClosed: z.int().min(1).max(100_000),
      /** How much of the combined score comes from the probability (0–1). */
      weight: z.number().min(0).max(1),
    }),
  })
  .refine((c) => c.grades.warm < c.grades.hot, {
    message: 'the warm threshold must be below the hot one',
    path: ['grades', 'warm'],
  });
export type ScoringConfig = z.infer<typeof scoringConfigSchema>;

export const defaultScoringConfig: ScoringConfig = {
  bant: {
    budget: { confirmed: 20, estimated: 10, unknown: 0, none: -10 },
    authority: { decision_maker: 20, influencer: 10, user: 4, unknown: 0 },
    need: { clear: 20, vague: 8, none: -10 },
    timeline: { lt_3m: 20, m3_6: 12, m6_12: 5, none: -5 },
  },
  rules: [
    {
      id: 'event',
      name: '展会来源 / Trade show',
      enabled: true,
      field: 'source',
      op: 'equals',
      value: 'event',
      points: 10,
    },
    {
      id: 'senior-title',
      name: '高管职位 / Senior title',
      enabled: true,
      field: 'title_level',
      op: 'equals',
      value: 'executive',
      points: 15,
    },
    {
      id: 'free-mail',
      name: '免费邮箱 / Free-mail address',
      enabled: true,
      field: 'email_domain_kind',
      op: 'equals',
      value: 'free',
      points: -5,
    },
    {
      id: 'has-phone',
      name: '有电话 / Has a phone',
      enabled: true,
      field: 'any_phone',
      op: 'equals',
      value: 'yes',
      points: 5,
    },
  ],
  engagement: {
    points: { meeting: 12, call: 6, email: 3, note: 1, task: 0 },
    halfLifeDays: 30,
    max: 30,
  },
  grades: { hot: 70, warm: 40 },
  predictive: { fields: [...predictiveFields], minClosed: 20, weight: 0.3 },
};

/** Why a lead has its score: every part, so the lead panel can say "why 82". */
export interface ScoreBreakdown {
  bant: {
    dimension: 'budget' | 'authority' | 'need' | 'timeline';
    level: string;
    points: number;
  }[];
  rules: { id: string; name: string; points: number }[];
  engagement: { points: number; activities: number };
  /** Sum of the parts above, kept within 0–100. */
  points: number;
  predictive: {
    probability: number;
    /** Fields that moved the probability most, strongest first (log-odds, + is up). */
    factors: { field: string; value: string; weight: number }[];
  } | null;
  score: number;
  grade: Grade;
}

/** How well the predictive model would have done: trained on the older 80% of closed
 * leads, tested on the newest 20% (`leadbook report scoring`, Settings). */
export interface ModelReport {
  fields: PredictiveField[];
  closed: number;
  train: { won: number; lost: number; from: number | null; to: number | null };
  test: { won: number; lost: number; from: number | null; to: number | null };
  /** Chance that a won test lead got a higher probability than a lost one (0.5: a coin). */
  auc: number | null;
  /** Mean negative log-likelihood on the test leads (lower is better)… */
  logLoss: number | null;
  /** …and the same for always answering the training win rate. */
  baselineLogLoss: number | null;
  /** Test leads in ten equal groups by predicted probability: predicted vs actual. */
  calibration: { decile: number; count: number; predicted: number; actual: number }[];
  /** A second test, against a yardstick: the closed leads split at random (by id, the
   * same split every run) into 70% to learn from and 30% held out; the learned model's
   * AUC on the held-out leads beside a plain L2 logistic regression's on the same columns,
   * fitted in the same run. Null with too few closed leads of either outcome. */
  holdout: { train: number; test: number; auc: number | null; logisticAuc: number | null } | null;
  /** Values that moved the probability most in the training data. */
  topFactors: {
    field: PredictiveField;
    value: string;
    won: number;
    lost: number;
    weight: number;
  }[];
}

/** Rescoring every lead in the background (big databases), for a progress line. */
/** A rebuild of the search index under way (after an upgrade changed what is indexed):
 * search answers from the old index until it is done. */
export interface SearchIndexState {
  rebuilding: boolean;
  /** Rows indexed so far, of `total`. */
  done: number;
  total: number;
  /** The last rebuild failed (it is tried again at the next start). */
  failed: boolean;
}

export interface RescoreState {
  running: boolean;
  done: number;
  total: number;
  lastFinishedAt: number | null;
  lastRescored: number | null;
  lastFailed: boolean;
}
