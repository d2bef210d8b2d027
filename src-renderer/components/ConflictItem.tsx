import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SyncConflict } from '../../src-main/contract/index.js';
import { api } from '../api/client.js';
import { errorText } from './errors.js';
import { formatDateTime } from './format.js';

/** One conflict: the field, both values, who wrote each, on which laptop and when — and
 * one click to keep this laptop's value (or take the other one). */
export function ConflictItem({
  conflict: c,
  show,
  label,
}: {
  conflict: SyncConflict;
  /** A value as the record's field shows it. */
  show: (field: string, value: string | number | null) => string;
  /** The field's name. */
  label: (field: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: (keep: 'mine' | 'theirs') => api.call('sync.resolveConflict', { id: c.id, keep }),
    onSuccess: () => void queryClient.invalidateQueries(),
  });
  const deletion = c.field === 'deleted_at';
  const when = (ms: number) => formatDateTime(ms, i18n.language);
  const someone = t('timeline.someone');
  return (
    <div className="conflict" data-testid="conflict">
      <strong>
        {deletion ? t('conflict.deletedTitle') : t('conflict.title', { field: label(c.field) })}
      </strong>
      {deletion ? (
        <p>
          {t('conflict.deleted', {
            who: c.theirsAuthor ?? someone,
            device: c.theirsDevice ?? t('conflict.otherLaptop'),
            when: when(c.theirsAt),
          })}
        </p>
      ) : (
        <ul>
          <li className={c.winner === 'mine' ? 'kept' : ''}>
            {t('conflict.mine', {
              value: show(c.field, c.mine),
              who: c.mineAuthor ?? someone,
              when: when(c.mineAt),
            })}
          </li>
          <li className={c.winner === 'theirs' ? 'kept' : ''}>
            {t('conflict.theirs', {
              value: show(c.field, c.theirs),
              who: c.theirsAuthor ?? someone,
              device: c.theirsDevice ?? t('conflict.otherLaptop'),
              when: when(c.theirsAt),
            })}
          </li>
        </ul>
      )}
      <div className="row">
        {c.resolvedAt ? (
          <span className="muted">{t('conflict.resolved', { when: when(c.resolvedAt) })}</span>
        ) : c.supersededAt ? (
          <span className="muted">{t('conflict.superseded', { when: when(c.supersededAt) })}</span>
        ) : (
          <>
            <span className="muted">
              {c.winner === 'theirs' ? t('conflict.nowTheirs') : t('conflict.nowMine')}
            </span>
            {c.winner === 'theirs' ? (
              <button
                type="button"
                className="primary"
                disabled={resolve.isPending}
                onClick={() => resolve.mutate('mine')}
              >
                {deletion ? t('conflict.restore') : t('conflict.keepMine')}
              </button>
            ) : (
              <button
                type="button"
                disabled={resolve.isPending}
                onClick={() => resolve.mutate('theirs')}
              >
                {t('conflict.useTheirs')}
              </button>
            )}
          </>
        )}
        {resolve.error && (
          <span role="alert" className="error">
            {errorText(resolve.error)}
          </span>
        )}
      </div>
    </div>
  );
}
