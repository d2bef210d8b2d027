// Moving a deal to lost asks why: one of the team's reasons (Settings › Stages) or the
// rep's own words. The move waits for the answer; cancelling puts the card back.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useTeamSettings } from '../../api/queries.js';
import { Modal } from '../../components/Modal.js';

export function LostReasonDialog({
  name,
  onCancel,
  onConfirm,
}: {
  name: string;
  onCancel(): void;
  onConfirm(reason: string): void;
}) {
  const { t } = useTranslation();
  const settings = useTeamSettings();
  const reasons = settings.data?.lostReasons ?? [];
  const [choice, setChoice] = useState('');
  const [other, setOther] = useState('');
  const firstRef = useRef<HTMLSelectElement>(null);
  useEffect(() => firstRef.current?.focus(), []);
  const reason = (choice === '__other' ? other : choice).trim();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason) onConfirm(reason);
  };
  return (
    <Modal labelledBy="lost-title" className="convert-dialog" onClose={onCancel} onSubmit={submit}>
      <h2 id="lost-title">{t('board.lostTitle', { name })}</h2>
      <label className="field">
        <span>{t('board.lostReason')}</span>
        <select ref={firstRef} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">—</option>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
          <option value="__other">{t('board.otherReason')}</option>
        </select>
      </label>
      {choice === '__other' && (
        <label className="field">
          <span>{t('board.otherReason')}</span>
          <input value={other} onChange={(e) => setOther(e.target.value)} maxLength={500} />
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={!reason}>
          {t('board.markLost')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </Modal>
  );
}
