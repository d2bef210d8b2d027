// Who wins, from which source, from which stage on — and why deals are lost, ranked.
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WinRateRow, WinRatesReport } from '../../../src-main/contract/index.js';
import { useNames } from '../../api/queries.js';
import { ReportTable } from '../../components/ReportTable.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { formatMoney } from '../../components/format.js';
import { chartColors } from './chartColors.js';
import { percent } from './reportFormat.js';

export function WinRatesView({ report }: { report: WinRatesReport }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const rep = (r: WinRateRow) =>
    r.key ? (names.users.get(r.key) ?? r.name ?? '') : t('form.none');
  const head = [
    t('reports.who'),
    t('reports.wonDeals'),
    t('reports.lostDeals'),
    t('reports.winRate'),
  ];
  const rows = (list: WinRateRow[], label: (r: WinRateRow) => string) =>
    list.map((r) => [label(r), r.won, r.lost, percent(r.rate)]);
  const table = [head, ...rows(report.byOwner, rep)];
  return (
    <>
      <ChartFrame id="win-rates" title={t('reports.winRates')} table={table}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart
            data={report.byOwner.map((r) => ({
              name: rep(r),
              rate: Math.round((r.rate ?? 0) * 100),
            }))}
          >
            <CartesianGrid strokeDasharray="3 3" stroke={chartColors.grid} />
            <XAxis dataKey="name" tick={{ fill: 'currentColor', fontSize: 12 }} />
            <YAxis unit="%" domain={[0, 100]} tick={{ fill: 'currentColor', fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="rate" name={t('reports.winRate')} unit="%" fill={chartColors[1]} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ReportTable
        testId="win-by-source"
        caption={t('reports.winBySource')}
        head={head}
        rows={rows(report.bySource, (r) => (r.key ? t(`source.${r.key}`) : t('reports.noSource')))}
      />
      <ReportTable
        testId="win-by-stage"
        caption={t('reports.winByStage')}
        head={head}
        rows={rows(report.byStageReached, (r) => r.name ?? '')}
      />
      <ReportTable
        testId="lost-reasons"
        caption={t('reports.lostReasons')}
        head={[t('board.lostReason'), t('reports.count'), t('opportunity.amount')]}
        rows={report.lostReasons.map((r) => [
          r.reason || t('reports.noReason'),
          r.count,
          formatMoney(r.amount.amount, r.amount.currency, i18n.language),
        ])}
      />
    </>
  );
}
