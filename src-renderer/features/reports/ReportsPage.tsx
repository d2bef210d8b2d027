import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.js';
import { useAppStatus } from '../../api/queries.js';
import { formatNumber } from '../../components/format.js';

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const status = useAppStatus();
  const counts = status.data?.counts;
  const tiles = ['leads', 'opportunities', 'accounts', 'contacts'] as const;
  return (
    <Page title={t('reports.title')}>
      <h2>{t('reports.summary')}</h2>
      <div className="tiles">
        {tiles.map((k) => (
          <div key={k} className="tile">
            <div className="muted">{t(`reports.${k}`)}</div>
            <div className="big">{counts ? formatNumber(counts[k], i18n.language) : '…'}</div>
          </div>
        ))}
      </div>
      <p className="muted">{t('reports.more')}</p>
    </Page>
  );
}
