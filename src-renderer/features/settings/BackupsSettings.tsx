// Settings › Backups: the folder, the plan, the list (date, size, leads, opportunities),
// "Back up now", and "Restore…" with a preview of what the backup holds.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useAppStatus } from '../../api/queries.js';
import { useWorkspaceStatus } from '../../app/WorkspaceGate.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { Modal } from '../../components/Modal.js';

function formatSize(bytes: number, locale: string): string {
  const mb = bytes / 1024 / 1024;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb)} MB`;
}

function RestoreDialog({ backup, onClose }: { backup: BackupInfo; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const current = useAppStatus();
  const preview = useQuery({
    queryKey: ['backups.preview', backup.name],
    queryFn: () => api.call('backups.preview', { name: backup.name }),
  });
  const restore = useMutation({
    mutationFn: () => api.call('backups.restore', { name: backup.name }),
    onSuccess: () => {
      onClose();
      showToast(t('backups.restored'));
      void queryClient.invalidateQueries();
    },
  });
  const p = preview.data;
  const n = (v: number | null | undefined) => (v == null ? '?' : formatNumber(v, lang));
  return (
    <Modal
      labelledBy="restore-title"
      className="convert-dialog"
      onClose={() => !restore.isPending && onClose()}
    >
      <h2 id="restore-title">
        {t('backups.restoreTitle', { when: formatDateTime(backup.createdAt, lang) })}
      </h2>
      {preview.isPending && <p className="muted">{t('backups.checking')}</p>}
      {preview.error && (
        <p role="alert" className="error">
          {errorText(preview.error)}
        </p>
      )}
      {p && (
        <div className="stack" data-testid="restore-preview">
          <p className={p.ok ? '' : 'error'}>
            {p.ok ? t('backups.checkOk') : t('backups.checkFailed', { problem: p.problem ?? '' })}
          </p>
          <table className="report-table backup-list">
            <thead>
              <tr>
                <th />
                <th className="num">{t('backups.inBackup')}</th>
                <th className="num">{t('backups.now')}</th>
              </tr>
            </thead>
            <tbody>
              {(['leads', 'opportunities', 'accounts', 'contacts'] as const).map((k) => (
                <tr key={k}>
                  <th scope="row">{t(`backups.count.${k}`)}</th>
                  <td className="num">{n(p[k])}</td>
                  <td className="num">{n(current.data?.counts[k])}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('backups.count.activities')}</th>
                <td className="num">{n(p.activities)}</td>
                <td />
              </tr>
            </tbody>
          </table>
          {p.newestChangeAt !== null && (
            <p className="muted">
              {t('backups.newestChange', { when: formatDateTime(p.newestChangeAt, lang) })}
            </p>
          )}
          {p.recentLeads.length > 0 && (
            <p className="muted">
              {t('backups.recentLeads')}{' '}
              {new Intl.ListFormat(lang).format(
                p.recentLeads.map((l) => (l.company ? `${l.name} (${l.company})` : l.name)),
              )}
            </p>
          )}
          <p>{t('backups.restoreWarning')}</p>
        </div>
      )}
      <div className="row">
        <button
          className="primary"
          disabled={!p?.ok || restore.isPending}
          onClick={() => restore.mutate()}
        >
          {restore.isPending ? t('backups.restoring') : t('backups.restoreConfirm')}
        </button>
        <button disabled={restore.isPending} onClick={onClose}>
          {t('form.cancel')}
        </button>
      </div>
      {restore.error && (
        <p role="alert" className="error">
          {errorText(restore.error)}
        </p>
      )}
    </Modal>
  );
}

export function BackupsSettings() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const workspace = useWorkspaceStatus();
  const list = useQuery({
    queryKey: ['backups.list'],
    queryFn: () => api.call('backups.list', {}),
  });
  const [folder, setFolder] = useState('');
  useEffect(() => {
    if (list.data) setFolder(list.data.folder);
  }, [list.data]);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['backups.list'] });
  const create = useMutation({
    mutationFn: () => api.call('backups.create', {}),
    onSuccess: () => {
      showToast(t('backups.made'));
      void refresh();
    },
  });
  const setDir = useMutation({
    mutationFn: (f: string | null) => api.call('backups.setFolder', { folder: f }),
    onSuccess: (data) => queryClient.setQueryData(['backups.list'], data),
  });
  const submitFolder = (e: FormEvent) => {
    e.preventDefault();
    if (folder.trim()) setDir.mutate(folder.trim());
  };
  const data = list.data;
  const readOnly = workspace.data?.readOnly ?? false;
  return (
    <section className="panel" aria-labelledby="backups-title">
      <h2 id="backups-title">{t('backups.title')}</h2>
      {data && (
        <p className="muted">
          {t('backups.plan', data.keep)}{' '}
          {data.lastBackupAt
            ? t('backups.last', { when: formatDateTime(data.lastBackupAt, lang) })
            : t('backups.none')}
        </p>
      )}
      <form className="row" onSubmit={submitFolder}>
        <label className="field grow">
          <span>{t('backups.folder')}</span>
          <input value={folder} onChange={(e) => setFolder(e.target.value)} spellCheck={false} />
        </label>
        <button type="submit" disabled={readOnly || setDir.isPending || folder === data?.folder}>
          {t('backups.useFolder')}
        </button>
        {data && data.folder !== data.defaultFolder && (
          <button type="button" disabled={readOnly} onClick={() => setDir.mutate(null)}>
            {t('backups.defaultFolder')}
          </button>
        )}
      </form>
      <p className="muted small">{t('backups.folderHint')}</p>
      {setDir.error && (
        <p role="alert" className="error">
          {errorText(setDir.error)}
        </p>
      )}
      <div className="row">
        <button
          className="primary"
          disabled={readOnly || create.isPending}
          onClick={() => create.mutate()}
        >
          {create.isPending ? t('backups.making') : t('backups.backUpNow')}
        </button>
      </div>
      {create.error && (
        <p role="alert" className="error">
          {errorText(create.error)}
        </p>
      )}
      {list.isPending && <p className="muted">{t('app.loading')}</p>}
      {data && data.backups.length === 0 && <p className="muted">{t('backups.empty')}</p>}
      {data && data.backups.length > 0 && (
        <table className="report-table backup-list">
          <thead>
            <tr>
              <th>{t('backups.when')}</th>
              <th>{t('backups.why')}</th>
              <th className="num">{t('backups.size')}</th>
              <th className="num">{t('backups.count.leads')}</th>
              <th className="num">{t('backups.count.opportunities')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.backups.map((b) => (
              <tr key={b.name} data-testid="backup-row">
                <td>
                  {formatDateTime(b.createdAt, lang)}
                  {b.encrypted && <span className="tag backup-lock">{t('backups.encrypted')}</span>}
                </td>
                <td>{t(`backups.reason.${b.reason}`)}</td>
                <td className="num">{formatSize(b.size, lang)}</td>
                <td className="num">{b.leads === null ? '?' : formatNumber(b.leads, lang)}</td>
                <td className="num">
                  {b.opportunities === null ? '?' : formatNumber(b.opportunities, lang)}
                </td>
                <td>
                  <button disabled={readOnly} onClick={() => setRestoring(b)}>
                    {t('backups.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring && <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} />}
    </section>
  );
}
