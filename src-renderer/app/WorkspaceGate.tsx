// Before the app: is the workspace open? An encrypted workspace this laptop has no key for
// asks for its recovery key; a file that cannot be opened offers the newest backup that
// passes the check. Once open, a read-only or damaged file shows a banner above the app.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo, WorkspaceStatus } from '../../src-main/contract/index.js';
import { api } from '../api/client.js';
import { errorText } from '../components/errors.js';
import { formatDateTime } from '../components/format.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useUi } from './uiStore.js';

export function useWorkspaceStatus() {
  return useQuery({
    queryKey: ['workspace.status'],
    queryFn: () => api.call('workspace.status', {}),
  });
}

/** Unlocking, restoring or encrypting swaps the file under every view: start afresh. */
function useWorkspaceEvents() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'workspace') void queryClient.invalidateQueries();
      }),
    [queryClient],
  );
}

function RestoreOffer({ backup }: { backup: BackupInfo | null }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const restore = useMutation({
    mutationFn: (name: string) => api.call('backups.restore', { name }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (!backup) return <p>{t('workspace.noGoodBackup')}</p>;
  return (
    <div className="stack">
      <p>
        {t('workspace.goodBackup', {
          when: formatDateTime(backup.createdAt, i18n.language),
          leads: backup.leads ?? '?',
          opportunities: backup.opportunities ?? '?',
        })}
      </p>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={restore.isPending}
          onClick={() => restore.mutate(backup.name)}
        >
          {t('workspace.restoreThis')}
        </button>
      </div>
      {restore.error && (
        <p role="alert" className="error">
          {errorText(restore.error)}
        </p>
      )}
    </div>
  );
}

function UnlockScreen({ status }: { status: WorkspaceStatus }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const unlock = useMutation({
    mutationFn: (recoveryKey: string) => api.call('workspace.unlock', { recoveryKey }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) unlock.mutate(text);
  };
  return (
    <main className="welcome">
      <form className="welcome-card" onSubmit={submit} aria-labelledby="unlock-title">
        <div className="welcome-lang">
          <LanguageSwitch />
        </div>
        <h1 id="unlock-title">{t('workspace.lockedTitle')}</h1>
        <p>
          {t(status.locked === 'wrong-key' ? 'workspace.lockedWrongKey' : 'workspace.lockedBody')}
        </p>
        <p className="muted">
          <code>{status.dbPath}</code>
        </p>
        <label className="field">
          <span>{t('workspace.recoveryKey')}</span>
          <input
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={text}
            placeholder="XXXX-XXXX-XXXX-…"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={unlock.isPending || !text.trim()}>
            {t('workspace.unlock')}
          </button>
        </div>
        {unlock.error && (
          <p role="alert" className="error">
            {/does not open/.test(unlock.error.message)
              ? t('workspace.keyDoesNotOpen')
              : /typo/.test(unlock.error.message)
                ? t('workspace.keyTypo')
                : errorText(unlock.error)}
          </p>
        )}
        <p className="muted">{t('workspace.lockedHelp')}</p>
        {status.goodBackup && (
          <>
            <h2>{t('workspace.orRestore')}</h2>
            <RestoreOffer backup={status.goodBackup} />
          </>
        )}
      </form>
    </main>
  );
}

function DamagedScreen({ status }: { status: WorkspaceStatus }) {
  const { t } = useTranslation();
  return (
    <main className="welcome">
      <div className="welcome-card" role="alert">
        <div className="welcome-lang">
          <LanguageSwitch />
        </div>
        <h1>{t('workspace.damagedTitle')}</h1>
        <p>{t('workspace.damagedBody')}</p>
        <p className="muted">
          <code>{status.dbPath}</code>
        </p>
        {status.damage && (
          <details className="muted small">
            <summary>{t('workspace.details')}</summary>
            {status.damage}
          </details>
        )}
        <RestoreOffer backup={status.goodBackup} />
      </div>
    </main>
  );
}

function Banners({ status }: { status: WorkspaceStatus }) {
  const { t } = useTranslation();
  const setPage = useUi((s) => s.setPage);
  const setTab = useUi((s) => s.setSettingsTab);
  return (
    <>
      {status.readOnly && (
        <div className="banner warning" role="status" data-testid="read-only-banner">
          {t('workspace.readOnlyBanner')}
        </div>
      )}
      {status.integrity === 'damaged' && (
        <div className="banner danger" role="alert" data-testid="damaged-banner">
          <strong>{t('workspace.damagedTitle')}</strong> {t('workspace.damagedOpenBody')}
          <RestoreOffer backup={status.goodBackup} />
          <button
            onClick={() => {
              setTab('backups');
              setPage('settings');
            }}
          >
            {t('workspace.allBackups')}
          </button>
        </div>
      )}
    </>
  );
}

export function WorkspaceGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  useWorkspaceEvents();
  const status = useWorkspaceStatus();
  if (status.isPending) return <div className="center muted">{t('app.loading')}</div>;
  if (status.isError)
    return (
      <div className="center" role="alert">
        <p>{errorText(status.error)}</p>
        <button onClick={() => void status.refetch()}>{t('app.retry')}</button>
      </div>
    );
  if (status.data.state === 'locked') return <UnlockScreen status={status.data} />;
  if (status.data.state === 'damaged') return <DamagedScreen status={status.data} />;
  return (
    <div className="gated">
      <Banners status={status.data} />
      {children}
    </div>
  );
}
