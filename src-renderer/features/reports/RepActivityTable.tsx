// Who is keeping up: activities logged in the range, tasks overdue now, and open leads
// nobody has touched for two weeks.
import { useTranslation } from 'react-i18next';
import type { RepActivityRow } from '../../../src-main/contract/index.js';
import { ReportTable } from '../../components/ReportTable.js';
import { downloadCsv } from '../../components/download.js';

export function RepActivityTable({ rows }: { rows: RepActivityRow[] }) {
  const { t } = useTranslation();
  const head = [
    t('fields.owner_id'),
    t('reports.activitiesLogged'),
    t('reports.overdueTasks'),
    t('reports.untouchedLeads'),
  ];
  const body = rows.map((r) => [r.name, r.activities, r.overdueTasks, r.untouchedLeads]);
  return (
    <section aria-labelledby="rep-activity" className="chart-frame">
      <header className="row wrap">
        <h2 id="rep-activity">{t('reports.repActivity')}</h2>
        <button type="button" onClick={() => downloadCsv('rep-activity.csv', [head, ...body])}>
          {t('charts.csv')}
        </button>
      </header>
      <ReportTable testId="rep-activity" head={head} rows={body} />
    </section>
  );
}
