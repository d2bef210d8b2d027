import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeamConfigReadOnly } from '../../api/queries.js';

/** Team settings, disabled as a whole for a rep, with the reason above them. */
export function TeamConfigLock({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const readOnly = useTeamConfigReadOnly();
  return (
    <fieldset className="team-config" disabled={readOnly} data-read-only={readOnly || undefined}>
      {readOnly && (
        <p className="notice" role="note">
          {t('sync.readOnly')}
        </p>
      )}
      {children}
    </fieldset>
  );
}
