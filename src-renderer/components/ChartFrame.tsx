// Every chart: a title, the chart or the same numbers as a table (for reading aloud and
// for people who prefer numbers), and export as CSV or PNG.
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadCsv, downloadSvgAsPng } from './download.js';
import { ReportTable } from './ReportTable.js';

export function ChartFrame({
  id,
  title,
  table,
  children,
}: {
  /** Names the exported files. */
  id: string;
  title: string;
  /** Header row first. */
  table: readonly (readonly (string | number)[])[];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [asTable, setAsTable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chartRef = useRef<HTMLDivElement>(null);
  const png = async () => {
    setError(null);
    const svg = chartRef.current?.querySelector('.recharts-wrapper > svg.recharts-surface');
    if (!(svg instanceof SVGSVGElement)) return setError(t('charts.showChartFirst'));
    try {
      await downloadSvgAsPng(`${id}.png`, svg);
    } catch {
      setError(t('charts.pngFailed'));
    }
  };
  const [head, ...rows] = table;
  return (
    <section className="chart-frame" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <header className="row wrap">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="row">
          <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? t('charts.showChart') : t('charts.showTable')}
          </button>
          <button type="button" onClick={() => downloadCsv(`${id}.csv`, table)}>
            {t('charts.csv')}
          </button>
          <button type="button" disabled={asTable} onClick={() => void png()}>
            {t('charts.png')}
          </button>
        </div>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {asTable ? (
        <ReportTable head={head ?? []} rows={rows} />
      ) : (
        <div ref={chartRef} className="chart">
          {children}
        </div>
      )}
    </section>
  );
}
