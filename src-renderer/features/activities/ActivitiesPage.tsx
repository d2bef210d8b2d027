import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page.js';
import { api } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';

/** Open tasks, soonest due first, overdue ones flagged. */
export function ActivitiesPage() {
  const { t, i18n } = useTranslation();
  const tasks = useQuery({
    queryKey: ['activities', 'open-tasks'],
    queryFn: () =>
      api.call('activities.list', {
        filters: { kind: ['task'], done_at: [null] },
        sort: { field: 'due_at', dir: 'asc' },
        limit: 200,
      }),
  });
  const now = Date.now();
  return (
    <Page title={t('activities.title')}>
      <h2>{t('activities.openTasks')}</h2>
      {tasks.error && (
        <p role="alert" className="error">
          {errorText(tasks.error)}
        </p>
      )}
      {tasks.data?.rows.length === 0 && <p className="muted">{t('activities.none')}</p>}
      <ul className="list">
        {tasks.data?.rows.map((a) => (
          <li key={a.id} className={a.due_at !== null && a.due_at < now ? 'overdue' : undefined}>
            <span className="badge">{t(`activities.kind.${a.kind ?? 'task'}`)}</span> {a.subject}
            <span className="muted">
              {' '}
              · {t('activities.due')} {formatDateTime(a.due_at, i18n.language)}
            </span>
            {a.due_at !== null && a.due_at < now && (
              <strong className="error"> · {t('activities.overdue')}</strong>
            )}
          </li>
        ))}
      </ul>
    </Page>
  );
}
