import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cameraProblemOf, type CameraProblem } from './cameraProblem.js';
import { ScannerPanel } from './ScannerPanel.js';

/** Reads a badge's QR code through the laptop's camera (@zxing/browser). The first code
 * read is handed over and the camera is turned off at once; so it is when the panel
 * closes. The decoder is loaded only when a scan starts. */
export function BadgeScanner({
  onScan,
  onClose,
}: {
  onScan: (text: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [live, setLive] = useState(false);
  const handed = useRef(false);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem('noCamera');
        return;
      }
      try {
        const { BrowserQRCodeReader } = await import('@zxing/browser');
        const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: 150 });
        const controls = await reader.decodeFromConstraints(
          { video: { facingMode: 'environment' }, audio: false },
          video.current ?? undefined,
          (result, _err, ctl) => {
            if (!result || handed.current) return;
            handed.current = true;
            ctl.stop();
            onScan(result.getText());
          },
        );
        if (cancelled) controls.stop();
        else {
          stop = () => controls.stop();
          setLive(true);
        }
      } catch (err) {
        if (!cancelled) setProblem(cameraProblemOf(err));
      }
    };
    void start();
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [onScan]);

  return (
    <ScannerPanel className="badge-scanner" title={t('scan.title')} focusClose onClose={onClose}>
      {problem ? (
        <p role="alert" className="error">
          {t(`scan.${problem}`)}
        </p>
      ) : (
        <p className="muted" role="status">
          {live ? t('scan.hint') : t('scan.starting')}
        </p>
      )}
      <video ref={video} muted playsInline aria-label={t('scan.preview')} />
    </ScannerPanel>
  );
}
