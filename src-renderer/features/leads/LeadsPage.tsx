import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grades } from '../../../src-main/contract/index.js';
import { leadColumnFields, leadsFilterKey, useUi } from '../../app/uiStore.js';
import { formatNumber } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { EventSelect, SourceSelect, StatusSelect, UserSelect } from '../../components/pickers.js';
import { useDebounced } from '../../components/useDebounced.js';
import { ExportMenu } from '../../components/ExportMenu.js';
import { useCustomFields } from '../../api/queries.js';
import { BulkBar } from './BulkBar.js';
import { CustomFilter } from './CustomFilter.js';
import { LeadsTable } from './LeadsTable.js';
import { SavedViews } from './SavedViews.js';
import { SearchIndexNote } from './SearchIndexNote.js';
import { leadListFilters, useLeadTotal } from './useLeadPages.js';

export function LeadsPage() {
  const { t, i18n } = useTranslation();
  const view = useUi((s) => s.leads);
  const setLeads = useUi((s) => s.setLeads);
  const setPage = useUi((s) => s.setPage);
  const [typed, setTyped] = useState(view.q);
  const q = useDebounced(typed, 150);
  useEffect(() => setLeads({ q }), [q, setLeads]);
  useEffect(() => setTyped(view.q), [view.q]);

  // Selection survives scrolling but not a change of what the list shows.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const filterKey = leadsFilterKey(view);
  useEffect(() => setSelected(new Set()), [filterKey]);
  const total = useLeadTotal(view);
  const filtered =
    view.q ||
    view.status ||
    view.source ||
    view.owner ||
    view.campaign ||
    view.grade ||
    view.createdFrom ||
    view.createdTo ||
    view.overdue ||
    Object.keys(view.custom).length > 0 ||
    Object.keys(view.customRange).length > 0;
  const columns = view.columns;
  const customFields = useCustomFields().data ?? [];
  return (
    <Page
      title={t('leads.title')}
      className="leads-page"
      actions={
        <div className="row">
          <details className="export-popover">
            <summary className="button-like">{t('export.menu')}</summary>
            <ExportMenu entity="leads" list={leadListFilters(view)} count={total} />
          </details>
          <SavedViews />
          <button className="primary" onClick={() => setPage('capture')}>
            {t('leads.new')}
          </button>
        </div>
      }
    >
      <SearchIndexNote />
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
        <StatusSelect
          aria-label={t('leads.columns.status')}
          withConverted
          emptyLabel={t('leads.allStatuses')}
          value={view.status}
          onChange={(v) => setLeads({ status: v as typeof view.status })}
        />
        <SourceSelect
          aria-label={t('leads.columns.source')}
          emptyLabel={t('leads.allSources')}
          value={view.source}
          onChange={(v) => setLeads({ source: v as typeof view.source })}
        />
        <UserSelect
          aria-label={t('leads.columns.owner_id')}
          emptyLabel={t('leads.allOwners')}
          value={view.owner}
          onChange={(v) => setLeads({ owner: v })}
        />
        <EventSelect
          aria-label={t('leads.columns.campaign_id')}
          emptyLabel={t('leads.allEvents')}
          value={view.campaign}
          onChange={(v) => setLeads({ campaign: v })}
        />
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
                      // A column shown again comes last; the user's order stays.
                      columns: e.target.checked ? [...columns, f] : columns.filter((c) => c !== f),
                    })
                  }
                />
                <span>{t(`leads.columns.${f}`)}</span>
              </label>
            ))}
            {customFields.map((f) => {
              const col = `cf.${f.key}` as const;
              return (
                <label key={f.id} className="inline-field">
                  <input
                    type="checkbox"
                    checked={columns.includes(col)}
                    onChange={(e) =>
                      setLeads({
                        columns: e.target.checked
                          ? [...columns, col]
                          : columns.filter((c) => c !== col),
                      })
                    }
                  />
                  <span>{f.label}</span>
                </label>
              );
            })}
          </div>
        </details>
        <CustomFilter view={view} onChange={(patch) => setLeads(patch)} />
        <span className="muted" data-testid="lead-count" aria-live="polite">
          {t('leads.count', { count: total, n: formatNumber(total, i18n.language) })}
        </span>
      </div>
      {selected.size > 0 && <BulkBar selected={selected} onDone={() => setSelected(new Set())} />}
      <LeadsTable view={view} filtered={!!filtered} selected={selected} setSelected={setSelected} />
    </Page>
  );
}
