// Local-day arithmetic for the UI: "today", date inputs (YYYY-MM-DD) and the instants the
// API takes. A day is the user's own, in their time zone.

/** Start of a local day as epoch ms: today, or the given YYYY-MM-DD, plus `addDays`. */
export function localDayStart(date?: string, addDays = 0): number {
  const now = new Date();
  const [y, m, d] = date
    ? date.split('-').map(Number)
    : [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  return new Date(y!, m! - 1, d! + addDays).getTime();
}

/** The user's local day, as the API's [start, end) bounds. */
export function localDay(): { day_start: number; day_end: number } {
  return { day_start: localDayStart(), day_end: localDayStart(undefined, 1) };
}

/** YYYY-MM-DD of a local day (for date inputs). */
export function isoDay(ms: number = Date.now()): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A datetime-local input's value for an instant, and back. */
export function toLocalInput(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${isoDay(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** Null for an empty input; NaN for text that is not a date and time. Years past 9999
 * are read as typed (not dropped) so the API can refuse them with its message. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const m = /^(\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return NaN;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(2000, mo - 1, d, h, mi);
  date.setFullYear(y);
  return date.getTime();
}
