// "Convert with options": when several accounts or contacts match a lead (or the rep
// wants a different one), choose which — or create new — before converting.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversionResult } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { Modal } from '../../components/Modal.js';

export function ConvertDialog({
  leadId,
  onClose,
  onConverted,
}: {
  leadId: string;
  onClose(): void;
  onConverted(result: ConversionResult): void;
}) {
  const { t } = useTranslation();
  const candidates = useQuery({
    queryKey: ['leads', 'conversionCandidates', leadId],
    queryFn: () => api.call('leads.conversionCandidates', { id: leadId }),
  });
  const [account, setAccount] = useState<string>('new');
  const [contact, setContact] = useState<string>('new');
  const firstRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The strongest match is preselected; the rep confirms or changes it.
    if (candidates.data) {
      setAccount(candidates.data.accounts[0]?.id ?? 'new');
      setContact(candidates.data.contacts[0]?.id ?? 'new');
    }
  }, [candidates.data]);
  useEffect(() => firstRef.current?.focus(), []);
  const convert = useMutation({
    mutationFn: () => api.call('leads.convert', { id: leadId, account, contact }),
    onSuccess: onConverted,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!convert.isPending) convert.mutate();
  };
  const data = candidates.data;
  return (
    <Modal
      labelledBy="convert-title"
      className="convert-dialog"
      onClose={onClose}
      onSubmit={submit}
    >
      <h2 id="convert-title">{t('convert.dialogTitle')}</h2>
      <p className="hint">{t('convert.dialogHint')}</p>
      {data && (
        <>
          <fieldset>
            <legend>{t('convert.account')}</legend>
            {data.accounts.map((a) => (
              <label key={a.id} className="choice">
                <input
                  type="radio"
                  name="account"
                  checked={account === a.id}
                  onChange={() => setAccount(a.id)}
                />{' '}
                {a.name}
                {a.domain ? ` (${a.domain})` : ''}{' '}
                <span className="muted">
                  {a.reasons.map((r) => t(`convert.accountReason.${r}`)).join(' · ')}
                </span>
              </label>
            ))}
            <label className="choice">
              <input
                type="radio"
                name="account"
                checked={account === 'new'}
                onChange={() => setAccount('new')}
              />{' '}
              {t('convert.newAccount')}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('convert.contact')}</legend>
            {data.contacts.map((c) => (
              <label key={c.id} className="choice">
                <input
                  type="radio"
                  name="contact"
                  checked={contact === c.id}
                  onChange={() => setContact(c.id)}
                />{' '}
                {c.name}
                {c.accountName ? ` · ${c.accountName}` : ''}{' '}
                <span className="muted">
                  {c.reasons.map((r) => t(`convert.contactReason.${r}`)).join(' · ')}
                </span>
              </label>
            ))}
            <label className="choice">
              <input
                type="radio"
                name="contact"
                checked={contact === 'new'}
                onChange={() => setContact('new')}
              />{' '}
              {t('convert.newContact')}
            </label>
          </fieldset>
        </>
      )}
      {(candidates.error || convert.error) && (
        <p role="alert" className="error">
          {errorText(candidates.error ?? convert.error)}
        </p>
      )}
      <div className="row">
        <button
          ref={firstRef}
          type="submit"
          className="primary"
          disabled={!data || convert.isPending}
        >
          {t('convert.confirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('form.cancel')}
        </button>
      </div>
    </Modal>
  );
}
