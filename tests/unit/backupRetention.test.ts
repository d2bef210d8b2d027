// Which backups survive pruning: 7 daily + 4 weekly + 12 monthly, for any history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backupsToKeep,
  KEEP_EVENT_BACKUPS,
  KEEP_PLAN,
  nextBackupDue,
  type DatedBackup,
} from '../../src-main/domain/backupRetention.js';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 11, 5, 12);

const history = fc
  .array(
    fc.record({
      ago: fc.integer({ min: 0, max: 800 * DAY }),
      scheduled: fc.boolean(),
    }),
    { maxLength: 400 },
  )
  .map((items) =>
    items.map((b, i): DatedBackup => ({
      name: `b${i}`,
      createdAt: NOW - b.ago,
      scheduled: b.scheduled,
    })),
  );

const dayOf = (t: number) => new Date(t).toDateString();

describe('backup retention', () => {
  it('keeps at most 7 + 4 + 12 scheduled and 5 event backups, always the newest', () => {
    fc.assert(
      fc.property(history, (backups) => {
        const keep = backupsToKeep(backups);
        const kept = backups.filter((b) => keep.has(b.name));
        expect(kept.filter((b) => b.scheduled).length).toBeLessThanOrEqual(
          KEEP_PLAN.daily + KEEP_PLAN.weekly + KEEP_PLAN.monthly,
        );
        expect(kept.filter((b) => !b.scheduled).length).toBe(
          Math.min(KEEP_EVENT_BACKUPS, backups.filter((b) => !b.scheduled).length),
        );
        const scheduled = backups.filter((b) => b.scheduled);
        if (scheduled.length) {
          const newest = scheduled.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
          expect(kept.some((b) => b.scheduled && b.createdAt === newest.createdAt)).toBe(true);
        }
      }),
    );
  });

  it('keeps the newest backup of each of the last 7 days that have one', () => {
    fc.assert(
      fc.property(history, (backups) => {
        const keep = backupsToKeep(backups);
        const scheduled = backups
          .filter((b) => b.scheduled)
          .sort((a, b) => b.createdAt - a.createdAt);
        const days = [...new Set(scheduled.map((b) => dayOf(b.createdAt)))].slice(0, 7);
        for (const day of days) {
          const newest = scheduled.find((b) => dayOf(b.createdAt) === day)!;
          expect(
            scheduled.some(
              (b) =>
                keep.has(b.name) && b.createdAt === newest.createdAt && dayOf(b.createdAt) === day,
            ),
          ).toBe(true);
        }
      }),
    );
  });

  it('pruning twice deletes nothing more (what is kept stays kept)', () => {
    fc.assert(
      fc.property(history, (backups) => {
        const keep = backupsToKeep(backups);
        const kept = backups.filter((b) => keep.has(b.name));
        expect([...backupsToKeep(kept)].sort()).toEqual([...keep].sort());
      }),
    );
  });

  it('a year of daily backups leaves 7 days, 4 weeks and 12 months', () => {
    const year = Array.from({ length: 365 }, (_, i) => ({
      name: `d${i}`,
      createdAt: NOW - i * DAY,
      scheduled: true,
    }));
    const keep = backupsToKeep(year);
    expect(keep.size).toBeGreaterThanOrEqual(12);
    expect(keep.size).toBeLessThanOrEqual(23);
    const oldest = Math.min(...year.filter((b) => keep.has(b.name)).map((b) => b.createdAt));
    expect(NOW - oldest).toBeGreaterThan(300 * DAY);
  });

  it('the next automatic backup is due a day after the last, at once if there is none', () => {
    expect(nextBackupDue(null, NOW)).toBe(NOW);
    expect(nextBackupDue(NOW - 2 * DAY, NOW)).toBe(NOW);
    expect(nextBackupDue(NOW - 3600_000, NOW)).toBe(NOW - 3600_000 + DAY);
  });
});
