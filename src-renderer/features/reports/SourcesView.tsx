// What each source and event brings: leads, conversion, won deals and revenue, and — for
// events with a cost — cost per lead, per won deal and the return on it.
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SourceRow, SourcesReport } from '../../../src-main/contract/index.js';
import { ReportTable } from '../../components/ReportTable.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { currencyDigits, formatMoney } from '../../components/format.js';
import { chartColors } from './chartColors.js';
import { percent } from './reportFormat.js';

export function SourcesView({ report }: { report: SourcesReport }) {
  const { t, i18n } = useTranslation();
  const name = (r: SourceRow) =>
    r.kind === 'source'
      ? r.key
        ? t(`source.${r.key}`)
        : t('reports.noSource')
      : (r.name ?? t('reports.noEvent'));
  const money = (m: { amount: number; currency: string } | null) =>
    m ? formatMoney(m.amount, m.currency, i18n.language) : '—';
  const unit = 10 ** currencyDigits(report.currency);
  const compact = new Intl.NumberFormat(i18n.language, {
    style: 'currency',
    currency: report.currency,
    notation: 'compact',
  });
  const sources = report.rows.filter((r) => r.kind === 'source');
  const events = report.rows.filter((r) => r.kind === 'event');
  const head = [
    '',
    t('reports.steps.leads'),
    t('reports.steps.converted'),
    t('reports.conversionRate'),
    t('reports.steps.won'),
    t('reports.revenue'),
    t('reports.cost'),
    t('reports.costPerLead'),
    t('reports.costPerWon'),
    t('reports.roi'),
  ];
  const row = (r: SourceRow) => [
    name(r),
    r.leads,
    r.converted,
    percent(r.conversionRate),
    r.won,
    money(r.wonRevenue),
    money(r.cost),
    money(r.costPerLead),
    money(r.costPerWon),
    percent(r.roi),
  ];
  const table = [head, ...sources.map(row), ...events.map(row)];
  return (
    <>
      <ChartFrame id="sources" title={t('reports.sources')} table={table}>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart
            data={sources.map((r) => ({
              name: name(r),
              revenue: r.wonRevenue.amount / unit,
              leads: r.leads,
            }))}
          >
            <CartesianGrid strokeDasharray="3 3" stroke={chartColors.grid} />
            <XAxis dataKey="name" tick={{ fill: 'currentColor', fontSize: 12 }} />
            <YAxis
              yAxisId="money"
              tick={{ fill: 'currentColor', fontSize: 12 }}
              tickFormatter={(v: number) => compact.format(v)}
              width={80}
            />
            <YAxis
              yAxisId="leads"
              orientation="right"
              tick={{ fill: 'currentColor', fontSize: 12 }}
            />
            <Tooltip />
            <Legend />
            <Bar
              yAxisId="money"
              dataKey="revenue"
              name={t('reports.revenue')}
              fill={chartColors[2]}
            />
            <Bar
              yAxisId="leads"
              dataKey="leads"
              name={t('reports.steps.leads')}
              fill={chartColors[0]}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      {report.missingRates.length > 0 && (
        <p className="notice">
          {t('forecast.missingRates', { currencies: report.missingRates.join(t('form.listSep')) })}
        </p>
      )}
      {(
        [
          ['sources', sources],
          ['events', events],
        ] as const
      ).map(([kind, rows]) => (
        <ReportTable
          key={kind}
          testId={`report-${kind}`}
          caption={t(`reports.${kind}Table`)}
          head={head}
          rows={rows.map(row)}
        />
      ))}
    </>
  );
}
