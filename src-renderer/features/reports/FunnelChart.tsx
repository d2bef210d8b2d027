// The funnel: leads → contacted → qualified → converted → won, drawn as a funnel, each step
// with its count and the share that made it from the step before; per source and per event
// below as a table.
import { useTranslation } from 'react-i18next';
import {
  Cell,
  Funnel,
  FunnelChart as RechartsFunnel,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  type LabelProps,
} from 'recharts';
import type { FunnelReport } from '../../../src-main/contract/index.js';
import { useFieldLabel } from '../../api/queries.js';
import { ReportTable } from '../../components/ReportTable.js';
import { ChartFrame } from '../../components/ChartFrame.js';
import { formatNumber } from '../../components/format.js';
import { chartColors } from './chartColors.js';
import { percent } from './reportFormat.js';

/** Room right of the funnel for the step labels. */
const LABEL_COLUMN = 180;

/** A step's label in one column right of the funnel, level with its segment: beside each
 * trapezoid's own edge the widest step's label had no room and wrapped over the shape. */
function StepLabel(props: LabelProps) {
  const box = props.viewBox;
  const plot = props.parentViewBox;
  if (!box || !plot || !('height' in box) || !('width' in plot)) return <></>;
  return (
    <text
      x={plot.x + plot.width + 12}
      y={box.y + box.height / 2}
      dominantBaseline="central"
      fill="#8a94a6"
      fontSize={13}
    >
      {props.value}
    </text>
  );
}

export function FunnelChart({ report }: { report: FunnelReport }) {
  const { t, i18n } = useTranslation();
  const label = (step: string) => t(`reports.steps.${step}`);
  const labelOf = useFieldLabel((f) => f);
  const data = report.steps.map((s) => ({
    step: label(s.step),
    count: s.count,
    // "已联系 124 · 91.2%": the count and the share that came from the step before.
    label: `${label(s.step)} ${formatNumber(s.count, i18n.language)}${s.rate === null ? '' : ` · ${percent(s.rate)}`}`,
  }));
  const table = [
    [t('reports.step'), t('reports.count'), t('reports.stepRate'), t('reports.ofLeads')],
    ...report.steps.map((s) => [label(s.step), s.count, percent(s.rate), percent(s.ofLeads)]),
  ];
  const bySource = (name: string, steps: FunnelReport['steps']) => [
    name,
    ...steps.map((s) => {
      const count = formatNumber(s.count, i18n.language);
      return s.rate === null ? count : `${count} (${percent(s.rate)})`;
    }),
  ];
  return (
    <>
      <ChartFrame id="funnel" title={t('reports.funnel')} table={table}>
        <ResponsiveContainer width="100%" height={260}>
          <RechartsFunnel margin={{ top: 8, right: LABEL_COLUMN, bottom: 8, left: 8 }}>
            <Tooltip />
            <Funnel dataKey="count" nameKey="step" data={data} isAnimationActive={false}>
              {data.map((d, i) => (
                <Cell key={d.step} fill={chartColors[i % chartColors.length]} />
              ))}
              <LabelList dataKey="label" content={StepLabel} />
            </Funnel>
          </RechartsFunnel>
        </ResponsiveContainer>
      </ChartFrame>
      <ReportTable
        testId="funnel-by-source"
        caption={t('reports.funnelBySource')}
        head={['', ...report.steps.map((s) => label(s.step))]}
        rows={[
          ...report.bySource.map((x) =>
            bySource(x.source ? t(`source.${x.source}`) : t('reports.noSource'), x.steps),
          ),
          ...report.byEvent.map((x) => bySource(x.name ?? t('reports.noEvent'), x.steps)),
        ]}
      />
      {report.byField && (
        <ReportTable
          testId="funnel-by-field"
          caption={t('reports.funnelByField', { field: labelOf(report.byField.field) })}
          head={['', ...report.steps.map((s) => label(s.step))]}
          rows={report.byField.rows.map((x) =>
            bySource(
              x.value === null
                ? t('reports.noValue')
                : x.value === '1' || x.value === '0'
                  ? `${x.value} · ${t(x.value === '1' ? 'customFields.yes' : 'customFields.no')}`
                  : x.value,
              x.steps,
            ),
          )}
        />
      )}
    </>
  );
}
