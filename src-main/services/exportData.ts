import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
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

export type ExportFileFormat = ExportFormat | 'xlsx';
export type CsvEncoding = 'utf-8' | 'gb18030';

/** An export as file bytes: CSV in UTF-8 with BOM (or GB18030 for older Excel in China),
 * JSON, or an .xlsx workbook whose cells are all text (so a formula-like value is never
 * run, and phone numbers keep their leading zeros and plus signs). */
export async function exportFile(
  store: Store,
  what: ExportEntity,
  format: ExportFileFormat,
  encoding: CsvEncoding = 'utf-8',
  ids?: readonly string[],
): Promise<{ bytes: Buffer; rows: number }> {
  if (format !== 'xlsx') {
    const { text, rows } = exportEntity(store, what, format, ids);
    if (format === 'csv' && encoding === 'gb18030')
      return { bytes: iconv.encode(text.replace(/^\uFEFF/, ''), 'gb18030'), rows };
    return { bytes: Buffer.from(text, 'utf8'), rows };
  }
  const def = crudEntities[what];
  const columns = entityColumns(def);
  const { text, rows } = exportEntity(store, what, 'json', ids);
  const records = JSON.parse(text) as Record<string, unknown>[];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(what);
  sheet.addRow(columns);
  for (const record of records)
    sheet.addRow(
      columns.map((c) => (record[c] === null || record[c] === undefined ? '' : String(record[c]))),
    );
  sheet.getRow(1).font = { bold: true };
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), rows };
}
