// .xlsx workbooks (Excel, WPS, Numbers exports): the first sheet as a table of text cells,
// rows numbered as Excel shows them.
// Types only here: exceljs itself (two seconds to load) is loaded when a workbook is read.
import type ExcelJS from 'exceljs';
import { IMPORT_LIMITS, ImportFileError, type ParsedTable } from './importFile.js';

/** A zip file's signature: .xlsx workbooks are zip archives. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a user sees: dates as YYYY-MM-DD, formulas as their result, rich
 * text and links as their text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value)
      return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

export async function xlsxTable(bytes: Uint8Array): Promise<ParsedTable> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never,
    );
  } catch {
    throw new ImportFileError('binary', 'the file is neither a CSV nor a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('empty', 'the workbook has no sheet');
  if (sheet.actualColumnCount > IMPORT_LIMITS.maxColumns)
    throw new ImportFileError(
      'too_many_columns',
      `the sheet has ${sheet.actualColumnCount} columns; at most ${IMPORT_LIMITS.maxColumns} are read`,
    );
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as ExcelJS.CellValue[];
    // row.values is 1-based: index 0 is always empty.
    const cells = values.slice(1).map(cellText);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line, cells });
  });
  const [first, ...data] = rows;
  if (!first) throw new ImportFileError('empty', 'the sheet is empty');
  if (data.length === 0)
    throw new ImportFileError('header_only', 'the sheet has a header but no rows');
  if (data.length > IMPORT_LIMITS.maxRows)
    throw new ImportFileError(
      'too_many_rows',
      `the sheet has ${data.length} rows; at most ${IMPORT_LIMITS.maxRows} at once`,
    );
  return { delimiter: 'xlsx', header: first.cells.map((h) => h.trim()), rows: data };
}
