import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { leadSources, leadStatuses } from '../../../src-main/contract/index.js';
import { useUi, type LeadSortField } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { Page } from '../../components/Page.js';
import { useDebounced } from '../../components/useDebounced.js';
import { formatNumber } from '../../components/format.js';
import { LeadForm } from './LeadForm.js';
import { LeadRowView, ROW_HEIGHT, type LeadColumn } from './LeadRowView.js';
import { PAGE_SIZE, useLeadPages } from './useLeadPages.js';

const columns: LeadColumn[] = [
  { field: 'name', width: '13%' },
  { field: 'company', width: '19%' },
  { field: 'title', width: '11%' },
  { field: 'email', width: '17%' },
  { field: 'phone', width: '12%' },
  { field: 'source', width: '10%' },
  { field: 'status', width: '8%' },
  { field: 'created_at', width: '10%' },
];

export function LeadsPage() {
  const { t, i18n } = useTranslation();
  const view = useUi((s) => s.leads);
  const setLeads = useUi((s) => s.setLeads);
  const creating = useUi((s) => s.creatingLead);
  const setCreating = useUi((s) => s.setCreatingLead);
  const [typed, setTyped] = useState(view.q);
  const q = useDebounced(typed, 150);
  useEffect(() => setLeads({ q }), [q, setLeads]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [visiblePages, setVisiblePages] = useState<number[]>([0]);
  const pages = useLeadPages(view, visiblePages);
  const virtualizer = useVirtualizer({
    count: pages.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const from = Math.floor(firstIndex / PAGE_SIZE);
    const to = Math.floor(lastIndex / PAGE_SIZE);
    const next = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    setVisiblePages((prev) => (prev.join() === next.join() ? prev : next));
  }, [firstIndex, lastIndex]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [view.q, view.status, view.source, view.sort]);

  const sortBy = (field: LeadSortField) =>
    setLeads({
      sort: { field, dir: view.sort.field === field && view.sort.dir === 'asc' ? 'desc' : 'asc' },
    });
  return (
    <Page
      title={t('leads.title')}
      className="leads-page"
      actions={
        <button className="primary" onClick={() => setCreating(true)}>
          {t('leads.new')}
        </button>
      }
    >
      <div className="toolbar">
        <input
          id="lead-search"
          type="search"
          className="grow"
          aria-label={t('leads.search')}
          placeholder={t('leads.search')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <select
          aria-label={t('leads.columns.status')}
          value={view.status}
          onChange={(e) => setLeads({ status: e.target.value as typeof view.status })}
        >
          <option value="">{t('leads.allStatuses')}</option>
          {leadStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('leads.columns.source')}
          value={view.source}
          onChange={(e) => setLeads({ source: e.target.value as typeof view.source })}
        >
          <option value="">{t('leads.allSources')}</option>
          {leadSources.map((s) => (
            <option key={s} value={s}>
              {t(`source.${s}`)}
            </option>
          ))}
        </select>
        <span className="muted" data-testid="lead-count" aria-live="polite">
          {t('leads.count', { count: pages.total, n: formatNumber(pages.total, i18n.language) })}
        </span>
      </div>
      {creating && <LeadForm onClose={() => setCreating(false)} />}
      {pages.error && (
        <p role="alert" className="error">
          {errorText(pages.error)}
        </p>
      )}
      <div
        className="table"
        role="table"
        aria-rowcount={pages.total + 1}
        aria-label={t('leads.title')}
      >
        <div className="thead" role="rowgroup">
          <div className="tr" role="row">
            {columns.map((c) => (
              <div
                key={c.field}
                role="columnheader"
                className="th"
                style={{ width: c.width }}
                aria-sort={
                  view.sort.field === c.field
                    ? view.sort.dir === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : 'none'
                }
              >
                <button className="link" onClick={() => sortBy(c.field)}>
                  {t(`leads.columns.${c.field}`)}
                  {view.sort.field === c.field ? (view.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </div>
            ))}
          </div>
        </div>
        <div className="tbody" ref={scrollRef} role="rowgroup">
          {!pages.isPending && pages.total === 0 && (
            <p className="muted empty">
              {view.q || view.status || view.source ? t('leads.noMatch') : t('leads.empty')}
            </p>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => (
              <LeadRowView
                key={item.key}
                row={pages.rowAt(item.index)}
                index={item.index}
                start={item.start}
                columns={columns}
              />
            ))}
          </div>
        </div>
      </div>
    </Page>
  );
}
