import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStatus } from '../api/queries.js';
import { api } from '../api/client.js';
import { errorText } from '../components/errors.js';
import { ActivitiesPage } from '../features/activities/ActivitiesPage.js';
import { CapturePage } from '../features/capture/CapturePage.js';
import { ImportPage } from '../features/imports/ImportPage.js';
import { LeadsPage } from '../features/leads/LeadsPage.js';
import { MergePage } from '../features/leads/MergePage.js';
import { PipelinePage } from '../features/pipeline/PipelinePage.js';
import { DashboardPage } from '../features/reports/DashboardPage.js';
import { ForecastPage } from '../features/reports/ForecastPage.js';
import { ReportsPage } from '../features/reports/ReportsPage.js';
import { SettingsPage } from '../features/settings/SettingsPage.js';
import { Layout } from './Layout.js';
import { useDueTaskNotifications } from './notifications.js';
import { focusCapture, focusSearch, useGlobalShortcuts } from './shortcuts.js';
import { useUi } from './uiStore.js';
import { Welcome } from './Welcome.js';
import { WorkspaceGate } from './WorkspaceGate.js';

function useThemeAttribute() {
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () =>
      document.documentElement.setAttribute(
        'data-theme',
        theme === 'system' ? (media.matches ? 'dark' : 'light') : theme,
      );
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/** Menu items and global shortcuts of the desktop shell arrive as command events; an
 * invite link that opened the app is offered in Settings › Team sync. */
function useShellCommands() {
  const offerJoinLink = useUi((s) => s.offerJoinLink);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'join-link') return offerJoinLink(e.link);
        if (e.type !== 'command') return;
        if (e.command === 'new-lead') focusCapture();
        if (e.command === 'search') focusSearch();
      }),
    [offerJoinLink],
  );
}

function Workspace() {
  const page = useUi((s) => s.page);
  useGlobalShortcuts();
  useDueTaskNotifications();
  return (
    <Layout>
      {page === 'home' && <DashboardPage />}
      {page === 'capture' && <CapturePage />}
      {page === 'leads' && <LeadsPage />}
      {page === 'imports' && <ImportPage />}
      {page === 'duplicates' && <MergePage />}
      {page === 'pipeline' && <PipelinePage />}
      {page === 'forecast' && <ForecastPage />}
      {page === 'activities' && <ActivitiesPage />}
      {page === 'reports' && <ReportsPage />}
      {page === 'settings' && <SettingsPage />}
    </Layout>
  );
}

export function App() {
  useThemeAttribute();
  useShellCommands();
  return (
    <WorkspaceGate>
      <OpenWorkspace />
    </WorkspaceGate>
  );
}

function OpenWorkspace() {
  const { t } = useTranslation();
  const status = useAppStatus();

  if (status.isPending) return <div className="center muted">{t('app.loading')}</div>;
  if (status.isError) {
    return (
      <div className="center" role="alert">
        <p>{errorText(status.error)}</p>
        <button onClick={() => void status.refetch()}>{t('app.retry')}</button>
      </div>
    );
  }
  if (status.data.needsWelcome) return <Welcome />;
  return <Workspace />;
}
