// Saved views of the leads list as stored in saved_views (JSON text columns, synced).
import {
  defaultLeadsView,
  isLeadColumn,
  validWidths,
  withNameFirst,
  type LeadsView,
} from '../../app/uiStore.js';

export type Filters = Omit<LeadsView, 'sort' | 'columns'>;

function parseJson(text: string | null): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** A saved view as stored (and synced: possibly written by another version) → a view this
 * version can show. Unknown keys and values of the wrong type are dropped, not trusted. */
export function viewFromSaved(
  filtersText: string | null,
  sortText: string | null,
  columnsText: string | null,
): LeadsView {
  const view: LeadsView = { ...defaultLeadsView };
  const filters = parseJson(filtersText);
  if (filters && typeof filters === 'object') {
    for (const [key, value] of Object.entries(filters)) {
      if (key === 'sort' || key === 'columns' || !(key in defaultLeadsView)) continue;
      if (key === 'customRange') {
        // Number or date ranges: key → { min?, max? }, each a number or YYYY-MM-DD.
        const bound = (b: unknown) =>
          typeof b === 'number' || (typeof b === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b));
        if (value && typeof value === 'object' && !Array.isArray(value))
          view.customRange = Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .filter(([k, v]) => /^[a-z][a-z0-9_]{0,39}$/.test(k) && v && typeof v === 'object')
              .map(([k, v]) => {
                const { min, max } = v as { min?: unknown; max?: unknown };
                return [
                  k,
                  {
                    ...(bound(min) ? { min: min as number | string } : {}),
                    ...(bound(max) ? { max: max as number | string } : {}),
                  },
                ];
              }),
          );
        continue;
      }
      if (key === 'widths') {
        // Column widths ride in the filters' JSON: a version that does not know them
        // drops the key and keeps the rest of the view.
        view.widths = validWidths(value);
        continue;
      }
      if (key === 'custom') {
        // Custom field filters: key → one value, both text.
        if (value && typeof value === 'object' && !Array.isArray(value))
          view.custom = Object.fromEntries(
            Object.entries(value).filter(
              (e): e is [string, string] =>
                /^[a-z][a-z0-9_]{0,39}$/.test(e[0]) && typeof e[1] === 'string',
            ),
          );
        continue;
      }
      const k = key as keyof Filters;
      if (typeof value === typeof defaultLeadsView[k])
        (view as unknown as Record<string, unknown>)[k] = value;
    }
  }
  const sort = parseJson(sortText) as { field?: unknown; dir?: unknown } | null;
  if (sort && isLeadColumn(sort.field) && (sort.dir === 'asc' || sort.dir === 'desc'))
    view.sort = { field: sort.field, dir: sort.dir };
  const columns = parseJson(columnsText);
  if (Array.isArray(columns)) view.columns = withNameFirst(columns);
  return view;
}
