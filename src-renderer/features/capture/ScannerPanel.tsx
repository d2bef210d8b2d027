// The frame both capture scanners share (badge QR codes, business cards): a titled panel
// that Escape and its Close button shut.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ScannerPanel({
  className,
  title,
  note,
  focusClose = false,
  onClose,
  children,
}: {
  className: string;
  title: string;
  /** A line beside the title. */
  note?: string;
  /** Focus lands on Close when the panel opens (nothing else to type into). */
  focusClose?: boolean;
  onClose(): void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={`${className} panel`}
      role="dialog"
      aria-label={title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="row">
        <strong>{title}</strong>
        {note && <span className="muted">{note}</span>}
        {note && <span className="grow" />}
        <button type="button" onClick={onClose} autoFocus={focusClose}>
          {t('scan.close')}
        </button>
      </div>
      {children}
    </div>
  );
}
