import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi } from '../app/uiStore.js';

/** A link to hand to another laptop: shown to copy, and as a QR code to scan. */
export function LinkQr({ link, label, qrLabel }: { link: string; label: string; qrLabel: string }) {
  const { t } = useTranslation();
  const showToast = useUi((s) => s.showToast);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode').then((QR) =>
      QR.toDataURL(link, { margin: 1, width: 220, errorCorrectionLevel: 'M' }).then(
        (url) => live && setQr(url),
      ),
    );
    return () => {
      live = false;
    };
  }, [link]);
  return (
    <>
      <div className="row">
        <input
          readOnly
          className="invite-link"
          aria-label={label}
          value={link}
          onFocus={(e) => e.target.select()}
        />
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(link).then(() => showToast(t('sync.invite.copied')))
          }
        >
          {t('sync.invite.copy')}
        </button>
      </div>
      {qr && <img className="invite-qr" src={qr} width={220} height={220} alt={qrLabel} />}
    </>
  );
}
