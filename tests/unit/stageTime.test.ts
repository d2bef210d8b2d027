// Stage probability defaults and time in each stage, on hand-made histories.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveProbability, timeInStages } from '../../src-main/domain/stageTime.js';

const DAY = 86_400_000;

describe('probability a deal counts with', () => {
  it('is the stage default unless the rep overrode it — 0 is an override too', () => {
    expect(effectiveProbability(50, null)).toEqual({ value: 50, overridden: false });
    expect(effectiveProbability(50, undefined)).toEqual({ value: 50, overridden: false });
    expect(effectiveProbability(50, 80)).toEqual({ value: 80, overridden: true });
    expect(effectiveProbability(50, 0)).toEqual({ value: 0, overridden: true });
    expect(effectiveProbability(null, null)).toEqual({ value: 0, overridden: false });
  });
});

describe('time in each stage', () => {
  const closed = (s: string) => s === 'won' || s === 'lost';

  it('adds up re-entries, runs the clock in an open stage and stops it in a closed one', () => {
    const history = [
      { to_stage_id: 'a', changed_at: 0 },
      { to_stage_id: 'b', changed_at: 2 * DAY },
      { to_stage_id: 'a', changed_at: 3 * DAY },
      { to_stage_id: 'b', changed_at: 7 * DAY },
    ];
    expect(timeInStages(history, 10 * DAY, closed)).toEqual([
      { stageId: 'a', ms: 6 * DAY, entries: 2, current: false },
      { stageId: 'b', ms: 4 * DAY, entries: 2, current: true },
    ]);
    const lost = [...history, { to_stage_id: 'lost', changed_at: 8 * DAY }];
    expect(timeInStages(lost, 100 * DAY, closed)).toEqual([
      { stageId: 'a', ms: 6 * DAY, entries: 2, current: false },
      { stageId: 'b', ms: 2 * DAY, entries: 2, current: false },
      { stageId: 'lost', ms: 0, entries: 1, current: true },
    ]);
  });

  it('reads entries in time order whatever order they arrive in (two laptops syncing)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'won'), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 1000, max: 5000 }),
        (times, stages, now) => {
          const history = times.map((t, i) => ({ to_stage_id: stages[i]!, changed_at: t }));
          const sorted = [...history].sort((x, y) => x.changed_at - y.changed_at);
          const result = timeInStages(history, now, closed);
          expect(timeInStages([...history].reverse(), now, closed)).toEqual(result);
          // Every moment from the first entry to now (or to the close) is in exactly one
          // stage.
          const last = sorted.at(-1)!;
          const end = closed(last.to_stage_id) ? last.changed_at : now;
          expect(result.reduce((sum, s) => sum + s.ms, 0)).toBe(end - sorted[0]!.changed_at);
          expect(result.filter((s) => s.current).map((s) => s.stageId)).toEqual([last.to_stage_id]);
        },
      ),
    );
  });

  it('has nothing to say about a deal with no history', () => {
    expect(timeInStages([], 1000, closed)).toEqual([]);
  });
});
