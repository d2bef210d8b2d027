// Which backups to keep: grandfather-father-son. The newest automatic backup of each of
// the last 7 days that have one, of the last 4 weeks, and of the last 12 months; the newest
// of all is always kept. Backups made by hand, or before a migration, a restore or
// encryption, are a separate pool: the newest few stay whatever their age.

export const KEEP_PLAN = { daily: 7, weekly: 4, monthly: 12 } as const;
export const KEEP_EVENT_BACKUPS = 5;

export interface DatedBackup {
  name: string;
  createdAt: number;
  /** Automatic backups follow the plan; "Back up now" and the others are events. */
  scheduled: boolean;
}

/** Days, weeks and months in the laptop's local time (a backup at 00:30 belongs to the
 * day the user lived it). Weeks start on Monday. */
function dayKey(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function weekKey(t: number): string {
  const d = new Date(t);
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
  return dayKey(monday.getTime());
}

function monthKey(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth()}`;
}

function newestPerPeriod(
  backups: DatedBackup[],
  period: (t: number) => string,
  count: number,
): string[] {
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const b of backups) {
    const key = period(b.createdAt);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(b.name);
    if (seen.size >= count) break;
  }
  return kept;
}

/** The names to keep; every other backup may be deleted. */
export function backupsToKeep(
  backups: DatedBackup[],
  plan: { daily: number; weekly: number; monthly: number } = KEEP_PLAN,
  keepEvents = KEEP_EVENT_BACKUPS,
): Set<string> {
  const newestFirst = [...backups].sort(
    (a, b) => b.createdAt - a.createdAt || (a.name < b.name ? 1 : -1),
  );
  const scheduled = newestFirst.filter((b) => b.scheduled);
  const keep = new Set<string>([
    ...newestPerPeriod(scheduled, dayKey, plan.daily),
    ...newestPerPeriod(scheduled, weekKey, plan.weekly),
    ...newestPerPeriod(scheduled, monthKey, plan.monthly),
    ...newestFirst
      .filter((b) => !b.scheduled)
      .slice(0, keepEvents)
      .map((b) => b.name),
  ]);
  return keep;
}

/** When the next automatic backup is due: a day after the last one (at once if none). */
export function nextBackupDue(lastAt: number | null, now: number): number {
  const DAY = 24 * 60 * 60 * 1000;
  return lastAt === null ? now : Math.max(now, lastAt + DAY);
}
