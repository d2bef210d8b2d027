import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadStatus } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { isoDay } from '../../components/dates.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { downloadText } from '../../components/download.js';
import { EventSelect, StatusSelect, UserSelect } from '../../components/pickers.js';

/** Actions on the selected leads: change status, owner or event; reassign by the
 * assignment rules; delete (with undo); export as CSV. Each is one API call and one transaction. */
export function BulkBar({ selected, onDone }: { selected: ReadonlySet<string>; onDone(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const [status, setStatus] = useState<LeadStatus | ''>('');
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [event, setEvent] = useState('');
  const ids = [...selected];
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['leads'] });

  const update = useMutation({
    mutationFn: () =>
      api.call('leads.bulkUpdate', {
        ids,
        patch: {
          ...(status ? { status } : {}),
          ...(status === 'unqualified' ? { disqualify_reason: reason } : {}),
          ...(owner ? { owner_id: owner } : {}),
          ...(event ? { campaign_id: event } : {}),
        },
      }),
    onSuccess: (r) => {
      void refresh();
      showToast(t('bulk.updated', { count: r.changed, skipped: r.skipped }));
      setStatus('');
      setOwner('');
      setEvent('');
      setReason('');
      onDone();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.call('leads.bulkDelete', { ids }),
    onSuccess: (r) => {
      void refresh();
      onDone();
      showToast(t('bulk.deleted', { count: r.changed }), () => {
        void api.call('leads.bulkRestore', { ids }).then(refresh);
      });
    },
  });
  const exportCsv = useMutation({
    mutationFn: () => api.call('leads.export', { ids, format: 'csv' }),
    onSuccess: (r) => {
      downloadText(`leads-${isoDay()}.csv`, r.text, 'text/csv;charset=utf-8');
      showToast(t('bulk.exported', { count: r.rows }));
    },
  });
  const reassign = useMutation({
    mutationFn: () => api.call('leads.reassign', { ids }),
    onSuccess: (r) => {
      void refresh();
      showToast(
        t('bulk.reassigned', { count: r.changed, unchanged: r.unchanged, skipped: r.skipped }),
      );
    },
  });
  const error = update.error ?? remove.error ?? exportCsv.error ?? reassign.error;
  const errors = fieldErrors(update.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (status || owner || event) update.mutate();
  };
  return (
    <form className="bulk-bar panel" aria-label={t('bulk.title')} onSubmit={submit}>
      <strong>{t('bulk.selected', { count: selected.size })}</strong>
      <StatusSelect
        aria-label={t('bulk.status')}
        emptyLabel={t('bulk.status')}
        value={status}
        onChange={(v) => setStatus(v as LeadStatus | '')}
      />
      {status === 'unqualified' && (
        <input
          aria-label={t('lead.disqualifyReason')}
          placeholder={t('lead.disqualifyReason')}
          value={reason}
          aria-invalid={errors.disqualify_reason ? true : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
      )}
      <UserSelect
        aria-label={t('bulk.owner')}
        emptyLabel={t('bulk.owner')}
        value={owner}
        onChange={setOwner}
      />
      <EventSelect
        aria-label={t('bulk.event')}
        emptyLabel={t('bulk.event')}
        value={event}
        onChange={setEvent}
      />
      <button
        type="submit"
        className="primary"
        disabled={update.isPending || !(status || owner || event)}
      >
        {t('bulk.apply')}
      </button>
      <span className="sep" />
      <button type="button" onClick={() => reassign.mutate()} disabled={reassign.isPending}>
        {t('bulk.reassign')}
      </button>
      <button type="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
        {t('bulk.export')}
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => remove.mutate()}
        disabled={remove.isPending}
      >
        {t('bulk.delete')}
      </button>
      <button type="button" onClick={onDone}>
        {t('bulk.clear')}
      </button>
      {error && (
        <span role="alert" className="error">
          {errors.disqualify_reason ?? errorText(error)}
        </span>
      )}
    </form>
  );
}
