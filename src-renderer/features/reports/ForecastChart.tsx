// Weighted, predicted and won per period against the target line, in the team currency.
import { useTranslation } from 'react-i18next';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ForecastReport } from '../../../src-main/contract/index.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { currencyDigits, formatMoney } from '../../components/format.js';
import { chartColors } from './chartColors.js';
import { percent } from './reportFormat.js';

export function ForecastChart({ report }: { report: ForecastReport }) {
  const { t, i18n } = useTranslation();
  const unit = 10 ** currencyDigits(report.currency);
  const compact = new Intl.NumberFormat(i18n.language, {
    style: 'currency',
    currency: report.currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  });
  const data = report.buckets.map((b) => ({
    period: b.period,
    weighted: b.weighted / unit,
    predicted: b.predicted / unit,
    won: b.won / unit,
    target: b.target === null ? null : b.target / unit,
  }));
  const money = (minor: number | null) =>
    minor === null ? '' : formatMoney(minor, report.currency, i18n.language);
  const table = [
    [
      t('forecast.period'),
      t('forecast.totals.weighted'),
      t('forecast.totals.predicted'),
      t('forecast.totals.won'),
      t('forecast.target'),
      t('forecast.attainment'),
    ],
    ...report.buckets.map((b) => [
      b.period,
      money(b.weighted),
      money(b.predicted),
      money(b.won),
      money(b.target),
      percent(b.attainment),
    ]),
  ];
  return (
    <ChartFrame id="forecast" title={t('forecast.chart')} table={table}>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={chartColors.grid} />
          <XAxis dataKey="period" tick={{ fill: 'currentColor', fontSize: 12 }} />
          <YAxis
            tick={{ fill: 'currentColor', fontSize: 12 }}
            tickFormatter={(v: number) => compact.format(v)}
            width={80}
          />
          <Tooltip formatter={(v) => (typeof v === 'number' ? compact.format(v) : String(v))} />
          <Legend />
          <Bar dataKey="weighted" name={t('forecast.totals.weighted')} fill={chartColors[0]} />
          <Bar dataKey="predicted" name={t('forecast.totals.predicted')} fill={chartColors[1]} />
          <Bar dataKey="won" name={t('forecast.totals.won')} fill={chartColors[2]} />
          <Line
            dataKey="target"
            name={t('forecast.target')}
            stroke={chartColors[3]}
            strokeWidth={2}
            connectNulls
            dot
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
