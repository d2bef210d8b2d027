import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityKind } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useDevice } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { fromLocalInput, localDayStart, toLocalInput } from '../../components/dates.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { TextField } from '../../components/TextField.js';

export type ComposerKind = ActivityKind;

/** One key opens the composer with its kind; Enter saves it with the default subject —
 * logging a call is two keystrokes. */
export const composerKeys: Record<string, ComposerKind> = {
  c: 'call',
  e: 'email',
  m: 'meeting',
  o: 'note',
  t: 'task',
};

const HOUR = 3_600_000;

const keyOf = (kind: ComposerKind) =>
  Object.entries(composerKeys).find(([, v]) => v === kind)?.[0] ?? '';

/** One button per kind of activity, each showing its key. */
export function ActivityButtons({
  disabled,
  onPick,
}: {
  disabled: boolean;
  onPick(kind: ComposerKind): void;
}) {
  const { t } = useTranslation();
  return (
    <div className="row wrap">
      {(['call', 'email', 'meeting', 'note', 'task'] as const).map((k) => (
        <button
          key={k}
          type="button"
          disabled={disabled}
          aria-keyshortcuts={keyOf(k)}
          onClick={() => onPick(k)}
        >
          {t(`activities.log.${k}`)} <kbd>{keyOf(k).toUpperCase()}</kbd>
        </button>
      ))}
    </div>
  );
}

/** What a logged activity belongs to: a lead, or an opportunity (and its contact and
 * account, so the activity shows on those too). */
export interface ActivityLinks {
  lead_id?: string;
  opportunity_id?: string;
  contact_id?: string | null;
  account_id?: string | null;
}

export function ActivityComposer({
  links,
  kind,
  onClose,
}: {
  links: ActivityLinks;
  kind: ComposerKind;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const device = useDevice();
  const [subject, setSubject] = useState(() => t(`activities.defaultSubject.${kind}`));
  const [body, setBody] = useState('');
  // A task is due tomorrow at 9:00 unless the rep says otherwise.
  const [due, setDue] = useState(() => toLocalInput(localDayStart(undefined, 1) + 9 * HOUR));
  const log = useMutation({
    mutationFn: () =>
      api.call('activities.create', {
        kind,
        subject,
        body,
        ...links,
        owner_id: device.data?.currentUserId ?? null,
        // A task is planned (due); anything else happened just now.
        ...(kind === 'task'
          ? { due_at: fromLocalInput(due) }
          : { occurred_at: Date.now(), done_at: Date.now() }),
      }),
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      void queryClient.invalidateQueries({ queryKey: ['opportunities'] });
      void queryClient.invalidateQueries({ queryKey: ['activities'] });
      showToast(t('activities.logged', { kind: t(`activities.kind.${kind}`), subject: a.subject }));
      onClose();
    },
  });
  const errors = fieldErrors(log.error);
  const dueInvalid = kind === 'task' && due !== '' && Number.isNaN(fromLocalInput(due));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'task' && (due === '' || dueInvalid)) return;
    log.mutate();
  };
  return (
    <form
      className="composer"
      aria-label={t(`activities.log.${kind}`)}
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="grid">
        <TextField
          label={t('activities.subject')}
          name="subject"
          autoFocus
          onFocus={(e) => e.target.select()}
          value={subject}
          error={errors.subject}
          onValue={setSubject}
        />
        {kind === 'task' && (
          <TextField
            label={t('activities.dueAt')}
            name="due_at"
            type="datetime-local"
            value={due}
            error={errors.due_at ?? (dueInvalid || due === '' ? t('errors.dateTime') : undefined)}
            onValue={setDue}
          />
        )}
        <TextField label={t('activities.body')} name="body" wide value={body} onValue={setBody} />
      </div>
      {log.error && !Object.keys(errors).length && (
        <p role="alert" className="error">
          {errorText(log.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={log.isPending}>
          {t('activities.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('form.cancel')}
        </button>
        <small className="muted">{t('activities.composerHint')}</small>
      </div>
    </form>
  );
}
