import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  type SyncPeerStatus,
  type SyncStatus,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { keepSyncStatus, useSyncStatus } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { TextField } from '../../components/TextField.js';
import { ConflictList } from './ConflictList.js';
import { FileSync } from './FileSync.js';
import { HubShare } from './HubShare.js';
import { JoinTeam } from './JoinTeam.js';
import { syncProblemText } from './syncProblem.js';
import { TeamAdmin } from './TeamAdmin.js';
import { WebForms } from './WebForms.js';

/** Settings › Team sync: join a team (invite link or QR code) and a booth hub, see what
 * moved and what went wrong for each, sync now, leave; admins invite people and manage
 * devices here. */
export function SyncSettings() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  // An invite link that opened the app is always shown, to confirm.
  const offered = useUi((u) => u.joinLink);
  const s = status.data;
  if (!s) return null;
  const hasServer = s.peers.some((p) => p.kind === 'server');
  const hasHub = s.peers.some((p) => p.kind === 'hub');
  return (
    <section className="sync-settings" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <p className="muted">{t('sync.intro')}</p>
      {s.role === 'rep' && <p className="notice">{t('sync.repNotice')}</p>}
      {offered && (hasServer || hasHub) && <JoinTeam />}
      {s.peers.map((p) => (
        <PeerCard key={p.id} peer={p} />
      ))}
      {!hasServer && !hasHub && (
        <>
          <JoinTeam />
          <details className="token-connect">
            <summary>{t('sync.withToken')}</summary>
            <TokenConnect />
          </details>
        </>
      )}
      {hasServer && !hasHub && (
        <details className="join-hub">
          <summary>{t('sync.join.hubTitle')}</summary>
          <JoinTeam hub />
        </details>
      )}
      {!hasServer && hasHub && (
        <details className="join-server">
          <summary>{t('sync.join.title')}</summary>
          <JoinTeam />
        </details>
      )}
      {s.peers.length > 0 && <ConflictList />}
      <HubShare />
      <FileSync />
    </section>
  );
}

function PeerCard({ peer }: { peer: SyncPeerStatus }) {
  const { t, i18n } = useTranslation();
  // This laptop's own hub is managed in "Share this laptop as the booth hub" below.
  const hub = useQuery({ queryKey: ['hub.status'], queryFn: () => api.call('hub.status', {}) });
  const ownHub = peer.kind === 'hub' && hub.data?.on === true && hub.data.url === peer.server;
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const setStatus = (s: SyncStatus) => keepSyncStatus(queryClient, s);
  const disconnect = useMutation({
    mutationFn: () => api.call('sync.disconnect', { peerId: peer.id }),
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
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <div className="sync-peer panel" data-testid={`sync-peer-${peer.kind}`}>
      <h3>
        {t(
          ownHub ? 'sync.kind.ownHub' : peer.kind === 'hub' ? 'sync.kind.hub' : 'sync.kind.server',
        )}
      </h3>
      <dl className="sync-facts" data-testid="sync-facts">
        <dt>{t('sync.server')}</dt>
        <dd>
          <code>{peer.server}</code>
          {peer.fingerprint && (
            <small className="muted" title={peer.fingerprint}>
              {' '}
              {t('sync.pinned', { fp: peer.fingerprint.slice(0, 16) })}
            </small>
          )}
        </dd>
        <dt>{t('sync.status')}</dt>
        <dd>
          <SyncStateText state={peer.state} />
        </dd>
        {peer.workspace && (
          <>
            <dt>{t('sync.workspace')}</dt>
            <dd>{peer.workspace}</dd>
          </>
        )}
        {peer.user && (
          <>
            <dt>{t('sync.user')}</dt>
            <dd>
              {peer.user}
              {peer.role && (
                <span className="muted"> ({t(`team.roles.${peer.role}`, peer.role)})</span>
              )}
            </dd>
          </>
        )}
        <dt>{t('sync.lastSynced')}</dt>
        <dd>
          {peer.lastSyncedAt ? formatDateTime(peer.lastSyncedAt, i18n.language) : t('sync.never')}
        </dd>
        <dt>{t('sync.waiting')}</dt>
        <dd data-testid="sync-waiting">{n(peer.waiting)}</dd>
        <dt>{t('sync.received')}</dt>
        <dd>{n(peer.received)}</dd>
        <dt>{t('sync.sent')}</dt>
        <dd>{n(peer.sent)}</dd>
      </dl>
      {peer.refused > 0 && <p className="notice">{t('sync.refused', { count: peer.refused })}</p>}
      {peer.problem && (
        <div className="sync-problem" role="alert">
          <strong>{t('sync.problemTitle')}: </strong>
          {syncProblemText(peer.problem)}
          <details>
            <summary>{t('sync.details')}</summary>
            <code>{peer.problem.detail}</code>
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
        {!ownHub && (
          <button type="button" disabled={disconnect.isPending} onClick={() => disconnect.mutate()}>
            {t(peer.kind === 'hub' ? 'sync.leaveHub' : 'sync.disconnect')}
          </button>
        )}
        {now.error && (
          <span role="alert" className="error">
            {errorText(now.error)}
          </span>
        )}
      </div>
      {peer.role === 'admin' && peer.problem?.kind !== 'revoked' && !ownHub && (
        <TeamAdmin peerId={peer.id} />
      )}
      {peer.kind === 'server' &&
        (peer.role === 'admin' || peer.role === 'manager') &&
        peer.problem?.kind !== 'revoked' && <WebForms peerId={peer.id} />}
    </div>
  );
}

/** Connecting with a device token made on the server's command line (for admins who set
 * things up by hand). */
function TokenConnect() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const [server, setServer] = useState('');
  const [token, setToken] = useState('');
  const connect = useMutation({
    mutationFn: () => api.call('sync.connect', { server, token }),
    onSuccess: (s) => {
      keepSyncStatus(queryClient, s);
      setToken('');
      showToast(t('sync.connected'));
    },
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
  return (
    <form className="grid narrow" onSubmit={submit} aria-label={t('sync.withToken')}>
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
  );
}

export function SyncStateText({ state }: { state: SyncStatus['state'] }) {
  const { t } = useTranslation();
  return <span className={`sync-state sync-${state}`}>{t(`sync.state.${state}`)}</span>;
}
