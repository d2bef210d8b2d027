import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { shortcutList } from './shortcuts.js';

/** The keyboard shortcuts, opened with "?" from anywhere. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        className="panel help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <div className="row spread">
          <h2 id="help-title">{t('help.title')}</h2>
          <button ref={closeRef} type="button" onClick={onClose}>
            {t('form.close')}
          </button>
        </div>
        <table>
          <tbody>
            {shortcutList.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{t(what as 'help.capture')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
