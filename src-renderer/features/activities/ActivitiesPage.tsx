import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agendaViews, type AgendaView } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { localDay } from '../../components/dates.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';
import { Page } from '../../components/Page.js';

/** Tasks by day: overdue, today, upcoming, done — mark done or snooze a day. */
export function ActivitiesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [view, setView] = useState<AgendaView>('today');
  const openLead = useUi((s) => s.openLead);
  const day = localDay();
  const tasks = useQuery({
    queryKey: ['activities', 'agenda', view, day.day_start],
    queryFn: () => api.call('activities.agenda', { view, ...day }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['activities'] });
  const markDone = useMutation({
    mutationFn: (id: string) =>
      api.call('activities.update', { id, patch: { done_at: Date.now() } }),
    onSuccess: refresh,
  });
  const snooze = useMutation({
    mutationFn: (id: string) => api.call('activities.snooze', { id, days: 1 }),
    onSuccess: refresh,
  });
  const actionError = markDone.error ?? snooze.error;
  return (
    <Page title={t('activities.title')} className="activities-page">
      <div className="row" role="group" aria-label={t('activities.title')}>
        {agendaViews.map((v) => (
          <button
            key={v}
            className={v === view ? 'primary' : undefined}
            aria-pressed={v === view}
            onClick={() => setView(v)}
          >
            {t(`activities.views.${v}`)}
          </button>
        ))}
      </div>
      {(tasks.error ?? actionError) && (
        <p role="alert" className="error">
          {errorText(tasks.error ?? actionError)}
        </p>
      )}
      {tasks.data?.length === 0 && (
        <p className="muted">{t(view === 'done' ? 'activities.noneDone' : 'activities.none')}</p>
      )}
      <ul className="list">
        {tasks.data?.map((a) => (
          <li key={a.id} className={view === 'overdue' ? 'overdue' : undefined}>
            <span className="badge">{t(`activities.kind.${a.kind ?? 'task'}`)}</span> {a.subject}
            <span className="muted">
              {' · '}
              {view === 'done'
                ? `${t('activities.doneAt')} ${formatDateTime(a.done_at, i18n.language)}`
                : `${t('activities.due')} ${formatDateTime(a.due_at, i18n.language)}`}
            </span>
            {view === 'overdue' && <strong className="error"> · {t('activities.overdue')}</strong>}
            {a.lead_id && (
              <button type="button" className="link" onClick={() => openLead(a.lead_id)}>
                {t('activities.openLead')}
              </button>
            )}
            {view !== 'done' && (
              <span className="row inline-actions">
                <button onClick={() => markDone.mutate(a.id)}>{t('activities.markDone')}</button>
                <button onClick={() => snooze.mutate(a.id)}>{t('activities.snooze')}</button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
