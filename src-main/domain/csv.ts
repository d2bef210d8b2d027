// CSV writing (RFC 4180) with spreadsheet-formula neutralisation: a cell a spreadsheet
// would run as a formula (= + - @, or a leading tab/CR) is prefixed with a tab so it
// opens as text. (OWASP "CSV injection".)

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `\t${s}`;
  return /[",\r\n\t]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}

/** A whole CSV document with a UTF-8 BOM so Excel (zh-CN too) reads Chinese correctly. */
export function toCsv(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): string {
  const lines = [csvLine(columns), ...rows.map((r) => csvLine(columns.map((c) => r[c])))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
