import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamSettings } from '../../../src-main/contract/index.js';
import { useAppStatus, useTeamSettings } from '../../api/queries.js';
import { Page } from '../../components/Page.js';
import { api } from '../../api/client.js';
import { settingsTabs, useUi, type Theme } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { EventsEditor } from '../capture/EventsEditor.js';
import { AssignmentSettings } from './AssignmentSettings.js';
import { CustomFieldsSettings } from './CustomFieldsSettings.js';
import { DataExport } from './DataExport.js';
import { ScoringSettings } from './ScoringSettings.js';
import { ForecastSettings } from './ForecastSettings.js';
import { TargetsSettings } from './TargetsSettings.js';
import { StagesSettings } from './StagesSettings.js';
import { LostReasonsSettings } from './LostReasonsSettings.js';
import { DeviceAndTeam } from './TeamSettings.js';
import { SyncSettings } from './SyncSettings.js';
import { SecuritySettings } from './SecuritySettings.js';
import { BackupsSettings } from './BackupsSettings.js';
import { TeamConfigLock } from './TeamConfigLock.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const tab = useUi((s) => s.settingsTab);
  const setTab = useUi((s) => s.setSettingsTab);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const showToast = useUi((s) => s.showToast);
  const queryClient = useQueryClient();
  const settings = useTeamSettings();
  const status = useAppStatus();
  const [draft, setDraft] = useState<TeamSettings | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (s: TeamSettings) => api.call('settings.update', s),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['settings'] });
      showToast(t('settings.saved'));
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const general = (
    <>
      <h2>{t('settings.appearance')}</h2>
      <div className="grid narrow">
        <div className="field">
          <span>{t('settings.language')}</span>
          <LanguageSwitch id="settings-language" />
        </div>
        <label className="field">
          <span>{t('settings.theme')}</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        </label>
      </div>
      <DeviceAndTeam />
      <EventsEditor />
      <h2>{t('settings.team')}</h2>
      <TeamConfigLock>
        {draft && (
          <form className="grid narrow" onSubmit={submit}>
            {(
              [
                ['currency', 'settings.currency'],
                ['phoneRegion', 'settings.phoneRegion'],
                ['teamName', 'settings.teamName'],
                ['updateUrl', 'settings.updateUrl'],
              ] as const
            ).map(([key, label]) => (
              <label key={key} className="field">
                <span>{t(label)}</span>
                <input
                  value={draft[key]}
                  aria-invalid={errors[key] ? true : undefined}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                />
                {errors[key] && <small className="error">{errors[key]}</small>}
              </label>
            ))}
            <div className="row wide">
              <button type="submit" className="primary" disabled={save.isPending}>
                {t('settings.save')}
              </button>
              {save.error && (
                <span role="alert" className="error">
                  {errorText(save.error)}
                </span>
              )}
            </div>
          </form>
        )}
      </TeamConfigLock>
    </>
  );
  return (
    <Page title={t('settings.title')}>
      <div
        role="tablist"
        className="tabs"
        aria-label={t('settings.title')}
        onKeyDown={(e) => {
          // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab leaves the list.
          const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!step) return;
          e.preventDefault();
          const next =
            settingsTabs[
              (settingsTabs.indexOf(tab) + step + settingsTabs.length) % settingsTabs.length
            ]!;
          setTab(next);
          document.getElementById(`settings-tab-${next}`)?.focus();
        }}
      >
        {settingsTabs.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`settings-tab-${id}`}
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            aria-controls="settings-panel"
            className={tab === id ? 'active' : ''}
            onClick={() => setTab(id)}
          >
            {t(`settings.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${tab}`}>
        {tab === 'general' && general}
        {tab === 'scoring' && (
          <TeamConfigLock>
            <ScoringSettings />
          </TeamConfigLock>
        )}
        {tab === 'assignment' && (
          <TeamConfigLock>
            <AssignmentSettings />
          </TeamConfigLock>
        )}
        {tab === 'fields' && (
          <TeamConfigLock>
            <CustomFieldsSettings />
          </TeamConfigLock>
        )}
        {tab === 'stages' && (
          <TeamConfigLock>
            <StagesSettings />
            <LostReasonsSettings />
          </TeamConfigLock>
        )}
        {tab === 'forecast' && (
          <TeamConfigLock>
            <ForecastSettings />
            <TargetsSettings />
          </TeamConfigLock>
        )}
        {tab === 'sync' && <SyncSettings />}
        {tab === 'security' && <SecuritySettings />}
        {tab === 'backups' && <BackupsSettings />}
        {tab === 'data' && (
          <>
            <h2>{t('settings.data')}</h2>
            <p>
              {t('settings.dataLocation')}: <code>{status.data?.dbPath}</code>
            </p>
            <DataExport />
          </>
        )}
      </div>
    </Page>
  );
}
