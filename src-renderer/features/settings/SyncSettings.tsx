import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type SyncStatus } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useSyncStatus } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { TextField } from '../../components/TextField.js';
import { syncProblemText } from './syncProblem.js';

/** Settings › Team sync: connect this laptop to the team's sync server, see what moved and
 * what went wrong, sync now, disconnect. */
export function SyncSettings() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const status = useSyncStatus();
  const [server, setServer] = useState('');
  const [token, setToken] = useState('');
  const setStatus = (s: SyncStatus) => queryClient.setQueryData(['sync.status'], s);
  const connect = useMutation({
    mutationFn: () => api.call('sync.connect', { server, token }),
    onSuccess: (s) => {
      setStatus(s);
      setToken('');
      showToast(t('sync.connected'));
    },
  });
  const disconnect = useMutation({
    mutationFn: () => api.call('sync.disconnect', {}),
    onSuccess: (s) => {
      setStatus(s);
      showToast(t('sync.disconnected'));
    },
  });
  const now = useMutation({
    mutationFn: () => api.call('sync.now', {}),
    onSuccess: (o) => showToast(t('sync.done', { sent: o.pushed, received: o.applied })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['sync.status'] }),
  });
  const errors = fieldErrors(connect.error);
  const connectError =
    connect.error instanceof ApiError && connect.error.code === 'UNAUTHORIZED'
      ? t('sync.problem.token_refused')
      : connect.error && !errors.server && !errors.token
        ? errorText(connect.error)
        : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    connect.mutate();
  };
  const s = status.data;
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <section className="sync-settings" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <p className="muted">{t('sync.intro')}</p>
      {s && s.server === null && (
        <form className="grid narrow" onSubmit={submit} aria-label={t('sync.title')}>
          <TextField
            wide
            label={t('sync.server')}
            hint={t('sync.serverHint')}
            value={server}
            inputMode="url"
            autoComplete="off"
            placeholder="http://"
            error={errors.server}
            onValue={setServer}
          />
          <TextField
            wide
            label={t('sync.token')}
            hint={t('sync.tokenHint')}
            type="password"
            autoComplete="off"
            value={token}
            error={errors.token}
            onValue={setToken}
          />
          <div className="row wide">
            <button type="submit" className="primary" disabled={connect.isPending}>
              {connect.isPending ? t('sync.connecting') : t('sync.connect')}
            </button>
            {connectError && (
              <span role="alert" className="error">
                {connectError}
              </span>
            )}
          </div>
        </form>
      )}
      {s && s.server !== null && (
        <>
          <dl className="sync-facts" data-testid="sync-facts">
            <dt>{t('sync.server')}</dt>
            <dd>
              <code>{s.server}</code>
            </dd>
            <dt>{t('sync.status')}</dt>
            <dd>
              <SyncStateText status={s} />
            </dd>
            {s.workspace && (
              <>
                <dt>{t('sync.workspace')}</dt>
                <dd>{s.workspace}</dd>
              </>
            )}
            {s.user && (
              <>
                <dt>{t('sync.user')}</dt>
                <dd>{s.user}</dd>
              </>
            )}
            <dt>{t('sync.lastSynced')}</dt>
            <dd>
              {s.lastSyncedAt ? formatDateTime(s.lastSyncedAt, i18n.language) : t('sync.never')}
            </dd>
            <dt>{t('sync.waiting')}</dt>
            <dd data-testid="sync-waiting">{n(s.waiting)}</dd>
            <dt>{t('sync.received')}</dt>
            <dd>{n(s.received)}</dd>
            <dt>{t('sync.sent')}</dt>
            <dd>{n(s.sent)}</dd>
          </dl>
          {s.problem && (
            <div className="sync-problem" role="alert">
              <strong>{t('sync.problemTitle')}: </strong>
              {syncProblemText(s.problem)}
              <details>
                <summary>{t('sync.details')}</summary>
                <code>{s.problem.detail}</code>
              </details>
            </div>
          )}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={now.isPending}
              onClick={() => now.mutate()}
            >
              {t('sync.now')}
            </button>
            <button
              type="button"
              disabled={disconnect.isPending}
              onClick={() => disconnect.mutate()}
            >
              {t('sync.disconnect')}
            </button>
            {now.error && (
              <span role="alert" className="error">
                {errorText(now.error)}
              </span>
            )}
          </div>
        </>
      )}
    </section>
  );
}

export function SyncStateText({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`sync-state sync-${status.state}`}>{t(`sync.state.${status.state}`)}</span>
  );
}
