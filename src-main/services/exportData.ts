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
): { text: string; rows: number } {
  const def = crudEntities[what];
  const rows = store.all(
    store.qb
      .selectFrom(def.table)
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id'),
  ) as Record<string, unknown>[];
  if (format === 'json') return { text: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length };
  return { text: toCsv(entityColumns(def), rows), rows: rows.length };
}
