import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportableEntities, type ExportEntity } from '../../../src-main/contract/index.js';
import { ExportMenu } from '../../components/ExportMenu.js';

/** Settings › Export data: every entity, whole, as a file (F11). */
export function DataExport() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<ExportEntity>('leads');
  return (
    <section className="panel" aria-label={t('export.title')}>
      <h3>{t('export.title')}</h3>
      <p className="muted">{t('export.hint')}</p>
      <div className="row">
        <label className="field inline">
          <span>{t('export.entity')}</span>
          <select value={entity} onChange={(e) => setEntity(e.target.value as ExportEntity)}>
            {exportableEntities.map((e) => (
              <option key={e} value={e}>
                {t(`export.all.${e}`)}
              </option>
            ))}
          </select>
        </label>
        <ExportMenu key={entity} entity={entity} />
      </div>
    </section>
  );
}
