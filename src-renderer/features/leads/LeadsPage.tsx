import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grades, leadSources, leadStatuses } from '../../../src-main/contract/index.js';
import { useCampaigns, useNames, useUsers } from '../../api/queries.js';
import { leadColumnFields, useUi, type LeadSortField } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatNumber } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { useDebounced } from '../../components/useDebounced.js';
import { BulkBar } from './BulkBar.js';
import { columnFlex, LeadRowView, ROW_HEIGHT } from './LeadRowView.js';
import { SavedViews } from './SavedViews.js';
import { PAGE_SIZE, useLeadPages } from './useLeadPages.js';

export function LeadsPage() {
  const { t, i18n } = useTranslation();
  const view = useUi((s) => s.leads);
  const setLeads = useUi((s) => s.setLeads);
  const setPage = useUi((s) => s.setPage);
  const openLead = useUi((s) => s.openLead);
  const openLeadId = useUi((s) => s.openLeadId);
  const users = useUsers();
  const campaigns = useCampaigns();
  const names = useNames();
  const [typed, setTyped] = useState(view.q);
  const q = useDebounced(typed, 150);
  useEffect(() => setLeads({ q }), [q, setLeads]);
  useEffect(() => setTyped(view.q), [view.q]);

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

  // Selection survives scrolling but not a change of what the list shows.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<number | null>(null);
  const filterKey = JSON.stringify({ ...view, columns: undefined });
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setSelected(new Set());
    anchor.current = null;
  }, [filterKey]);
  // Rows memoise on their callbacks, so these must not change with every render.
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const onToggle = useCallback((index: number, id: string, range: boolean) => {
    // Read now: the state updater below runs later, after the anchor has moved.
    const from = anchor.current;
    const rows = pagesRef.current.loaded();
    anchor.current = index;
    setSelected((prev) => {
      const next = new Set(prev);
      if (range && from !== null) {
        const [lo, hi] = [Math.min(from, index), Math.max(from, index)];
        for (const { index: i, row } of rows) if (i >= lo && i <= hi) next.add(row.id);
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const onOpen = useCallback((id: string) => openLead(id), [openLead]);
  const loadedRows = pages.loaded();
  const allLoadedSelected =
    loadedRows.length > 0 && loadedRows.every(({ row }) => selected.has(row.id));

  const sortBy = (field: LeadSortField) =>
    setLeads({
      sort: { field, dir: view.sort.field === field && view.sort.dir === 'asc' ? 'desc' : 'asc' },
    });
  const filtered =
    view.q ||
    view.status ||
    view.source ||
    view.owner ||
    view.campaign ||
    view.grade ||
    view.createdFrom ||
    view.createdTo ||
    view.overdue;
  const columns = view.columns;
  return (
    <Page
      title={t('leads.title')}
      className="leads-page"
      actions={
        <div className="row">
          <SavedViews />
          <button className="primary" onClick={() => setPage('capture')}>
            {t('leads.new')}
          </button>
        </div>
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
        <select
          aria-label={t('leads.columns.owner_id')}
          value={view.owner}
          onChange={(e) => setLeads({ owner: e.target.value })}
        >
          <option value="">{t('leads.allOwners')}</option>
          {users.data?.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t('leads.columns.campaign_id')}
          value={view.campaign}
          onChange={(e) => setLeads({ campaign: e.target.value })}
        >
          <option value="">{t('leads.allEvents')}</option>
          {campaigns.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t('leads.columns.grade')}
          value={view.grade}
          onChange={(e) => setLeads({ grade: e.target.value as typeof view.grade })}
        >
          <option value="">{t('leads.allGrades')}</option>
          {grades.map((g) => (
            <option key={g} value={g}>
              {t(`grade.${g}`)}
            </option>
          ))}
        </select>
        <label className="inline-field">
          <span>{t('leads.createdFrom')}</span>
          <input
            type="date"
            value={view.createdFrom}
            onChange={(e) => setLeads({ createdFrom: e.target.value })}
          />
        </label>
        <label className="inline-field">
          <span>{t('leads.createdTo')}</span>
          <input
            type="date"
            value={view.createdTo}
            onChange={(e) => setLeads({ createdTo: e.target.value })}
          />
        </label>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={view.overdue}
            onChange={(e) => setLeads({ overdue: e.target.checked })}
          />
          <span>{t('leads.overdueOnly')}</span>
        </label>
        <details className="menu">
          <summary>{t('leads.chooseColumns')}</summary>
          <div className="menu-body" role="group" aria-label={t('leads.chooseColumns')}>
            {leadColumnFields.map((f) => (
              <label key={f} className="inline-field">
                <input
                  type="checkbox"
                  checked={columns.includes(f)}
                  disabled={f === 'name'}
                  onChange={(e) =>
                    setLeads({
                      columns: e.target.checked
                        ? leadColumnFields.filter((c) => c === f || columns.includes(c))
                        : columns.filter((c) => c !== f),
                    })
                  }
                />
                <span>{t(`leads.columns.${f}`)}</span>
              </label>
            ))}
          </div>
        </details>
        <span className="muted" data-testid="lead-count" aria-live="polite">
          {t('leads.count', { count: pages.total, n: formatNumber(pages.total, i18n.language) })}
        </span>
      </div>
      {selected.size > 0 && <BulkBar selected={selected} onDone={() => setSelected(new Set())} />}
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
        aria-multiselectable
      >
        <div className="thead" role="rowgroup">
          <div className="tr" role="row">
            <div role="columnheader" className="th check">
              <input
                type="checkbox"
                aria-label={t('leads.selectAll')}
                checked={allLoadedSelected}
                onChange={() =>
                  setSelected(
                    allLoadedSelected ? new Set() : new Set(loadedRows.map(({ row }) => row.id)),
                  )
                }
              />
            </div>
            {columns.map((field) => (
              <div
                key={field}
                role="columnheader"
                className="th"
                style={{ flex: columnFlex[field] ?? 1 }}
                aria-sort={
                  view.sort.field === field
                    ? view.sort.dir === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : 'none'
                }
              >
                <button className="link" onClick={() => sortBy(field)}>
                  {t(`leads.columns.${field}`)}
                  {view.sort.field === field ? (view.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </div>
            ))}
          </div>
        </div>
        <div className="tbody" ref={scrollRef} role="rowgroup">
          {!pages.isPending && pages.total === 0 && (
            <div className="muted empty">
              {filtered ? (
                <p>{t('leads.noMatch')}</p>
              ) : (
                <>
                  <p>{t('leads.empty')}</p>
                  <button className="primary" onClick={() => setPage('capture')}>
                    {t('leads.new')}
                  </button>
                </>
              )}
            </div>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = pages.rowAt(item.index);
              return (
                <LeadRowView
                  key={item.key}
                  row={row}
                  index={item.index}
                  start={item.start}
                  columns={columns}
                  names={names}
                  selected={!!row && selected.has(row.id)}
                  active={!!row && row.id === openLeadId}
                  onToggle={onToggle}
                  onOpen={onOpen}
                />
              );
            })}
          </div>
        </div>
      </div>
    </Page>
  );
}
