import { memo, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomFieldType, LeadRow } from '../../../src-main/contract/index.js';
import type { LeadSortField } from '../../app/uiStore.js';
import { formatNumber, formatShortDate } from '../../components/format.js';
import { widthVar } from './leadColumns.js';

export const ROW_HEIGHT = 36;

export interface RowNames {
  users: ReadonlyMap<string, string>;
  campaigns: ReadonlyMap<string, string>;
  /** Custom field key → its type, to show its values. */
  customTypes?: ReadonlyMap<string, CustomFieldType>;
}

/** One row of the virtualised leads table. Memoised: while scrolling only rows that come
 * into view render; the rest keep their DOM. */
export const LeadRowView = memo(function LeadRowView({
  row,
  index,
  start,
  columns,
  names,
  selected,
  active,
  cursor,
  onToggle,
  onOpen,
  onConvert,
}: {
  row: LeadRow | undefined;
  index: number;
  start: number;
  columns: readonly LeadSortField[];
  names: RowNames;
  selected: boolean;
  active: boolean;
  /** The keyboard cursor is on this row. */
  cursor: boolean;
  onToggle(index: number, id: string, range: boolean): void;
  onOpen(id: string): void;
  /** One click: the lead becomes an opportunity. */
  onConvert(id: string): void;
}) {
  const { t, i18n } = useTranslation();
  const cell = (r: LeadRow, field: LeadSortField): string => {
    switch (field) {
      case 'source':
        return r.source ? t(`source.${r.source}`) : '';
      case 'status':
        return t(`status.${r.status}`, { defaultValue: r.status });
      case 'created_at':
      case 'updated_at':
        return formatShortDate(r[field], i18n.language);
      case 'grade':
        return r.grade ? t(`grade.${r.grade}`) : '';
      case 'score':
        return r.score === null ? '' : String(r.score);
      case 'owner_id':
        return r.owner_id ? (names.users.get(r.owner_id) ?? '') : '';
      case 'campaign_id':
        return r.campaign_id ? (names.campaigns.get(r.campaign_id) ?? '') : '';
      default: {
        if (field.startsWith('cf.')) {
          const value = r.custom?.[field.slice(3)];
          if (value === undefined) return '';
          const type = names.customTypes?.get(field.slice(3));
          if (type === 'boolean') return t(value === '1' ? 'customFields.yes' : 'customFields.no');
          if (type === 'number') return formatNumber(Number(value), i18n.language);
          return value;
        }
        const v = (r as unknown as Record<string, unknown>)[field];
        return v === null || v === undefined ? '' : String(v);
      }
    }
  };
  const className = [
    'tr',
    index % 2 ? 'odd' : '',
    selected ? 'selected' : '',
    active ? 'active' : '',
    cursor ? 'cursor' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={className}
      data-lead-id={row?.id}
      style={{
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
      }}
      onClick={(e: MouseEvent) => {
        if (row && !(e.target as HTMLElement).closest('input,button')) onOpen(row.id);
      }}
    >
      <div role="cell" className="td check">
        {row && (
          <input
            type="checkbox"
            aria-label={t('leads.select', { name: row.name })}
            checked={selected}
            onChange={() => undefined}
            onClick={(e) => onToggle(index, row.id, e.shiftKey)}
          />
        )}
      </div>
      {columns.map((field) => {
        const text = row ? cell(row, field) : '';
        return (
          <div
            key={field}
            role="cell"
            className={field === 'name' ? 'td pinned' : 'td'}
            style={{ flex: `0 0 var(${widthVar(field)})` }}
            data-column={field}
            title={text.length > 12 ? text : undefined}
          >
            {!row ? (
              <span className="skeleton" />
            ) : field === 'name' ? (
              <button type="button" className="link cell-link" onClick={() => onOpen(row.id)}>
                {text}
              </button>
            ) : field === 'grade' && row.grade ? (
              <span className={`grade grade-${row.grade}`}>{text}</span>
            ) : (
              text
            )}
          </div>
        );
      })}
      <div role="cell" className="td actions">
        {row && row.status !== 'converted' && row.deleted_at === null && (
          <button
            type="button"
            className="link row-action"
            aria-label={t('convert.rowLabel', { name: row.name })}
            onClick={() => onConvert(row.id)}
          >
            {t('convert.button')}
          </button>
        )}
      </div>
    </div>
  );
});
