import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grades, leadSources, leadStatuses } from '../../../src-main/contract/index.js';
import { useCampaigns, useUsers } from '../../api/queries.js';
import { leadColumnFields, useUi } from '../../app/uiStore.js';
import { formatNumber } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { useDebounced } from '../../components/useDebounced.js';
import { BulkBar } from './BulkBar.js';
import { LeadsTable } from './LeadsTable.js';
import { SavedViews } from './SavedViews.js';
import { useLeadTotal } from './useLeadPages.js';

export function LeadsPage() {
  const { t, i18n } = useTranslation();
  const view = useUi((s) => s.leads);
  const setLeads = useUi((s) => s.setLeads);
  const setPage = useUi((s) => s.setPage);
  const users = useUsers();
  const campaigns = useCampaigns();
  const [typed, setTyped] = useState(view.q);
  const q = useDebounced(typed, 150);
  useEffect(() => setLeads({ q }), [q, setLeads]);
  useEffect(() => setTyped(view.q), [view.q]);

  // Selection survives scrolling but not a change of what the list shows.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const filterKey = JSON.stringify({ ...view, columns: undefined });
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
          {t('leads.count', { count: total, n: formatNumber(total, i18n.language) })}
        </span>
      </div>
      {selected.size > 0 && <BulkBar selected={selected} onDone={() => setSelected(new Set())} />}
      <LeadsTable view={view} filtered={!!filtered} selected={selected} setSelected={setSelected} />
    </Page>
  );
}
