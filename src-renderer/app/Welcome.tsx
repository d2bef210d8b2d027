import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../src-main/contract/index.js';
import { api } from '../api/client.js';
import { errorText } from '../components/errors.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useUi } from './uiStore.js';

export function Welcome() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const done = () => queryClient.invalidateQueries();
  const setPage = useUi((s) => s.setPage);
  // An empty database has nothing for the dashboard yet: it starts on the leads.
  const empty = useMutation({
    mutationFn: () => api.call('app.startEmpty', {}),
    onSuccess: () => (setPage('leads'), done()),
  });
  const demo = useMutation({
    mutationFn: () => api.call('app.loadDemo', { leads: 1000, locale: i18n.language as Locale }),
    onSuccess: done,
  });
  const busy = empty.isPending || demo.isPending;
  const error = empty.error ?? demo.error;
  return (
    <main className="welcome">
      <div className="welcome-card">
        <div className="welcome-lang">
          <LanguageSwitch />
        </div>
        <h1>{t('welcome.title')}</h1>
        <p>{t('welcome.body')}</p>
        <div className="row">
          <button className="primary" disabled={busy} onClick={() => demo.mutate()}>
            {demo.isPending ? t('welcome.loadingDemo') : t('welcome.loadDemo')}
          </button>
          <button disabled={busy} onClick={() => empty.mutate()}>
            {t('welcome.startEmpty')}
          </button>
        </div>
        {error && (
          <p role="alert" className="error">
            {errorText(error)}
          </p>
        )}
      </div>
    </main>
  );
}
