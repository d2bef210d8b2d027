// Settings › Security: is this workspace encrypted, where its key is kept; encrypt a plain
// one; show the recovery key (to print or keep in a password manager).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useWorkspaceStatus } from '../../app/WorkspaceGate.js';
import { errorText } from '../../components/errors.js';
import { Modal } from '../../components/Modal.js';

function RecoveryKeyDialog({ recoveryKey, onClose }: { recoveryKey: string; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <Modal labelledBy="recovery-key-title" className="convert-dialog" onClose={onClose}>
      <h2 id="recovery-key-title">{t('security.recoveryKeyTitle')}</h2>
      <p>{t('security.recoveryKeyBody')}</p>
      <p className="recovery-key" data-testid="recovery-key">
        {recoveryKey}
      </p>
      <div className="row">
        <button
          onClick={() =>
            void navigator.clipboard
              ?.writeText(recoveryKey)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {copied ? t('security.copied') : t('security.copy')}
        </button>
        <button onClick={() => window.print()}>{t('security.print')}</button>
        <button className="primary" onClick={onClose}>
          {t('security.stored')}
        </button>
      </div>
    </Modal>
  );
}

export function SecuritySettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useWorkspaceStatus();
  const [shown, setShown] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const encrypt = useMutation({
    mutationFn: () => api.call('workspace.encrypt', {}),
    onSuccess: (r) => {
      setConfirming(false);
      if (r.recoveryKey) setShown(r.recoveryKey);
      void queryClient.invalidateQueries();
    },
  });
  const reveal = useMutation({
    mutationFn: () => api.call('workspace.recoveryKey', {}),
    onSuccess: (r) => r.recoveryKey && setShown(r.recoveryKey),
  });
  const s = status.data;
  if (!s) return null;
  const where = t(`security.keyStore.${s.keyStore}`);
  return (
    <section className="panel" aria-labelledby="security-title">
      <h2 id="security-title">{t('security.title')}</h2>
      {s.encrypted ? (
        <>
          <p data-testid="encryption-state">{t('security.encrypted')}</p>
          <p className="muted">{t('security.keyKept', { where })}</p>
          <div className="row">
            <button onClick={() => reveal.mutate()} disabled={reveal.isPending}>
              {t('security.exportKey')}
            </button>
          </div>
          {reveal.isSuccess && !reveal.data.recoveryKey && (
            <p className="muted">{t('security.passphraseIsKey')}</p>
          )}
        </>
      ) : (
        <>
          <p data-testid="encryption-state">{t('security.notEncrypted')}</p>
          <p className="muted">
            {s.keyStore === 'none' && !s.canKeepKey
              ? t('security.noKeychain')
              : t('security.encryptHint')}
          </p>
          <div className="row">
            <button
              className="primary"
              disabled={s.readOnly || encrypt.isPending}
              onClick={() => setConfirming(true)}
            >
              {t('security.encrypt')}
            </button>
          </div>
        </>
      )}
      {(encrypt.error ?? reveal.error) && (
        <p role="alert" className="error">
          {errorText(encrypt.error ?? reveal.error)}
        </p>
      )}
      <h3>{t('security.newLaptopTitle')}</h3>
      <p className="muted">{t('security.newLaptopBody')}</p>
      {confirming && (
        <Modal
          labelledBy="encrypt-title"
          className="convert-dialog"
          onClose={() => !encrypt.isPending && setConfirming(false)}
        >
          <h2 id="encrypt-title">{t('security.encrypt')}</h2>
          <p>{t('security.encryptConfirm')}</p>
          <div className="row">
            <button
              className="primary"
              disabled={encrypt.isPending}
              onClick={() => encrypt.mutate()}
            >
              {encrypt.isPending ? t('security.encrypting') : t('security.encryptNow')}
            </button>
            <button disabled={encrypt.isPending} onClick={() => setConfirming(false)}>
              {t('form.cancel')}
            </button>
          </div>
        </Modal>
      )}
      {shown && <RecoveryKeyDialog recoveryKey={shown} onClose={() => setShown(null)} />}
    </section>
  );
}
