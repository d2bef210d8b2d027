import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultScoringConfig,
  scoringConfigSchema,
  type FitRule,
  type ScoringConfig,
} from '../../src-main/contract/index.js';
import { emailDomainKind, titleLevel } from '../../src-main/domain/leadFeatures.js';
import {
  addExample,
  emptyModel,
  predict,
  trainModel,
  NO_VALUE,
} from '../../src-main/domain/predictive.js';
import {
  engagementPoints,
  gradeOf,
  ruleMatches,
  scoreLead,
  type ScorableActivity,
} from '../../src-main/domain/scoring.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12);
const rule = (over: Partial<FitRule>): FitRule => ({
  id: 'r',
  name: 'r',
  enabled: true,
  field: 'title',
  op: 'equals',
  points: 10,
  ...over,
});
const config: ScoringConfig = defaultScoringConfig;

describe('fit rules: every operator', () => {
  const lead = {
    title: '销售总监 Sales Director',
    source: 'event',
    email: 'Wang.Wei@QQ.com',
    budget_amount: 500_000_00,
    tags: '["VIP","展会"]',
    city: '',
    phone: null,
    mobile: '13800138000',
  };
  it.each([
    [rule({ field: 'source', op: 'equals', value: 'EVENT' }), true], // case-insensitive
    [rule({ field: 'source', op: 'equals', value: 'web_form' }), false],
    [rule({ field: 'source', op: 'in', value: ['web_form', 'event'] }), true],
    [rule({ field: 'source', op: 'in', value: ['phone'] }), false],
    [rule({ field: 'title', op: 'contains', value: '总监|VP' }), true],
    [rule({ field: 'title', op: 'contains', value: 'engineer' }), false],
    [rule({ field: 'title', op: 'matches', value: '^销售.+director$' }), true],
    [rule({ field: 'title', op: 'matches', value: '([' }), false], // a broken pattern never fires
    [rule({ field: 'city', op: 'is_empty' }), true],
    [rule({ field: 'phone', op: 'is_empty' }), true],
    [rule({ field: 'mobile', op: 'not_empty' }), true],
    [rule({ field: 'budget_amount', op: 'gt', value: 100_000_00 }), true],
    [rule({ field: 'budget_amount', op: 'lt', value: 100_000_00 }), false],
    [rule({ field: 'city', op: 'gt', value: 1 }), false], // not a number: never fires
    [rule({ field: 'tags', op: 'equals', value: 'vip' }), true], // any tag
    [rule({ field: 'tags', op: 'in', value: ['展会'] }), true],
    [rule({ field: 'email_domain_kind', op: 'equals', value: 'free' }), true],
    [rule({ field: 'any_phone', op: 'equals', value: 'yes' }), true],
    [rule({ field: 'title_level', op: 'equals', value: 'executive' }), true],
  ])('%o → %s', (r, fires) => {
    expect(ruleMatches(r, lead)).toBe(fires);
  });

  it('reads derived values: email domain kind and title level', () => {
    expect(emailDomainKind('a@163.com')).toBe('free');
    expect(emailDomainKind('a@huawei.com')).toBe('business');
    expect(emailDomainKind(null)).toBe('none');
    expect(titleLevel('采购经理')).toBe('manager');
    expect(titleLevel('CTO')).toBe('executive');
    expect(titleLevel('Geschäftsführer')).toBe('executive');
    expect(titleLevel('工程师')).toBe('staff');
    expect(titleLevel('')).toBe('unknown');
  });
});

describe('score', () => {
  it('adds BANT levels, the rules that fire and engagement; grades by thresholds', () => {
    const lead = {
      budget: 'confirmed',
      authority: 'decision_maker',
      need: 'clear',
      timeline: 'lt_3m',
      source: 'event',
      title: '总经理',
      email: 'boss@huawei.com',
      phone: '010 8888 6666',
    };
    const s = scoreLead(lead, [{ kind: 'meeting', at: NOW }], config, null, NOW);
    expect(s.bant.map((b) => b.points)).toEqual([20, 20, 20, 20]);
    expect(s.rules.map((r) => r.id)).toEqual(['event', 'senior-title', 'has-phone']);
    expect(s.engagement).toEqual({ points: 12, activities: 1 });
    expect(s.points).toBe(100); // 80 + 30 + 12, kept within 0–100
    expect([s.score, s.grade, s.predictive]).toEqual([100, 'hot', null]);
    const cold = scoreLead(
      { budget: 'none', need: 'none', email: 'x@qq.com' },
      [],
      config,
      null,
      NOW,
    );
    expect(cold.points).toBe(0); // −10 −10 −5, never below 0
    expect(cold.grade).toBe('cold');
    expect(scoreLead({ budget: 'bogus' }, [], config, null, NOW).bant).toEqual([]);
  });

  it('grade thresholds are inclusive at their lower bound', () => {
    const t = { hot: 70, warm: 40 };
    expect([gradeOf(70, t), gradeOf(69, t), gradeOf(40, t), gradeOf(39, t)]).toEqual([
      'hot',
      'warm',
      'warm',
      'cold',
    ]);
    expect(
      scoringConfigSchema.safeParse({ ...config, grades: { hot: 40, warm: 40 } }).success,
    ).toBe(false);
  });

  it('engagement halves every half-life: a lead untouched for 60 days cools down', () => {
    const meeting = (days: number): ScorableActivity => ({ kind: 'meeting', at: NOW - days * DAY });
    const e = config.engagement; // meeting 12, half-life 30 days, max 30
    expect(engagementPoints([meeting(0)], e, NOW)).toBe(12);
    expect(engagementPoints([meeting(30)], e, NOW)).toBe(6);
    expect(engagementPoints([meeting(60)], e, NOW)).toBe(3);
    expect(engagementPoints([meeting(0), meeting(0), meeting(0)], e, NOW)).toBe(30); // capped
    expect(engagementPoints([{ kind: 'email', at: NOW }], e, NOW)).toBeLessThan(
      engagementPoints([{ kind: 'meeting', at: NOW }], e, NOW),
    );
  });

  it('blends in the predicted probability by its weight', () => {
    const p = { probability: 0.9, factors: [], basedOn: 100 };
    const s = scoreLead({ budget: 'confirmed' }, [], config, p, NOW);
    expect(s.points).toBe(20);
    expect(s.score).toBe(Math.round(0.7 * 20 + 0.3 * 90)); // 41
    expect(s.grade).toBe('warm');
  });
});

describe('predictive model (naive Bayes)', () => {
  const won = (source: string, budget: string | null) => ({ lead: { source, budget }, won: true });
  const lost = (source: string, budget: string | null) => ({
    lead: { source, budget },
    won: false,
  });
  const history = [
    ...Array.from({ length: 30 }, () => won('event', 'confirmed')),
    ...Array.from({ length: 10 }, () => won('web_form', 'unknown')),
    ...Array.from({ length: 10 }, () => lost('event', 'none')),
    ...Array.from({ length: 50 }, () => lost('web_form', null)),
  ];
  const model = trainModel(history, ['source', 'budget']);

  it('says nothing without enough history of both outcomes', () => {
    expect(predict(model, { source: 'event' }, 41)).toBeNull();
    expect(predict(emptyModel(['source']), { source: 'event' }, 1)).toBeNull();
  });

  it('uses smoothed per-value frequencies, and explains itself', () => {
    const p = predict(model, { source: 'event', budget: 'confirmed' }, 20)!;
    // 40 won, 60 lost. Prior (40+1)/(60+1). source has 2 values seen (+1 unseen): event
    // won (30+1)/(40+3), lost (10+1)/(60+3). budget has 4 (confirmed, unknown, none,
    // (none)) (+1): confirmed won (30+1)/(40+5), lost (0+1)/(60+5).
    const expected =
      Math.log(41 / 61) + Math.log(31 / 43 / (11 / 63)) + Math.log(31 / 45 / (1 / 65));
    expect(p.probability).toBeCloseTo(1 / (1 + Math.exp(-expected)), 4);
    expect(p.factors.map((f) => [f.field, f.value])).toEqual([
      ['budget', 'confirmed'],
      ['source', 'event'],
    ]);
    const q = predict(model, { source: 'web_form', budget: null }, 20)!;
    expect(q.probability).toBeLessThan(0.1);
    expect(q.factors[0]).toMatchObject({ field: 'budget', value: NO_VALUE });
    // A value never seen gets the smoothed share: neither certain win nor loss.
    const unseen = predict(model, { source: 'referral', budget: 'estimated' }, 20)!;
    expect(unseen.probability).toBeGreaterThan(0.3);
    expect(unseen.probability).toBeLessThan(0.7);
    expect(p.basedOn).toBe(100);
  });

  it('learns incrementally: adding then removing a lead leaves the model as it was', () => {
    const m = trainModel(history, ['source', 'budget']);
    const before = JSON.stringify(m);
    addExample(m, { source: 'phone', budget: 'estimated' }, true);
    expect(m.won).toBe(41);
    expect(m.counts.source!.phone).toEqual([1, 0]);
    addExample(m, { source: 'phone', budget: 'estimated' }, true, -1);
    expect(JSON.stringify(m)).toBe(before);
  });
});

describe('scores are deterministic and order-independent', () => {
  it('same lead, same activities in any order, same history in any order → same score', () => {
    const kinds = ['call', 'email', 'meeting', 'note', 'task'] as const;
    const activity = fc.record({
      kind: fc.constantFrom(...kinds),
      at: fc.integer({ min: NOW - 400 * DAY, max: NOW }),
    });
    const example = fc.record({
      lead: fc.record({
        source: fc.constantFrom('event', 'web_form', 'referral', null),
        budget: fc.constantFrom('confirmed', 'estimated', 'none', null),
        title: fc.constantFrom('CEO', '经理', '', null),
      }),
      won: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(activity, { maxLength: 30 }),
        fc.array(example, { minLength: 0, maxLength: 60 }),
        fc.integer(),
        (acts, examples, seed) => {
          const shuffle = <T>(xs: T[]) =>
            xs
              .map((x, i) => [x, (i * 7919 + seed) % 104_729] as const)
              .sort((a, b) => a[1] - b[1])
              .map(([x]) => x);
          const fields = ['source', 'budget', 'title_level'] as const;
          const m1 = trainModel(examples, fields);
          const m2 = trainModel(shuffle(examples), fields);
          const lead = { source: 'event', budget: 'estimated', title: 'CEO' };
          const p1 = predict(m1, lead, 1);
          const p2 = predict(m2, lead, 1);
          expect(p2).toEqual(p1);
          const s1 = scoreLead(lead, acts, config, p1, NOW);
          const s2 = scoreLead(lead, shuffle(acts), config, p2, NOW);
          expect(s2).toEqual(s1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
