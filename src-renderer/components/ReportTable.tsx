import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './format.js';

/** A report's table: a header row, then rows whose first cell names the row (a row
 * header for screen readers) and whose other cells are figures, right-aligned; a number
 * is written the reader's way (34,353). CSV exports take the raw numbers. */
export function ReportTable({
  head,
  rows,
  caption,
  testId,
}: {
  head: readonly ReactNode[];
  rows: readonly (readonly ReactNode[])[];
  caption?: string;
  testId?: string;
}) {
  const { i18n } = useTranslation();
  const show = (cell: ReactNode) =>
    typeof cell === 'number' ? formatNumber(cell, i18n.language) : cell;
  return (
    <table className="report-table" data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} className={i ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={j} className="num">
                  {show(cell)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
