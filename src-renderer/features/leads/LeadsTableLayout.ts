// The leads table's column widths as CSS custom properties on the table element: every
// header and row cell takes its width from them, so a resize sets a few properties on one
// element instead of re-rendering each visible row.
import type { LeadSortField } from '../../app/uiStore.js';
import { CHECK_WIDTH, columnWidth, widthVar } from './leadColumns.js';

/** The actions column's least width (the "convert" link). */
export const ACTIONS_WIDTH = 96;

/** The style that sizes every column and the rows (as wide as their columns). */
export function columnWidthStyle(
  columns: readonly LeadSortField[],
  widths: Readonly<Record<string, number>>,
): Record<string, string> {
  const style: Record<string, string> = {};
  let total = CHECK_WIDTH + ACTIONS_WIDTH;
  for (const field of columns) {
    const w = columnWidth(field, widths);
    style[widthVar(field)] = `${w}px`;
    total += w;
  }
  style['--row-width'] = `${total}px`;
  return style;
}

/** Applies new widths while a column edge is dragged (before React hears of it). */
export function applyColumnWidths(
  table: HTMLElement,
  widths: Readonly<Record<string, number>>,
  changed: readonly LeadSortField[],
): void {
  for (const field of changed)
    table.style.setProperty(widthVar(field), `${columnWidth(field, widths)}px`);
  const columns = [...table.querySelectorAll<HTMLElement>('.thead [data-column]')].map(
    (el) => el.dataset.column as LeadSortField,
  );
  const total = columns.reduce(
    (sum, field) => sum + columnWidth(field, widths),
    CHECK_WIDTH + ACTIONS_WIDTH,
  );
  table.style.setProperty('--row-width', `${total}px`);
}
