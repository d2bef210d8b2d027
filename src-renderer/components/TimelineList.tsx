// Everything that happened to a record, newest first: activities, field changes with who
// made them and when (from the change log, so edits synced from other laptops show), and
// for an opportunity each stage it entered with the amount at that moment.
import { useTranslation } from 'react-i18next';
import { parseTags, type FieldChange, type TimelineItem } from '../../src-main/contract/index.js';
import { useNames, useStageName } from '../api/queries.js';
import { ConflictItem } from './ConflictItem.js';
import { formatDateTime, formatMoney } from './format.js';

const MAX_VALUE = 80;

export function TimelineList({
  items,
  record,
  currency,
}: {
  items: readonly TimelineItem[] | undefined;
  /** What the record is, for "created the lead" / "created the opportunity". */
  record: 'lead' | 'opportunity';
  /** The record's currency, for amounts in field changes. */
  currency?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const nameOfStage = useStageName();
  const stageName = (id: string | null) => nameOfStage(id) ?? t('timeline.unknown');
  const label = (field: string) =>
    record === 'opportunity' && field === 'name'
      ? t('opportunity.name')
      : t(`fields.${field}`, { defaultValue: field });
  const value = (c: FieldChange, v: string | number | null, linked?: string | null): string => {
    if (v === null || v === '') return t('timeline.empty');
    if (linked !== undefined) return linked ?? t('timeline.unknown');
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
      case 'forecast_category':
        return t(`opportunity.categories.${s}`, { defaultValue: s });
      case 'probability_override':
        return `${s}%`;
      case 'amount':
        return typeof v === 'number' && currency ? formatMoney(v, currency, i18n.language) : s;
      case 'budget':
      case 'authority':
      case 'need':
      case 'timeline':
        return t(`bant.${c.field}.${s}`, { defaultValue: s });
      default:
        return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
    }
  };
  if (!items) return null;
  if (items.length === 0) return <p className="muted">{t('timeline.none')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {items.map((item) => {
        switch (item.kind) {
          case 'activity':
            return (
              <li key={`a:${item.activity.id}`} className="activity">
                <span className="badge">
                  {t(`activities.kind.${item.activity.kind ?? 'note'}`)}
                </span>{' '}
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
            );
          case 'stage':
            return (
              <li key={`s:${item.id}`} className="stage-change" data-testid="stage-change">
                <span>
                  {item.from_stage_id
                    ? t('timeline.stageMoved', {
                        who: item.user_name ?? t('timeline.someone'),
                        from: stageName(item.from_stage_id),
                        to: stageName(item.to_stage_id),
                      })
                    : t('timeline.stageStarted', {
                        who: item.user_name ?? t('timeline.someone'),
                        to: stageName(item.to_stage_id),
                      })}
                </span>
                {item.amount !== null && item.currency && (
                  <span className="muted">
                    {' · '}
                    {formatMoney(item.amount, item.currency, i18n.language)}
                  </span>
                )}
                <span className="muted small"> · {formatDateTime(item.at, i18n.language)}</span>
              </li>
            );
          case 'conflict':
            return (
              <li key={`x:${item.conflict.id}`} className="conflict-item">
                <ConflictItem
                  conflict={item.conflict}
                  label={label}
                  show={(field, v) => value({ field, from: null, to: null }, v)}
                />
              </li>
            );
          case 'change':
            return (
              <li key={`c:${item.hlc}`} className="change">
                <span>
                  {t(`timeline.${record}.${item.action}`, {
                    who: item.author_name ?? t('timeline.someone'),
                  })}
                </span>
                <span className="muted small"> · {formatDateTime(item.at, i18n.language)}</span>
                {item.action !== 'created' && item.changes.length > 0 && (
                  <ul>
                    {item.changes.map((c) => (
                      <li key={c.field}>
                        {label(c.field)}: {value(c, c.from, c.fromLabel)} →{' '}
                        {value(c, c.to, c.toLabel)}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
        }
      })}
    </ol>
  );
}
