// Forecast and funnel arithmetic on small hand-made inputs, the right answers worked out
// here: categories, money in the team currency, attainment, periods, the learned win rate,
// funnel rates and medians.
import { describe, expect, it } from 'vitest';
import {
  attainment,
  categoryFor,
  funnelSteps,
  histogramMedian,
  learnedWinRate,
  mergeHistograms,
  monthsOfQuarter,
  periodOf,
  periodsBetween,
  toBase,
} from '../../src-main/domain/forecast.js';

const thresholds = { commit: 75, bestCase: 50, pipeline: 10 };

describe('forecast categories', () => {
  it('follow the probability at the thresholds (inclusive), unless the rep chose one', () => {
    expect(categoryFor(75, thresholds)).toBe('commit');
    expect(categoryFor(74, thresholds)).toBe('best_case');
    expect(categoryFor(50, thresholds)).toBe('best_case');
    expect(categoryFor(10, thresholds)).toBe('pipeline');
    expect(categoryFor(9, thresholds)).toBe('omitted');
    expect(categoryFor(0, thresholds)).toBe('omitted');
    expect(categoryFor(90, thresholds, 'omitted')).toBe('omitted');
    expect(categoryFor(5, thresholds, 'commit')).toBe('commit');
  });
});

describe('money in the team currency', () => {
  const rates = { USD: 7.1, JPY: 0.047, EUR: 7.7 };
  it('converts minor units through the major unit at the rate', () => {
    expect(toBase(100_000, 'CNY', 'CNY', rates)).toBe(100_000);
    expect(toBase(100_000, null, 'CNY', rates)).toBe(100_000);
    // $1 000.00 × 7.1 = ¥7 100.00
    expect(toBase(100_000, 'USD', 'CNY', rates)).toBe(710_000);
    // ¥1 000 000 (JPY, no minor unit) × 0.047 = ¥47 000.00
    expect(toBase(1_000_000, 'JPY', 'CNY', rates)).toBe(4_700_000);
    // Into a base without a minor unit: €10.00 × 7.7 / … with JPY as base and EUR rate 160
    expect(toBase(1_000, 'EUR', 'JPY', { EUR: 160 })).toBe(1_600);
  });
  it('answers null for a currency without a rate — never adds dollars to yuan', () => {
    expect(toBase(100, 'GBP', 'CNY', rates)).toBeNull();
    expect(toBase(100, 'USD', 'CNY', { USD: 0 })).toBeNull();
  });
});

describe('attainment', () => {
  it('is won / target with the gap still missing', () => {
    expect(attainment(750, 1000)).toEqual({ attainment: 0.75, gap: 250 });
    expect(attainment(1200, 1000)).toEqual({ attainment: 1.2, gap: 0 });
  });
  it('says nothing rather than dividing by zero or by no target', () => {
    expect(attainment(500, 0)).toEqual({ attainment: null, gap: 0 });
    expect(attainment(500, null)).toEqual({ attainment: null, gap: null });
    expect(attainment(0, 1000)).toEqual({ attainment: 0, gap: 1000 });
  });
});

describe('periods', () => {
  it('names months and quarters and lists them across a year end', () => {
    expect(periodOf('2026-11-26', 'month')).toBe('2026-11');
    expect(periodOf('2026-11-26', 'quarter')).toBe('2026-Q4');
    expect(periodOf('2026-03', 'quarter')).toBe('2026-Q1');
    expect(periodsBetween('2026-11-01', '2027-02-28', 'month')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(periodsBetween('2026-11-01', '2027-04-30', 'quarter')).toEqual([
      '2026-Q4',
      '2027-Q1',
      '2027-Q2',
    ]);
    expect(monthsOfQuarter('2027-Q1')).toEqual(['2027-01', '2027-02', '2027-03']);
  });
});

describe('win rate learned from history', () => {
  // Stays in one stage: short ones mostly won, long ones mostly lost.
  const buckets = [
    { days: 0, won: 6, lost: 2 },
    { days: 7, won: 3, lost: 3 },
    { days: 30, won: 1, lost: 5 },
  ];
  it('judges a deal by the closed stays at least as long as its own', () => {
    // Fresh: all 20 stays, 10 won.
    expect(learnedWinRate(buckets, 0, 10)).toEqual({ probability: 0.5, basedOn: 20 });
    // 8 days in: stays of ≥ 7 days (bucket 7): 4 won of 12.
    expect(learnedWinRate(buckets, 8, 10)).toEqual({ probability: 4 / 12, basedOn: 12 });
  });
  it('falls back to every stay below the minimum, then to nothing', () => {
    // 45 days: no stay that long (the 30-day bucket starts below 45), so all 20.
    expect(learnedWinRate(buckets, 45, 10)).toEqual({ probability: 0.5, basedOn: 20 });
    expect(learnedWinRate(buckets, 0, 50)).toEqual({ probability: null, basedOn: 20 });
    expect(learnedWinRate([], 3, 10)).toEqual({ probability: null, basedOn: 0 });
  });
});

describe('funnel', () => {
  it('gives each step its rate from the step before and from the top', () => {
    const steps = funnelSteps({
      leads: 200,
      contacted: 150,
      qualified: 60,
      converted: 30,
      won: 12,
    });
    expect(steps.map((s) => [s.step, s.count, s.rate, s.ofLeads])).toEqual([
      ['leads', 200, null, null],
      ['contacted', 150, 0.75, 0.75],
      ['qualified', 60, 0.4, 0.3],
      ['converted', 30, 0.5, 0.15],
      ['won', 12, 0.4, 0.06],
    ]);
  });
  it('has no NaN when a step is empty', () => {
    const steps = funnelSteps({ leads: 0, contacted: 0, qualified: 0, converted: 0, won: 0 });
    expect(steps.every((s) => s.rate === null && s.ofLeads === null)).toBe(true);
  });
});

describe('medians from day counts', () => {
  it('reads the middle value, averaging the two middle ones for an even count', () => {
    expect(histogramMedian([{ days: 3, count: 1 }])).toBe(3);
    // 1, 2, 2, 10 → (2 + 2) / 2
    expect(
      histogramMedian([
        { days: 10, count: 1 },
        { days: 1, count: 1 },
        { days: 2, count: 2 },
      ]),
    ).toBe(2);
    // 1, 5 → 3
    expect(
      histogramMedian([
        { days: 1, count: 1 },
        { days: 5, count: 1 },
      ]),
    ).toBe(3);
    expect(histogramMedian([])).toBeNull();
    expect(
      histogramMedian(
        mergeHistograms([
          [{ days: 4, count: 2 }],
          [
            { days: 4, count: 1 },
            { days: 9, count: 2 },
          ],
        ]),
      ),
    ).toBe(4);
  });
});
