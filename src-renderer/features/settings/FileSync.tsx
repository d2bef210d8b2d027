import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SYNC_FILE_EXTENSION } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { downloadBase64 } from '../../components/download.js';
import { errorText } from '../../components/errors.js';
import { readAsBase64 } from '../../components/fileBytes.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { LinkQr } from '../../components/LinkQr.js';

/** Sync by file, for no network at all: send the changes as one signed file (USB stick,
 * AirDrop, e-mail, WeChat) and receive the other laptop's; pair a laptop first. */
export function FileSync() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const picker = useRef<HTMLInputElement>(null);
  const [everything, setEverything] = useState(false);
  const [pairing, setPairing] = useState(false);
  const status = useQuery({
    queryKey: ['sync.fileStatus'],
    queryFn: () => api.call('sync.fileStatus', {}),
  });
  const pairLink = useQuery({
    queryKey: ['sync.filePairLink'],
    queryFn: () => api.call('sync.filePairLink', {}),
    enabled: pairing,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['sync.fileStatus'] });
  const send = useMutation({
    mutationFn: () => api.call('sync.fileExport', { everything }),
    onSuccess: (file) => {
      downloadBase64(file.fileName, file.content, file.mime);
      showToast(t('fileSync.sent', { count: file.rows }));
      refresh();
    },
  });
  const receive = useMutation({
    mutationFn: async (file: File) =>
      api.call('sync.fileImport', { content: await readAsBase64(file) }),
    onSuccess: (r) => {
      showToast(t('fileSync.received', { count: r.applied, from: r.from }));
      refresh();
      void queryClient.invalidateQueries();
    },
  });
  const s = status.data;
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <section className="file-sync panel" aria-labelledby="file-sync-title" data-testid="file-sync">
      <h3 id="file-sync-title">{t('fileSync.title')}</h3>
      <p className="muted">{t('fileSync.intro')}</p>
      {s && (
        <dl className="sync-facts">
          <dt>{t('sync.workspace')}</dt>
          <dd>{s.workspace ?? t('fileSync.notPaired')}</dd>
          <dt>{t('fileSync.pending')}</dt>
          <dd>{n(s.pending)}</dd>
          {s.peers.map((p) => (
            <div key={p.name} className="contents">
              <dt>{p.name}</dt>
              <dd>
                {t('fileSync.lastFile', {
                  when: p.lastFileAt
                    ? formatDateTime(p.lastFileAt, i18n.language)
                    : t('sync.never'),
                })}
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={send.isPending}
          onClick={() => send.mutate()}
        >
          {t('fileSync.send')}
        </button>
        <label className="inline-field">
          <input
            type="checkbox"
            checked={everything}
            onChange={(e) => setEverything(e.target.checked)}
          />
          {t('fileSync.everything')}
        </label>
        <button type="button" disabled={receive.isPending} onClick={() => picker.current?.click()}>
          {t('fileSync.receive')}
        </button>
        <input
          ref={picker}
          type="file"
          hidden
          accept={SYNC_FILE_EXTENSION}
          aria-label={t('fileSync.receive')}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) receive.mutate(file);
          }}
        />
        <button type="button" onClick={() => setPairing((p) => !p)}>
          {t('fileSync.pair')}
        </button>
      </div>
      {(send.error || receive.error) && (
        <p role="alert" className="error">
          {errorText(send.error ?? receive.error)}
        </p>
      )}
      {pairing && pairLink.data && (
        <div className="invite-result panel">
          <p>{t('fileSync.pairHint')}</p>
          <LinkQr
            link={pairLink.data.link}
            label={t('fileSync.pairLink')}
            qrLabel={t('fileSync.pairQr')}
          />
        </div>
      )}
    </section>
  );
}
