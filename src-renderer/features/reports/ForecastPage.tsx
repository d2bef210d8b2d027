// The Forecast (F8): what the team (or one rep) will close by month or quarter — weighted
// by probability and by the probability learned from the team's own history — against
// targets, which are edited right here in the table; the stage probabilities beside what
// history says; and the deals behind the numbers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastBucket, ForecastReport } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useNames, useStages } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatMoney, majorToMinor, minorToMajorText } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { ReportTable } from '../../components/ReportTable.js';
import { UserSelect } from '../../components/pickers.js';
import { ForecastChart } from './ForecastChart.js';
import { percent } from './reportFormat.js';

/** Minutes east of UTC: months are the rep's own. */
const utcOffset = () => -new Date().getTimezoneOffset();

export function ForecastPage() {
  const { t, i18n } = useTranslation();
  const [owner, setOwner] = useState('');
  const [granularity, setGranularity] = useState<'month' | 'quarter'>('month');
  const input = {
    granularity,
    utcOffset: utcOffset(),
    ...(owner ? { owner_id: [owner] } : {}),
  };
  const forecast = useQuery({
    queryKey: ['reports', 'forecast', input],
    queryFn: () => api.call('reports.forecast', input),
  });
  const f = forecast.data;
  const money = (minor: number | null) =>
    minor === null || !f ? '—' : formatMoney(minor, f.currency, i18n.language);
  return (
    <Page title={t('forecast.title')} className="forecast-page">
      <div className="toolbar">
        <UserSelect
          aria-label={t('fields.owner_id')}
          emptyLabel={t('forecast.team')}
          value={owner}
          onChange={setOwner}
        />
        <div role="group" aria-label={t('forecast.by')} className="segmented">
          {(['month', 'quarter'] as const).map((g) => (
            <button
              key={g}
              type="button"
              aria-pressed={granularity === g}
              className={granularity === g ? 'active' : ''}
              onClick={() => setGranularity(g)}
            >
              {t(`forecast.granularity.${g}`)}
            </button>
          ))}
        </div>
      </div>
      {forecast.error && (
        <p role="alert" className="error">
          {errorText(forecast.error)}
        </p>
      )}
      {!f ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <>
          <div className="tiles">
            {(
              [
                ['weighted', f.totals.weighted],
                ['predicted', f.totals.predicted],
                ['pipeline', f.totals.pipeline],
                ['won', f.totals.won],
              ] as const
            ).map(([k, v]) => (
              <div key={k} className="tile" data-testid={`forecast-total-${k}`}>
                <div className="muted">{t(`forecast.totals.${k}`)}</div>
                <div className="big">{money(v)}</div>
              </div>
            ))}
          </div>
          <Notes report={f} />
          <ForecastChart report={f} />
          <BucketTable report={f} ownerId={owner || null} money={money} />
          <StageTable report={f} />
          <RepTable report={f} money={money} />
          <DealTable report={f} money={money} />
        </>
      )}
    </Page>
  );
}

function Notes({ report }: { report: ForecastReport }) {
  const { t } = useTranslation();
  if (!report.missingRates.length && !report.convertedCurrencies.length) return null;
  return (
    <div className="notice" role="note">
      {report.convertedCurrencies.length > 0 && (
        <p>
          {t('forecast.converted', {
            currencies: report.convertedCurrencies.join(t('form.listSep')),
            base: report.currency,
          })}
        </p>
      )}
      {report.missingRates.length > 0 && (
        <p>
          {t('forecast.missingRates', {
            currencies: report.missingRates.join(t('form.listSep')),
          })}
        </p>
      )}
    </div>
  );
}

/** Per period: the forecast, won, the target (edited in place) and attainment. */
function BucketTable({
  report,
  ownerId,
  money,
}: {
  report: ForecastReport;
  ownerId: string | null;
  money(minor: number | null): string;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="forecast-periods">
      <h2 id="forecast-periods">{t('forecast.periods')}</h2>
      <p className="hint">{t(ownerId ? 'forecast.targetHintRep' : 'forecast.targetHintTeam')}</p>
      <table className="report-table" data-testid="forecast-table">
        <thead>
          <tr>
            <th>{t('forecast.period')}</th>
            <th className="num">{t('forecast.totals.weighted')}</th>
            <th className="num">{t('forecast.totals.predicted')}</th>
            <th className="num">{t('opportunity.categories.commit')}</th>
            <th className="num">{t('opportunity.categories.best_case')}</th>
            <th className="num">{t('forecast.totals.won')}</th>
            <th className="num">{t('forecast.target')}</th>
            <th className="num">{t('forecast.attainment')}</th>
            <th className="num">{t('forecast.gap')}</th>
          </tr>
        </thead>
        <tbody>
          {report.buckets.map((b) => (
            <tr key={b.period} data-period={b.period}>
              <th scope="row">{b.period}</th>
              <td className="num">{money(b.weighted)}</td>
              <td className="num">{money(b.predicted)}</td>
              <td className="num">{money(b.byCategory.commit)}</td>
              <td className="num">{money(b.byCategory.best_case)}</td>
              <td className="num">{money(b.won)}</td>
              <td className="num">
                <TargetCell bucket={b} ownerId={ownerId} currency={report.currency} />
              </td>
              <td className="num" data-testid="attainment">
                {percent(b.attainment)}
              </td>
              <td className="num">{money(b.gap)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TargetCell({
  bucket,
  ownerId,
  currency,
}: {
  bucket: ForecastBucket;
  ownerId: string | null;
  currency: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const shown = bucket.target === null ? '' : minorToMajorText(bucket.target, currency);
  const [text, setText] = useState<string | null>(null);
  const [bad, setBad] = useState(false);
  const save = useMutation({
    mutationFn: (amount: number | null) =>
      api.call('targets.set', { user_id: ownerId, period: bucket.period, amount, currency }),
    onSuccess: () => {
      setText(null);
      void queryClient.invalidateQueries({ queryKey: ['reports'] });
      showToast(t('forecast.targetSaved', { period: bucket.period }));
    },
  });
  const commit = () => {
    if (text === null || text === shown) return setText(null);
    const amount = text.trim() === '' ? null : majorToMinor(text, currency);
    if (amount !== null && Number.isNaN(amount)) return setBad(true);
    setBad(false);
    save.mutate(amount);
  };
  return (
    <input
      className="target-input"
      inputMode="decimal"
      aria-label={t('forecast.targetFor', { period: bucket.period })}
      aria-invalid={bad || undefined}
      title={bad ? t('errors.amount') : undefined}
      value={text ?? shown}
      placeholder="—"
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') {
          setText(null);
          setBad(false);
        }
      }}
    />
  );
}

function StageTable({ report }: { report: ForecastReport }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="forecast-stages">
      <h2 id="forecast-stages">{t('forecast.stages')}</h2>
      <p className="hint">{t('forecast.stagesHint')}</p>
      <ReportTable
        testId="forecast-stages"
        head={[
          t('opportunity.stage'),
          t('forecast.stageDefault'),
          t('forecast.learned'),
          t('forecast.basedOn'),
        ]}
        rows={report.stages.map((s) => [
          i18n.language === 'zh-CN' ? s.name_zh : s.name_en,
          `${s.stageProbability}%`,
          s.learnedProbability === null ? t('forecast.notEnough') : percent(s.learnedProbability),
          t('forecast.stays', { count: s.basedOn }),
        ])}
      />
    </section>
  );
}

function RepTable({
  report,
  money,
}: {
  report: ForecastReport;
  money(minor: number | null): string;
}) {
  const { t } = useTranslation();
  const names = useNames();
  if (!report.byRep.length) return null;
  return (
    <section aria-labelledby="forecast-reps">
      <h2 id="forecast-reps">{t('forecast.reps')}</h2>
      <ReportTable
        head={[
          t('fields.owner_id'),
          t('forecast.totals.weighted'),
          t('forecast.totals.predicted'),
          t('forecast.totals.won'),
          t('forecast.target'),
          t('forecast.attainment'),
        ]}
        rows={report.byRep.map((r) => [
          r.userId ? (names.users.get(r.userId) ?? r.name) : t('form.none'),
          money(r.weighted),
          money(r.predicted),
          money(r.won),
          money(r.target),
          percent(r.attainment),
        ])}
      />
    </section>
  );
}

function DealTable({
  report,
  money,
}: {
  report: ForecastReport;
  money(minor: number | null): string;
}) {
  const { t, i18n } = useTranslation();
  const stages = useStages();
  const showOpportunity = useUi((s) => s.showOpportunity);
  if (!report.deals.length) return <p className="muted">{t('forecast.noDeals')}</p>;
  const stageName = (id: string) => {
    const s = stages.data?.find((x) => x.id === id);
    return s ? ((i18n.language === 'zh-CN' ? s.name_zh : s.name_en) ?? '') : '';
  };
  return (
    <section aria-labelledby="forecast-deals">
      <h2 id="forecast-deals">{t('forecast.deals')}</h2>
      <table className="report-table">
        <thead>
          <tr>
            <th>{t('opportunity.name')}</th>
            <th>{t('opportunity.stage')}</th>
            <th>{t('opportunity.expectedClose')}</th>
            <th className="num">{t('opportunity.amount')}</th>
            <th className="num">{t('forecast.probability')}</th>
            <th className="num">{t('forecast.learned')}</th>
            <th>{t('fields.forecast_category')}</th>
          </tr>
        </thead>
        <tbody>
          {report.deals.map((d) => (
            <tr key={d.id}>
              <td>
                <button type="button" className="link" onClick={() => showOpportunity(d.id)}>
                  {d.name}
                </button>
              </td>
              <td>{stageName(d.stageId)}</td>
              <td>{d.expectedClose ?? ''}</td>
              <td className="num">
                {money(d.amount)}
                {d.originalCurrency && d.originalCurrency !== report.currency && (
                  <small className="muted">
                    {' '}
                    ({formatMoney(d.originalAmount, d.originalCurrency, i18n.language)})
                  </small>
                )}
              </td>
              <td className="num">{d.probability}%</td>
              <td className="num">
                {d.predictedProbability === null ? '—' : `${Math.round(d.predictedProbability)}%`}
              </td>
              <td>
                {t(`opportunity.categories.${d.category}`)}
                {d.categoryOverridden && <small className="muted"> · {t('forecast.chosen')}</small>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
