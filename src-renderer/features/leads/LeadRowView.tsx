import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadRow } from '../../../src-main/contract/index.js';
import type { LeadSortField } from '../../app/uiStore.js';
import { formatShortDate } from '../../components/format.js';

export const ROW_HEIGHT = 36;

export interface LeadColumn {
  field: LeadSortField;
  width: string;
}

/** One row of the virtualised leads table. Memoised: while scrolling only rows that come
 * into view render; the rest keep their DOM. */
export const LeadRowView = memo(function LeadRowView({
  row,
  index,
  start,
  columns,
}: {
  row: LeadRow | undefined;
  index: number;
  start: number;
  columns: readonly LeadColumn[];
}) {
  const { t, i18n } = useTranslation();
  const cell = (r: LeadRow, field: LeadSortField): string => {
    switch (field) {
      case 'source':
        return r.source ? t(`source.${r.source}`) : '';
      case 'status':
        return t(`status.${r.status}`, { defaultValue: r.status });
      case 'created_at':
        return formatShortDate(r.created_at, i18n.language);
      case 'grade':
        return r.grade ? t(`grade.${r.grade}`) : '';
      default:
        return (r[field] as string | null) ?? '';
    }
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={index % 2 ? 'tr odd' : 'tr'}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
      }}
    >
      {columns.map((c) => (
        <div key={c.field} role="cell" className="td" style={{ width: c.width }}>
          {row ? cell(row, c.field) : <span className="skeleton" />}
        </div>
      ))}
    </div>
  );
});
