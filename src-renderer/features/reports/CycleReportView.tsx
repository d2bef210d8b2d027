// How long selling takes: median days lead → opportunity and opportunity → won by month,
// and in each stage.
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CycleReport } from '../../../src-main/contract/index.js';
import { ReportTable } from '../../components/ReportTable.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { localName } from '../../components/format.js';
import { chartColors } from './chartColors.js';

export function CycleReportView({ report }: { report: CycleReport }) {
  const { t, i18n } = useTranslation();
  const days = (d: number | null) => (d === null ? '—' : t('reports.days', { count: d }));
  const table = [
    [t('forecast.period'), t('reports.leadToOpportunity'), t('reports.opportunityToWon')],
    ...report.trend.map((m) => [
      m.month,
      days(m.leadToOpportunityDays),
      days(m.opportunityToWonDays),
    ]),
  ];
  return (
    <>
      <div className="tiles">
        <div className="tile" data-testid="cycle-lead">
          <div className="muted">{t('reports.leadToOpportunity')}</div>
          <div className="big">{days(report.leadToOpportunity.medianDays)}</div>
        </div>
        <div className="tile" data-testid="cycle-won">
          <div className="muted">{t('reports.opportunityToWon')}</div>
          <div className="big">{days(report.opportunityToWon.medianDays)}</div>
        </div>
      </div>
      <ChartFrame id="cycle" title={t('reports.cycle')} table={table}>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={report.trend}>
            <CartesianGrid strokeDasharray="3 3" stroke={chartColors.grid} />
            <XAxis dataKey="month" tick={{ fill: 'currentColor', fontSize: 12 }} />
            <YAxis tick={{ fill: 'currentColor', fontSize: 12 }} />
            <Tooltip />
            <Legend />
            <Line
              dataKey="leadToOpportunityDays"
              name={t('reports.leadToOpportunity')}
              stroke={chartColors[0]}
              connectNulls
            />
            <Line
              dataKey="opportunityToWonDays"
              name={t('reports.opportunityToWon')}
              stroke={chartColors[2]}
              connectNulls
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ReportTable
        testId="time-in-stage-report"
        caption={t('reports.timeInStage')}
        head={[t('opportunity.stage'), t('reports.medianDays'), t('reports.stays')]}
        rows={report.timeInStage.map((s) => [
          localName(s, i18n.language),
          days(s.medianDays),
          s.count,
        ])}
      />
    </>
  );
}
