import { useTranslation } from 'react-i18next';
import type { ImportJobState } from '../../../src-main/contract/index.js';
import { formatDuration, formatNumber } from '../../components/format.js';

/** Where a background import stands: phase, rows done of the total, time left, and a
 * way to stop it. */
export function ImportProgress({
  state,
  onCancel,
}: {
  state: ImportJobState | undefined;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const phase = state?.phase ?? 'reading';
  const counting = state && state.total > 0 && phase !== 'reading';
  return (
    <div className="import-progress" role="status" aria-live="polite" data-testid="import-progress">
      <progress
        aria-label={t(`imports.phase.${phase}`)}
        {...(counting ? { value: state.done, max: state.total } : {})}
      />
      <span>
        {t(`imports.phase.${phase}`)}
        {counting &&
          ` ${t('imports.rowsOf', {
            done: formatNumber(state.done, i18n.language),
            total: formatNumber(state.total, i18n.language),
          })}`}
        {state?.etaMs != null &&
          ` · ${t('imports.eta', { time: formatDuration(state.etaMs, i18n.language) })}`}
      </span>
      <button type="button" onClick={onCancel}>
        {t('imports.cancelJob')}
      </button>
    </div>
  );
}
