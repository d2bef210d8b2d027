// The leads table's columns as laid out on screen: each has a width in pixels (its
// default, or what the user dragged it to — saved in the view) and a minimum below which
// its text would be cut. The table is as wide as its columns and scrolls sideways in a
// narrow window rather than squeezing them; the name stays pinned on the left.
import type { LeadSortField } from '../../app/uiStore.js';

interface ColumnSize {
  width: number;
  min: number;
  /** Short values of a known shape (a phone, a date, a score): never cut at or above
   * the minimum. Free text (a company, an email) may end in "…" and shows whole in its
   * tooltip. */
  whole?: boolean;
}

const sizes: Partial<Record<LeadSortField, ColumnSize>> = {
  name: { width: 128, min: 88 },
  score: { width: 64, min: 56, whole: true },
  grade: { width: 72, min: 64, whole: true },
  company: { width: 220, min: 120 },
  title: { width: 120, min: 80 },
  email: { width: 200, min: 120 },
  phone: { width: 150, min: 136, whole: true },
  mobile: { width: 150, min: 136, whole: true },
  wechat: { width: 120, min: 80 },
  // Wide enough for the longest English label ("Existing customer", "Unqualified").
  source: { width: 144, min: 136, whole: true },
  status: { width: 112, min: 100, whole: true },
  owner_id: { width: 96, min: 72 },
  campaign_id: { width: 140, min: 96 },
  industry: { width: 110, min: 80 },
  city: { width: 90, min: 64 },
  next_step_date: { width: 112, min: 104, whole: true },
  created_at: { width: 112, min: 104, whole: true },
  updated_at: { width: 112, min: 104, whole: true },
};
const customSize: ColumnSize = { width: 120, min: 72 };

/** The widest a column may be dragged to. */
export const MAX_COLUMN_WIDTH = 640;
/** The checkbox column's width, which the pinned name column sits beside. */
export const CHECK_WIDTH = 36;

const sizeOf = (field: LeadSortField) => sizes[field] ?? customSize;

export const minColumnWidth = (field: LeadSortField) => sizeOf(field).min;

/** Whether a column's values are short and of a known shape: never cut. */
export const keepsWholeText = (field: LeadSortField) => sizeOf(field).whole === true;

/** The column's width: the user's, held between its minimum and the maximum. */
export function columnWidth(field: LeadSortField, widths: Readonly<Record<string, number>>) {
  const own = widths[field];
  const { width, min } = sizeOf(field);
  return typeof own === 'number' && Number.isFinite(own)
    ? Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(min, own)))
    : width;
}

/** A CSS custom property per column, set on the table: a drag changes one property on
 * one element while it moves, not every visible row. */
export const widthVar = (field: string) => `--col-${field.replace(/[^a-z0-9_-]/gi, '_')}`;
