// The Forecast (F8): what the team (or one rep) will close by month or quarter — weighted
// by probability and by the probability learned from the team's own history — against
// targets, which are edited right here in the table; the stage probabilities beside what
// history says; and the deals behind the numbers.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  forecastCategories,
  type ForecastBucket,
  type ForecastDealSort,
  type ForecastInput,
  type ForecastReport,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useNames, useStageName, useTeamConfigReadOnly } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatMoney, localName, majorToMinor, minorToMajorText } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { ReportTable } from '../../components/ReportTable.js';
import { ForecastCategorySelect, UserSelect } from '../../components/pickers.js';
import { ForecastChart } from './ForecastChart.js';
import { percent } from './reportFormat.js';

/** Minutes east of UTC: months are the rep's own. */
const utcOffset = () => -new Date().getTimezoneOffset();

export function ForecastPage() {
  const { t, i18n } = useTranslation();
  const [owner, setOwner] = useState('');
  const [granularity, setGranularity] = useState<'month' | 'quarter'>('month');
  const [dealFilter, setDealFilter] = useState<DealFilter>({ sort: 'weighted', descending: true });
  const input = {
    granularity,
    utcOffset: utcOffset(),
    ...(owner ? { owner_id: [owner] } : {}),
    dealFilter,
  };
  const forecast = useQuery({
    queryKey: ['reports', 'forecast', input],
    queryFn: () => api.call('reports.forecast', input),
    // Sorting or filtering the deal list keeps the page in place while it is asked again.
    placeholderData: keepPreviousData,
  });
  const f = forecast.data;
  const money = (minor: number | null) =>
    minor === null || !f ? '—' : formatMoney(minor, f.currency, i18n.language, { whole: true });
  const showPeriodDeals = (period: string) => {
    setDealFilter((x) => ({ ...x, period }));
    document.getElementById('forecast-deals')?.scrollIntoView({ block: 'start' });
  };
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
              onClick={() => {
                setGranularity(g);
                // A month chosen in the deal list means nothing by quarter, and back.
                setDealFilter(({ period: _period, ...x }) => x);
              }}
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
          <BucketTable
            report={f}
            ownerId={owner || null}
            money={money}
            onShowDeals={showPeriodDeals}
          />
          <StageTable report={f} />
          <RepTable report={f} money={money} />
          <DealTable report={f} money={money} filter={dealFilter} onFilter={setDealFilter} />
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
  onShowDeals,
}: {
  report: ForecastReport;
  ownerId: string | null;
  money(minor: number | null): string;
  onShowDeals(period: string): void;
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
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  title={t('forecast.showDeals', { period: b.period })}
                  onClick={() => onShowDeals(b.period)}
                >
                  {b.period}
                </button>
              </th>
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
  // Targets are team settings: a rep of a synced team reads them only.
  const readOnly = useTeamConfigReadOnly();
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
      value={text ?? shown}
      placeholder="—"
      readOnly={readOnly}
      title={readOnly ? t('sync.readOnly') : bad ? t('errors.amount') : undefined}
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
          localName(s, i18n.language),
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

type DealFilter = NonNullable<ForecastInput['dealFilter']>;

/** Columns of the deal list, each with the order it sorts by (first click: the natural
 * direction — largest first, names and dates A→Z). */
const dealColumns: {
  sort: ForecastDealSort;
  label: string;
  /** 'num': a right-aligned figure; 'nowrap': a date. Names wrap. */
  className?: 'num' | 'nowrap';
  ascending?: boolean;
}[] = [
  { sort: 'name', label: 'opportunity.name', ascending: true },
  { sort: 'close', label: 'opportunity.expectedClose', className: 'nowrap', ascending: true },
  { sort: 'amount', label: 'opportunity.amount', className: 'num' },
  { sort: 'probability', label: 'forecast.probability', className: 'num' },
  { sort: 'weighted', label: 'forecast.totals.weighted', className: 'num' },
  { sort: 'learned', label: 'forecast.learned', className: 'num' },
  { sort: 'predicted', label: 'forecast.totals.predicted', className: 'num' },
];

function DealTable({
  report,
  money,
  filter,
  onFilter,
}: {
  report: ForecastReport;
  money(minor: number | null): string;
  filter: DealFilter;
  onFilter(next: DealFilter): void;
}) {
  const { t, i18n } = useTranslation();
  const stageName = useStageName();
  const showOpportunity = useUi((s) => s.showOpportunity);
  const sortBy = (column: (typeof dealColumns)[number]) =>
    onFilter({
      ...filter,
      sort: column.sort,
      descending: filter.sort === column.sort ? !filter.descending : !column.ascending,
    });
  const header = (column: (typeof dealColumns)[number]) => {
    const active = filter.sort === column.sort;
    return (
      <th
        key={column.sort}
        className={column.className}
        aria-sort={active ? (filter.descending ? 'descending' : 'ascending') : 'none'}
      >
        <button type="button" className="link" onClick={() => sortBy(column)}>
          {t(column.label)}
          {active && <span aria-hidden="true">{filter.descending ? ' ▼' : ' ▲'}</span>}
        </button>
      </th>
    );
  };
  const [name, close, amount, probability, weighted, learned, predicted] = dealColumns.map(header);
  return (
    <section aria-labelledby="forecast-deals">
      <h2 id="forecast-deals">{t('forecast.deals')}</h2>
      <div className="toolbar">
        <select
          aria-label={t('forecast.period')}
          value={filter.period ?? ''}
          onChange={(e) => {
            const { period: _period, ...rest } = filter;
            onFilter(e.target.value ? { ...rest, period: e.target.value } : rest);
          }}
        >
          <option value="">{t('forecast.allPeriods')}</option>
          {report.buckets.map((b) => (
            <option key={b.period} value={b.period}>
              {b.period}
            </option>
          ))}
        </select>
        <ForecastCategorySelect
          aria-label={t('fields.forecast_category')}
          emptyLabel={t('forecast.allCategories')}
          value={filter.category ?? ''}
          onChange={(value) => {
            const { category: _category, ...rest } = filter;
            const category = forecastCategories.find((c) => c === value);
            onFilter(category ? { ...rest, category } : rest);
          }}
        />
        <span className="muted" data-testid="forecast-deal-count">
          {report.dealCount > report.deals.length
            ? t('forecast.dealsShown', { shown: report.deals.length, count: report.dealCount })
            : t('forecast.dealCount', { count: report.dealCount })}
        </span>
      </div>
      {!report.deals.length ? (
        <p className="muted">{t('forecast.noDeals')}</p>
      ) : (
        <table className="report-table" data-testid="forecast-deals">
          <thead>
            <tr>
              {name}
              <th className="nowrap">{t('opportunity.stage')}</th>
              {close}
              {amount}
              {probability}
              {weighted}
              {learned}
              {predicted}
              <th className="nowrap">{t('fields.forecast_category')}</th>
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
                <td className="nowrap">{stageName(d.stageId) ?? ''}</td>
                <td className="nowrap">{d.expectedClose ?? ''}</td>
                <td className="num">
                  {formatMoney(d.amount, report.currency, i18n.language)}
                  {d.originalCurrency && d.originalCurrency !== report.currency && (
                    <small className="muted">
                      {' '}
                      ({formatMoney(d.originalAmount, d.originalCurrency, i18n.language)})
                    </small>
                  )}
                </td>
                <td className="num">{d.probability}%</td>
                <td className="num">{money(d.weighted)}</td>
                <td className="num" title={t('forecast.stays', { count: d.predictedBasedOn })}>
                  {d.predictedProbability === null ? '—' : `${Math.round(d.predictedProbability)}%`}
                </td>
                <td className="num">{money(d.predicted)}</td>
                <td className="nowrap">
                  {t(`opportunity.categories.${d.category}`)}
                  {d.categoryOverridden && (
                    <small className="muted"> · {t('forecast.chosen')}</small>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
