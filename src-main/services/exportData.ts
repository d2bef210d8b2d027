import iconv from 'iconv-lite';
import {
  crudEntities,
  entityColumns,
  listInputSchema,
  type CsvEncoding,
  type ExportedFile,
  type ExportEntity,
  type ExportFileFormat,
} from '../contract/index.js';
import { toCsv } from '../domain/csv.js';
import { customFieldName, isCustomFieldName } from '../domain/customFields.js';
import { customValuesOf, listCustomFields } from './customValues.js';
import type { Store } from '../store/store.js';
import { listRows } from './listQuery.js';

export { exportableEntities, type ExportEntity } from '../contract/index.js';
export type ExportFormat = 'csv' | 'json';

/** Every live row of one entity, oldest first — or the rows `ids` names, in that order —
 * as CSV or JSON text. */
export function exportEntity(
  store: Store,
  what: ExportEntity,
  format: ExportFormat,
  ids?: readonly string[],
  keepOrder = false,
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
  if (keepOrder && ids) {
    const at = new Map(ids.map((id, i) => [id, i]));
    rows = rows.sort((a, b) => at.get(a.id as string)! - at.get(b.id as string)!);
  } else if (chunks.length > 1) rows = rows.sort(byCreated); // oldest first, as a whole table
  const custom = what === 'leads' ? withCustomValues(store, rows) : [];
  if (format === 'json') return { text: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length };
  return { text: toCsv([...entityColumns(def), ...custom], rows), rows: rows.length };
}

/** Leads carry their custom values as `cf.<key>` columns (after the built-in ones), so a
 * file exported here imports back into the same fields. Answers the column names. */
function withCustomValues(store: Store, rows: Record<string, unknown>[]): string[] {
  const fields = store.read((r) => listCustomFields(r));
  if (!fields.length) return [];
  const values = store.read((r) =>
    customValuesOf(
      r,
      rows.map((row) => String(row.id)),
    ),
  );
  for (const row of rows) {
    const own = values.get(String(row.id)) ?? {};
    for (const f of fields) row[customFieldName(f.key)] = own[f.key] ?? null;
  }
  return fields.map((f) => customFieldName(f.key));
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

export type { CsvEncoding, ExportFileFormat };

/** An export as file bytes: CSV in UTF-8 with BOM (or GB18030 for older Excel in China),
 * JSON, or an .xlsx workbook whose cells are all text (so a formula-like value is never
 * run, and phone numbers keep their leading zeros and plus signs). */
export async function exportFile(
  store: Store,
  what: ExportEntity,
  format: ExportFileFormat,
  encoding: CsvEncoding = 'utf-8',
  ids?: readonly string[],
  keepOrder = false,
): Promise<{ bytes: Buffer; rows: number }> {
  if (format !== 'xlsx') {
    const { text, rows } = exportEntity(store, what, format, ids, keepOrder);
    if (format === 'csv' && encoding === 'gb18030')
      return { bytes: iconv.encode(text.replace(/^\uFEFF/, ''), 'gb18030'), rows };
    return { bytes: Buffer.from(text, 'utf8'), rows };
  }
  const def = crudEntities[what];
  const { text, rows } = exportEntity(store, what, 'json', ids, keepOrder);
  const records = JSON.parse(text) as Record<string, unknown>[];
  const columns = [
    ...entityColumns(def),
    ...Object.keys(records[0] ?? {}).filter((c) => isCustomFieldName(c)),
  ];
  // Loaded on demand: it takes seconds to load and most exports are CSV.
  const { default: ExcelJS } = await import('exceljs');
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

const LIST_PAGE = 1000;
const MAX_EXPORT_ROWS = 1_000_000;
const mimeOf: Record<ExportFileFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The export the UI asks for: everything, or the rows of a list as the user sees it
 * (its filters, search and sort), as a file named for the entity and the day. A list
 * that is not a valid list of that entity is refused (BAD_INPUT). */
export async function exportForDownload(
  store: Store,
  input: {
    entity: ExportEntity;
    format: ExportFileFormat;
    encoding: CsvEncoding;
    list?: Record<string, unknown> | undefined;
  },
  today = new Date(),
): Promise<ExportedFile> {
  let ids: string[] | undefined;
  if (input.list) {
    const def = crudEntities[input.entity];
    const query = listInputSchema(def).parse({ ...input.list, limit: LIST_PAGE, offset: 0 });
    ids = [];
    // The list's own query, page by page: exactly the rows and order the user sees.
    for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += LIST_PAGE) {
      const page = store.read((r) =>
        listRows<{ id: string }>(r, def, { ...query, offset, withTotal: false }),
      );
      ids.push(...page.rows.map((row) => row.id));
      if (page.rows.length < LIST_PAGE) break;
    }
  }
  const { bytes, rows } = await exportFile(
    store,
    input.entity,
    input.format,
    input.encoding,
    ids,
    ids !== undefined,
  );
  const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
  return {
    fileName: `leadbook-${input.entity}-${day}.${input.format}`,
    mime: mimeOf[input.format],
    content: bytes.toString('base64'),
    rows,
  };
}
