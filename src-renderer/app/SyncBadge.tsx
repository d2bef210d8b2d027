import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../api/queries.js';
import { useUi } from './uiStore.js';

/** The team-sync status in the app's frame: synced / syncing / offline, n waiting / a
 * problem. Opens Settings › Team sync. Nothing shows on a laptop without a server. */
export function SyncBadge() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const setPage = useUi((s) => s.setPage);
  const setTab = useUi((s) => s.setSettingsTab);
  const s = status.data;
  if (!s || s.state === 'off') return null;
  const label =
    s.state === 'offline'
      ? t('sync.badge.offline')
      : s.state === 'error'
        ? t('sync.badge.error')
        : s.state === 'connecting'
          ? t('sync.badge.connecting')
          : s.waiting > 0 || s.state === 'syncing'
            ? t('sync.badge.syncing')
            : t('sync.badge.synced');
  return (
    <button
      type="button"
      className={`nav sync-badge sync-${s.state}`}
      title={t('sync.badgeTitle')}
      data-testid="sync-badge"
      data-state={s.state}
      onClick={() => {
        setPage('settings');
        setTab('sync');
      }}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span>{label}</span>
      {s.waiting > 0 && (
        <span className="sync-waiting">· {t('sync.badge.waiting', { count: s.waiting })}</span>
      )}
    </button>
  );
}
