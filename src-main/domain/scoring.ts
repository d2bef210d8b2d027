// Lead scoring (F4), pure: BANT points, fit rules, engagement that cools with time, an
// optional predictive probability, combined into a 0–100 score and a hot/warm/cold grade,
// with the breakdown that says why. Same inputs, same score — on every device, in any
// order the activities arrive.
import type {
  ActivityKind,
  AssignmentField,
  FitRule,
  Grade,
  ScoreBreakdown,
  ScoringConfig,
} from '../contract/index.js';
import { ruleValue } from './leadFeatures.js';
import { memoize } from './memo.js';
import type { Prediction } from './predictive.js';

export type { ScorableLead } from './leadFeatures.js';
import type { ScorableLead } from './leadFeatures.js';

export interface ScorableActivity {
  kind: ActivityKind;
  /** When it happened (or was logged). */
  at: number;
}

const DAY = 86_400_000;

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Compiled `matches` patterns: a rule's pattern is compiled once, not per lead. A
 * pattern that does not compile never matches (the configuration refuses one; this only
 * guards against a stored value from another version). */
const pattern = memoize((source: string): RegExp | null => {
  try {
    return new RegExp(source, 'iu');
  } catch {
    return null;
  }
}, 500);

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Whether one rule fires for a lead. Text comparisons ignore case; lists (tags) fire
 * when any element does. */
export function ruleMatches(
  rule: Pick<FitRule, 'op' | 'value'> & { field: AssignmentField },
  lead: ScorableLead,
): boolean {
  const value = ruleValue(lead, rule.field);
  const values = Array.isArray(value) ? value : [value];
  const want = rule.value;
  switch (rule.op) {
    case 'is_empty':
      return isEmpty(value);
    case 'not_empty':
      return !isEmpty(value);
    case 'equals':
      return values.some((v) => text(v).toLowerCase() === text(want).toLowerCase() && !isEmpty(v));
    case 'in': {
      const set = new Set((Array.isArray(want) ? want : [text(want)]).map((w) => w.toLowerCase()));
      return values.some((v) => !isEmpty(v) && set.has(text(v).toLowerCase()));
    }
    case 'contains': {
      // Several words separated by | : any of them (总监|Director|VP).
      const needles = text(want)
        .toLowerCase()
        .split('|')
        .map((w) => w.trim())
        .filter(Boolean);
      return values.some((v) => needles.some((n) => text(v).toLowerCase().includes(n)));
    }
    case 'matches': {
      const re = pattern(text(want));
      return re !== null && values.some((v) => !isEmpty(v) && re.test(text(v)));
    }
    case 'gt':
    case 'lt': {
      const n = typeof value === 'number' ? value : Number.NaN;
      const limit = typeof want === 'number' ? want : Number(want);
      if (!Number.isFinite(n) || !Number.isFinite(limit)) return false;
      return rule.op === 'gt' ? n > limit : n < limit;
    }
  }
}

/** Engagement: each activity's points, halved every `halfLifeDays` since it happened,
 * summed (in a fixed order, so the arrival order of activities cannot change the
 * rounding) and capped. */
export function engagementPoints(
  activities: readonly ScorableActivity[],
  config: ScoringConfig['engagement'],
  now: number,
): number {
  const parts = activities
    .map((a) => {
      const ageDays = Math.max(0, now - a.at) / DAY;
      return (config.points[a.kind] ?? 0) * 0.5 ** (ageDays / config.halfLifeDays);
    })
    .sort((x, y) => x - y);
  const sum = parts.reduce((s, p) => s + p, 0);
  return Math.round(Math.min(config.max, sum) * 10) / 10;
}

export function gradeOf(score: number, thresholds: ScoringConfig['grades']): Grade {
  return score >= thresholds.hot ? 'hot' : score >= thresholds.warm ? 'warm' : 'cold';
}

const clamp = (n: number) => Math.max(0, Math.min(100, n));

/** The score of one lead and why. `prediction` is null while the team has too little
 * closed history for the model to say anything. */
export function scoreLead(
  lead: ScorableLead,
  activities: readonly ScorableActivity[],
  config: ScoringConfig,
  prediction: Prediction | null,
  now: number,
): ScoreBreakdown {
  const bant: ScoreBreakdown['bant'] = [];
  for (const dimension of ['budget', 'authority', 'need', 'timeline'] as const) {
    const level = lead[dimension];
    if (typeof level !== 'string') continue;
    const table = config.bant[dimension] as Record<string, number>;
    if (level in table) bant.push({ dimension, level, points: table[level]! });
  }
  const rules = config.rules
    .filter((r) => r.enabled && ruleMatches(r, lead))
    .map((r) => ({ id: r.id, name: r.name, points: r.points }));
  const engagement = {
    points: engagementPoints(activities, config.engagement, now),
    activities: activities.length,
  };
  const raw =
    bant.reduce((s, b) => s + b.points, 0) +
    rules.reduce((s, r) => s + r.points, 0) +
    engagement.points;
  const points = clamp(Math.round(raw));
  const weight = prediction ? config.predictive.weight : 0;
  const score = Math.round(
    clamp((1 - weight) * points + weight * 100 * (prediction?.probability ?? 0)),
  );
  return {
    bant,
    rules,
    engagement,
    points,
    predictive: prediction
      ? { probability: prediction.probability, factors: prediction.factors.slice(0, 5) }
      : null,
    score,
    grade: gradeOf(score, config.grades),
  };
}
