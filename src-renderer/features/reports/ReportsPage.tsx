// Reports (F9): the funnel, what each source and event brings for what it costs, who wins
// and why deals are lost, how long selling takes, and who is keeping up — over a date
// range, for a rep, a source or an event. Every number comes from the same API procedures
// as `leadbook report …`; every chart can be read as a table and exported.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportInput } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useAppStatus, useCustomFields } from '../../api/queries.js';
import { isoDay } from '../../components/dates.js';
import { errorText } from '../../components/errors.js';
import { formatNumber } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { EventSelect, SourceSelect, UserSelect } from '../../components/pickers.js';
import { CycleReportView } from './CycleReportView.js';
import { FunnelChart } from './FunnelChart.js';
import { RepActivityTable } from './RepActivityTable.js';
import { SourcesView } from './SourcesView.js';
import { WinRatesView } from './WinRatesView.js';

const DAY = 86_400_000;

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const status = useAppStatus();
  const counts = status.data?.counts;
  const [filters, setFilters] = useState(() => ({
    from: isoDay(Date.now() - 364 * DAY),
    to: isoDay(),
    owner: '',
    source: '',
    event: '',
    groupBy: '',
  }));
  // Custom fields of few values can split the funnel (a history's lead origin, a tier).
  const groupable = (useCustomFields().data ?? []).filter(
    (f) => f.type === 'choice' || f.type === 'boolean',
  );
  const input: ReportInput = {
    utcOffset: -new Date().getTimezoneOffset(),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(filters.owner ? { owner_id: [filters.owner] } : {}),
    ...(filters.source ? { source: [filters.source as 'event'] } : {}),
    ...(filters.event ? { campaign_id: [filters.event] } : {}),
  };
  const key = (name: string) => ['reports', name, input];
  const funnelInput = filters.groupBy ? { ...input, groupBy: filters.groupBy } : input;
  const funnel = useQuery({
    queryKey: ['reports', 'funnel', funnelInput],
    queryFn: () => api.call('reports.funnel', funnelInput),
  });
  const sources = useQuery({
    queryKey: key('sources'),
    queryFn: () => api.call('reports.sources', input),
  });
  const winRates = useQuery({
    queryKey: key('winRates'),
    queryFn: () => api.call('reports.winRates', input),
  });
  const cycle = useQuery({
    queryKey: key('cycle'),
    queryFn: () => api.call('reports.cycle', input),
  });
  const reps = useQuery({
    queryKey: key('repActivity'),
    queryFn: () => api.call('reports.repActivity', input),
  });
  const error = funnel.error ?? sources.error ?? winRates.error ?? cycle.error ?? reps.error;
  const tiles = ['leads', 'opportunities', 'accounts', 'contacts'] as const;
  return (
    <Page title={t('reports.title')} className="reports-page">
      <div className="tiles">
        {tiles.map((k) => (
          <div key={k} className="tile">
            <div className="muted">{t(`reports.${k}`)}</div>
            <div className="big">{counts ? formatNumber(counts[k], i18n.language) : '…'}</div>
          </div>
        ))}
      </div>
      <div className="toolbar" role="group" aria-label={t('reports.filters')}>
        <label>
          {t('reports.from')}{' '}
          <input
            type="date"
            name="from"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          {t('reports.to')}{' '}
          <input
            type="date"
            name="to"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <UserSelect
          aria-label={t('fields.owner_id')}
          emptyLabel={t('board.allOwners')}
          value={filters.owner}
          onChange={(owner) => setFilters({ ...filters, owner })}
        />
        <SourceSelect
          aria-label={t('fields.source')}
          emptyLabel={t('leads.allSources')}
          value={filters.source}
          onChange={(source) => setFilters({ ...filters, source })}
        />
        <EventSelect
          aria-label={t('fields.campaign_id')}
          emptyLabel={t('board.allEvents')}
          value={filters.event}
          onChange={(event) => setFilters({ ...filters, event })}
        />
        {groupable.length > 0 && (
          <select
            aria-label={t('reports.groupBy')}
            value={filters.groupBy}
            onChange={(e) => setFilters({ ...filters, groupBy: e.target.value })}
          >
            <option value="">{t('reports.noGrouping')}</option>
            {groupable.map((f) => (
              <option key={f.id} value={`cf.${f.key}`}>
                {t('reports.byField', { field: f.label })}
              </option>
            ))}
          </select>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {funnel.data && <FunnelChart report={funnel.data} />}
      {sources.data && <SourcesView report={sources.data} />}
      {winRates.data && <WinRatesView report={winRates.data} />}
      {cycle.data && <CycleReportView report={cycle.data} />}
      {reps.data && <RepActivityTable rows={reps.data} />}
    </Page>
  );
}
