import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { parseTags, type FieldChange } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useNames } from '../../api/queries.js';
import { formatDateTime } from '../../components/format.js';

const MAX_VALUE = 80;

/** Everything that happened to a lead, newest first: activities and field changes with
 * who made them and when (from the change log, so edits synced from other laptops show). */
export function Timeline({ leadId }: { leadId: string }) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const timeline = useQuery({
    queryKey: ['leads', 'timeline', leadId],
    queryFn: () => api.call('leads.timeline', { id: leadId }),
  });
  const value = (c: FieldChange, v: string | number | null): string => {
    if (v === null || v === '') return t('timeline.empty');
    const s = String(v);
    switch (c.field) {
      case 'status':
        return t(`status.${s}`, { defaultValue: s });
      case 'source':
        return t(`source.${s}`, { defaultValue: s });
      case 'owner_id':
        return names.users.get(s) ?? t('timeline.unknown');
      case 'campaign_id':
        return names.campaigns.get(s) ?? t('timeline.unknown');
      case 'tags':
        return parseTags(s).join(t('form.listSep')) || t('timeline.empty');
      case 'budget':
      case 'authority':
      case 'need':
      case 'timeline':
        return t(`bant.${c.field}.${s}`, { defaultValue: s });
      default:
        return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
    }
  };
  if (!timeline.data) return null;
  if (timeline.data.length === 0) return <p className="muted">{t('timeline.none')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {timeline.data.map((item) =>
        item.kind === 'activity' ? (
          <li key={`a:${item.activity.id}`} className="activity">
            <span className="badge">{t(`activities.kind.${item.activity.kind ?? 'note'}`)}</span>{' '}
            <strong>{item.activity.subject}</strong>
            {item.activity.kind === 'task' && item.activity.due_at !== null && (
              <span className="muted">
                {' · '}
                {item.activity.done_at ? t('activities.doneAt') : t('activities.due')}{' '}
                {formatDateTime(item.activity.done_at ?? item.activity.due_at, i18n.language)}
              </span>
            )}
            {item.activity.body && <div className="muted">{item.activity.body}</div>}
            <div className="muted small">{formatDateTime(item.at, i18n.language)}</div>
          </li>
        ) : (
          <li key={`c:${item.hlc}`} className="change">
            <span>
              {t(`timeline.${item.action}`, {
                who: item.author_name ?? t('timeline.someone'),
              })}
            </span>
            <span className="muted small"> · {formatDateTime(item.at, i18n.language)}</span>
            {item.action !== 'created' && item.changes.length > 0 && (
              <ul>
                {item.changes.map((c) => (
                  <li key={c.field}>
                    {t(`fields.${c.field}`, { defaultValue: c.field })}: {value(c, c.from)} →{' '}
                    {value(c, c.to)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ),
      )}
    </ol>
  );
}
