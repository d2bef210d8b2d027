// The scoring backtest's measures on hand-made data whose answers are worked out here.
import { describe, expect, it } from 'vitest';
import { auc, calibration, logLoss, modelReport } from '../../src-main/domain/modelReport.js';

describe('model report measures', () => {
  it('AUC counts the won/lost pairs ranked right, ties as half', () => {
    expect(
      auc([
        { p: 0.9, won: true },
        { p: 0.1, won: false },
      ]),
    ).toBe(1);
    expect(
      auc([
        { p: 0.1, won: true },
        { p: 0.9, won: false },
      ]),
    ).toBe(0);
    // Pairs (won, lost): (0.8,0.3) right, (0.8,0.8) tie, (0.2,0.3) wrong, (0.2,0.8) wrong
    // → (1 + 0.5) / 4.
    expect(
      auc([
        { p: 0.8, won: true },
        { p: 0.2, won: true },
        { p: 0.3, won: false },
        { p: 0.8, won: false },
      ]),
    ).toBe(0.375);
    expect(auc([{ p: 0.5, won: true }])).toBeNull(); // one outcome only
  });

  it('log-loss is the mean negative log-likelihood, never infinite', () => {
    expect(
      logLoss([
        { p: 0.5, won: true },
        { p: 0.5, won: false },
      ]),
    ).toBeCloseTo(Math.log(2), 10);
    expect(logLoss([{ p: 0.8, won: true }])).toBeCloseTo(-Math.log(0.8), 10);
    expect(Number.isFinite(logLoss([{ p: 0, won: true }]))).toBe(true);
    expect(logLoss([])).toBeNull();
  });

  it('calibration splits into ten equal groups by predicted chance', () => {
    const scored = Array.from({ length: 20 }, (_, i) => ({ p: i / 20, won: i % 2 === 0 }));
    const bins = calibration(scored);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({ decile: 1, count: 2, predicted: 0.025, actual: 0.5 });
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(20);
  });

  it('trains on the oldest 80% and tests on the newest 20%, finding a real signal', () => {
    // Trade-show leads mostly win, web leads mostly lose; closed over 100 days.
    const examples = Array.from({ length: 100 }, (_, i) => {
      const event = i % 2 === 0;
      const won = event ? i % 10 !== 0 : i % 10 === 1;
      return { lead: { id: `l${i}`, source: event ? 'event' : 'web_form' }, won, closedAt: i };
    });
    const r = modelReport(examples, ['source']);
    expect(r.closed).toBe(100);
    expect([r.train.from, r.train.to, r.test.from, r.test.to]).toEqual([0, 79, 80, 99]);
    expect(r.train.won + r.train.lost).toBe(80);
    // Test pairs: 8×8 event-won over web-lost right, 8×2 + 2×8 ties, 2×2 wrong → 0.8.
    expect(r.auc).toBe(0.8);
    expect(r.logLoss!).toBeLessThan(r.baselineLogLoss!);
    expect(r.topFactors[0]).toMatchObject({ field: 'source' });
    // No history at all: nothing to measure, but no NaN either.
    const empty = modelReport([], ['source']);
    expect([empty.auc, empty.logLoss, empty.calibration]).toEqual([null, null, []]);
  });
});
