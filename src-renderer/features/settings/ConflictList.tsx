import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { ConflictItem } from '../../components/ConflictItem.js';

/** Settings › Team sync: the conflicts of the last 30 days, each with its record. */
export function ConflictList() {
  const { t } = useTranslation();
  const conflicts = useQuery({
    queryKey: ['sync.conflicts'],
    queryFn: () => api.call('sync.conflicts', {}),
  });
  const list = conflicts.data ?? [];
  return (
    <section
      className="conflict-list panel"
      aria-labelledby="conflicts-title"
      data-testid="conflict-list"
    >
      <h3 id="conflicts-title">{t('conflict.listTitle')}</h3>
      <p className="muted">{t('conflict.listIntro')}</p>
      {list.length === 0 ? (
        <p className="muted">{t('conflict.none')}</p>
      ) : (
        <ol className="list compact">
          {list.map((c) => (
            <li key={c.id}>
              <div className="muted small">
                {t(`conflict.table.${c.table}`, { defaultValue: c.table })}
                {c.record ? ` · ${c.record}` : ''}
              </div>
              <ConflictItem
                conflict={c}
                label={(f) => t(`fields.${f}`, { defaultValue: f })}
                show={(_f, v) => (v === null || v === '' ? t('timeline.empty') : String(v))}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
