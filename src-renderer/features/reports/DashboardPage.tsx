// Home: what a rep opens the app for in the morning — this month's forecast against the
// target, the hottest leads to call, tasks past due, and deals that have sat too long.
// Mine when this laptop has a user, the team's otherwise (switchable).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useDevice, useStageName } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime, formatMoney } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { percent } from './reportFormat.js';

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const device = useDevice();
  const me = device.data?.currentUserId ?? null;
  const [team, setTeam] = useState(false);
  const owner = team ? null : me;
  const input = { owner_id: owner, utcOffset: -new Date().getTimezoneOffset() };
  const dashboard = useQuery({
    queryKey: ['reports', 'dashboard', input],
    queryFn: () => api.call('reports.dashboard', input),
    enabled: device.isSuccess,
  });
  const openLead = useUi((s) => s.openLead);
  const setPage = useUi((s) => s.setPage);
  const showOpportunity = useUi((s) => s.showOpportunity);
  const stageName = useStageName();
  const d = dashboard.data;
  const money = (minor: number | null, currency?: string | null) =>
    minor === null || !d ? '—' : formatMoney(minor, currency ?? d.currency, i18n.language);
  /** The month's forecast, won and target: whole units, as on the Forecast page. */
  const total = (minor: number | null) =>
    minor === null || !d ? '—' : formatMoney(minor, d.currency, i18n.language, { whole: true });

  const lead = (id: string | null) => {
    if (!id) return;
    setPage('leads');
    openLead(id);
  };
  return (
    <Page title={t('dashboard.title')} className="dashboard-page">
      {me && (
        <div role="group" aria-label={t('dashboard.whose')} className="segmented">
          {([false, true] as const).map((v) => (
            <button
              key={String(v)}
              type="button"
              aria-pressed={team === v}
              className={team === v ? 'active' : ''}
              onClick={() => setTeam(v)}
            >
              {v ? t('dashboard.team') : t('dashboard.mine')}
            </button>
          ))}
        </div>
      )}
      {dashboard.error && (
        <p role="alert" className="error">
          {errorText(dashboard.error)}
        </p>
      )}
      {d && (
        <>
          <div className="tiles" data-testid="dashboard-month">
            <div className="tile">
              <div className="muted">{t('dashboard.weighted', { month: d.month.period })}</div>
              <div className="big">{total(d.month.weighted)}</div>
            </div>
            <div className="tile">
              <div className="muted">{t('dashboard.won')}</div>
              <div className="big">{total(d.month.won)}</div>
            </div>
            <div className="tile">
              <div className="muted">{t('dashboard.attainment')}</div>
              <div className="big">
                {d.month.target === null ? t('dashboard.noTarget') : percent(d.month.attainment)}
              </div>
              {d.month.target !== null && (
                <div className="muted small">
                  {t('dashboard.ofTarget', { target: total(d.month.target) })}
                </div>
              )}
            </div>
          </div>
          <div className="dashboard-grid">
            <section aria-labelledby="dash-hot" className="chart-frame">
              <h2 id="dash-hot">{t('dashboard.hotLeads')}</h2>
              {d.hotLeads.length === 0 ? (
                <p className="muted">{t('dashboard.noHotLeads')}</p>
              ) : (
                <ul className="dash-list" data-testid="dashboard-hot">
                  {d.hotLeads.map((l) => (
                    <li key={l.id}>
                      <button type="button" className="link" onClick={() => lead(l.id)}>
                        {l.name}
                      </button>{' '}
                      <span className="muted">
                        {[l.company, l.phone].filter(Boolean).join(' · ')}
                      </span>
                      <span className="badge">{l.score ?? ''}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="dash-overdue" className="chart-frame">
              <h2 id="dash-overdue">{t('dashboard.overdue')}</h2>
              {d.overdueTasks.length === 0 ? (
                <p className="muted">{t('dashboard.noOverdue')}</p>
              ) : (
                <ul className="dash-list" data-testid="dashboard-overdue">
                  {d.overdueTasks.map((a) => (
                    <li key={a.id}>
                      <button
                        type="button"
                        className="link"
                        onClick={() =>
                          a.opportunityId ? showOpportunity(a.opportunityId) : lead(a.leadId)
                        }
                      >
                        {a.subject}
                      </button>{' '}
                      <span className="muted">
                        {t('dashboard.due', { when: formatDateTime(a.dueAt, i18n.language) })}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="dash-stale" className="chart-frame">
              <h2 id="dash-stale">{t('dashboard.stale')}</h2>
              {d.staleDeals.length === 0 ? (
                <p className="muted">{t('dashboard.noStale')}</p>
              ) : (
                <ul className="dash-list" data-testid="dashboard-stale">
                  {d.staleDeals.map((o) => (
                    <li key={o.id}>
                      <button type="button" className="link" onClick={() => showOpportunity(o.id)}>
                        {o.name}
                      </button>{' '}
                      <span className="muted">
                        {stageName(o.stageId) ?? ''} ·{' '}
                        {t('board.daysInStage', { count: o.daysInStage })} ·{' '}
                        {money(o.amount, o.currency)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </>
      )}
    </Page>
  );
}
