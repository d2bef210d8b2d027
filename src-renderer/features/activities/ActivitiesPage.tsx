import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agendaViews, type AgendaView } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';
import { Page } from '../../components/Page.js';

const DAY = 86_400_000;

/** The user's local day, as the API's [start, end) bounds. */
function localDay(now = new Date()): { day_start: number; day_end: number } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  return { day_start: start, day_end: end };
}

/** Tasks by day: overdue, today, upcoming, done — mark done or snooze a day. */
export function ActivitiesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [view, setView] = useState<AgendaView>('today');
  const day = localDay();
  const tasks = useQuery({
    queryKey: ['activities', 'agenda', view, day.day_start],
    queryFn: () => api.call('activities.agenda', { view, ...day }),
  });
  const update = useMutation({
    mutationFn: (input: { id: string; patch: { done_at?: number; due_at?: number } }) =>
      api.call('activities.update', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['activities'] }),
  });
  return (
    <Page title={t('activities.title')}>
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
      {(tasks.error ?? update.error) && (
        <p role="alert" className="error">
          {errorText(tasks.error ?? update.error)}
        </p>
      )}
      {tasks.data?.length === 0 && <p className="muted">{t('activities.none')}</p>}
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
            {view !== 'done' && (
              <span className="row inline-actions">
                <button onClick={() => update.mutate({ id: a.id, patch: { done_at: Date.now() } })}>
                  {t('activities.markDone')}
                </button>
                <button
                  onClick={() =>
                    update.mutate({
                      id: a.id,
                      patch: { due_at: Math.max(a.due_at ?? 0, Date.now()) + DAY },
                    })
                  }
                >
                  {t('activities.snooze')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
