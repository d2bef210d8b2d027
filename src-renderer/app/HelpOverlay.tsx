import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { shortcutList } from './shortcuts.js';
import { Modal } from '../components/Modal.js';

/** The keyboard shortcuts, opened with "?" from anywhere. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <Modal labelledBy="help-title" className="help" onClose={onClose}>
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
    </Modal>
  );
}
