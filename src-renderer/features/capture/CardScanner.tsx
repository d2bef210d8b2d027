// Business cards from photos (issue 22): take one with the laptop's camera, or choose,
// drop or paste photos — a stack photographed after the show is read one card at a time
// (services/cardReader.ts reads them on this laptop, never online). The panel only
// collects photos; the capture page reads them and fills its form.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { cameraProblemOf, type CameraProblem } from './cameraProblem.js';
import { ScannerPanel } from './ScannerPanel.js';

/** Photos among dropped or pasted files. */
export const photosOf = (files: Iterable<File>) =>
  [...files].filter((f) => f.type.startsWith('image/'));

export function CardScanner({
  onPhotos,
  onBack,
  onClose,
}: {
  onPhotos(photos: Blob[]): void;
  /** When a card is in the form: a photo of its other side (English on the back). */
  onBack: ((photo: Blob) => void) | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState(false);
  const [live, setLive] = useState(false);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [over, setOver] = useState(false);
  // The next photo (chosen or taken) is the back of the card in the form.
  const [backNext, setBackNext] = useState(false);
  const take = (photos: Blob[]) => {
    if (backNext && onBack && photos[0]) onBack(photos[0]);
    else onPhotos(photos);
    setBackNext(false);
  };

  // The camera runs only while its view is open.
  useEffect(() => {
    if (!camera) return;
    let stream: MediaStream | null = null;
    let cancelled = false;
    setProblem(null);
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) return setProblem('noCamera');
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1080 } },
          audio: false,
        });
        if (cancelled) return stream.getTracks().forEach((tr) => tr.stop());
        if (video.current) {
          video.current.srcObject = stream;
          await video.current.play();
        }
        setLive(true);
      } catch (err) {
        if (!cancelled) setProblem(cameraProblemOf(err));
      }
    };
    void start();
    return () => {
      cancelled = true;
      setLive(false);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [camera]);

  const takePhoto = () => {
    const v = video.current;
    if (!v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')?.drawImage(v, 0, 0);
    canvas.toBlob((blob) => blob && take([blob]), 'image/jpeg', 0.92);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const photos = photosOf(e.dataTransfer.files);
    if (photos.length) take(photos);
  };

  return (
    <ScannerPanel
      className="card-scanner"
      title={t('card.title')}
      note={t('card.offline')}
      onClose={onClose}
    >
      <div
        className={over ? 'card-drop over' : 'card-drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="muted">{t('card.drop')}</p>
        <div className="row">
          <label className="button">
            {t('card.choose')}
            <input
              type="file"
              name="card-photos"
              accept="image/*"
              multiple
              className="sr-only"
              onChange={(e) => {
                const photos = photosOf(e.target.files ?? []);
                e.target.value = '';
                if (photos.length) take(photos);
              }}
            />
          </label>
          <button type="button" onClick={() => setCamera((c) => !c)} aria-pressed={camera}>
            {camera ? t('card.cameraOff') : t('card.camera')}
          </button>
          {onBack && (
            <label className="inline-field">
              <input
                type="checkbox"
                name="card-back"
                checked={backNext}
                onChange={(e) => setBackNext(e.target.checked)}
              />
              <span>{t('card.backNext')}</span>
            </label>
          )}
        </div>
      </div>
      {camera &&
        (problem ? (
          <p role="alert" className="error">
            {t(`scan.${problem}`)}
          </p>
        ) : (
          <div className="card-camera">
            <video ref={video} muted playsInline aria-label={t('scan.preview')} />
            <button type="button" className="primary" disabled={!live} onClick={takePhoto}>
              {t('card.take')}
            </button>
          </div>
        ))}
    </ScannerPanel>
  );
}
