import { crudEntities, entityColumns } from '../contract/index.js';
import { toCsv } from '../domain/csv.js';
import type { Store } from '../store/store.js';

export const exportableEntities = [
  'leads',
  'opportunities',
  'accounts',
  'contacts',
  'activities',
] as const;
export type ExportEntity = (typeof exportableEntities)[number];
export type ExportFormat = 'csv' | 'json';

/** Every live row of one entity, oldest first, as CSV or JSON text. */
export function exportEntity(
  store: Store,
  what: ExportEntity,
  format: ExportFormat,
  ids?: readonly string[],
): { text: string; rows: number } {
  const def = crudEntities[what];
  let rows: Record<string, unknown>[] = [];
  // A selection is read in chunks (SQLite caps bound parameters per statement).
  const chunks = ids ? chunked([...new Set(ids)], 500) : [null];
  for (const chunk of chunks) {
    rows.push(
      ...(store.all(
        store.qb
          .selectFrom(def.table)
          .selectAll()
          .where('deleted_at', 'is', null)
          .$if(chunk !== null, (q) => q.where('id', 'in', chunk!))
          .orderBy('created_at')
          .orderBy('id'),
      ) as Record<string, unknown>[]),
    );
  }
  // Oldest first across chunks too, as a whole-table export is.
  if (chunks.length > 1) rows = rows.sort(byCreated);
  if (format === 'json') return { text: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length };
  return { text: toCsv(entityColumns(def), rows), rows: rows.length };
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function byCreated(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const d = (a.created_at as number) - (b.created_at as number);
  return d !== 0 ? d : String(a.id) < String(b.id) ? -1 : 1;
}
