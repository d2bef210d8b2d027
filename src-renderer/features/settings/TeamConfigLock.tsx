import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { mayWriteTeamConfig } from '../../../src-main/contract/index.js';
import { useSyncStatus } from '../../api/queries.js';

/** True when this laptop's user is a rep of a synced team: team settings are read-only
 * (the server would refuse them; the API refuses them first). */
export function useTeamConfigReadOnly(): boolean {
  const role = useSyncStatus().data?.role ?? null;
  return role !== null && !mayWriteTeamConfig(role);
}

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
