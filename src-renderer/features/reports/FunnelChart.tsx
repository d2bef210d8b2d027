// The funnel: leads → contacted → qualified → converted → won, each bar with its count and
// the share that made it from the step before; per source and per event below as a table.
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FunnelReport } from '../../../src-main/contract/index.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { chartColors } from './chartColors.js';
import { percent } from './reportFormat.js';

export function FunnelChart({ report }: { report: FunnelReport }) {
  const { t } = useTranslation();
  const label = (step: string) => t(`reports.steps.${step}`);
  const data = report.steps.map((s) => ({
    step: label(s.step),
    count: s.count,
    rate: s.rate === null ? '' : percent(s.rate),
  }));
  const table = [
    [t('reports.step'), t('reports.count'), t('reports.stepRate'), t('reports.ofLeads')],
    ...report.steps.map((s) => [label(s.step), s.count, percent(s.rate), percent(s.ofLeads)]),
  ];
  const bySource = (name: string, steps: FunnelReport['steps']) => [
    name,
    ...steps.map((s) => (s.rate === null ? `${s.count}` : `${s.count} (${percent(s.rate)})`)),
  ];
  return (
    <>
      <ChartFrame id="funnel" title={t('reports.funnel')} table={table}>
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} layout="vertical" margin={{ left: 24, right: 48 }}>
            <CartesianGrid strokeDasharray="3 3" stroke={chartColors.grid} />
            <XAxis type="number" tick={{ fill: 'currentColor', fontSize: 12 }} />
            <YAxis
              type="category"
              dataKey="step"
              width={90}
              tick={{ fill: 'currentColor', fontSize: 12 }}
            />
            <Tooltip />
            <Bar dataKey="count" name={t('reports.count')} fill={chartColors[0]}>
              <LabelList dataKey="count" position="right" fill="#8a94a6" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      <table className="report-table" data-testid="funnel-by-source">
        <caption>{t('reports.funnelBySource')}</caption>
        <thead>
          <tr>
            <th />
            {report.steps.map((s) => (
              <th key={s.step} className="num">
                {label(s.step)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[
            ...report.bySource.map((x) =>
              bySource(x.source ? t(`source.${x.source}`) : t('reports.noSource'), x.steps),
            ),
            ...report.byEvent.map((x) => bySource(x.name ?? t('reports.noEvent'), x.steps)),
          ].map((row, i) => (
            <tr key={i}>
              <th scope="row">{row[0]}</th>
              {row.slice(1).map((c, j) => (
                <td key={j} className="num">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
