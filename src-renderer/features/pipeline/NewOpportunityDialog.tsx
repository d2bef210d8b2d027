// A deal that did not start as a lead (an existing customer's new order, a referral):
// name, account and contact — chosen, or named and created with it in one transaction —
// amount, stage, expected close and owner. It lands on the board and its panel opens.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useDevice, useStages, useTeamSettings } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { localName, majorToMinor } from '../../components/format.js';
import { Modal } from '../../components/Modal.js';
import { CurrencySelect, UserSelect } from '../../components/pickers.js';
import { RecordPicker } from '../../components/RecordPicker.js';
import { TextField } from '../../components/TextField.js';

type Link = { id: string; name: string } | { newName: string } | null;

export function NewOpportunityDialog({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const showOpportunity = useUi((s) => s.showOpportunity);
  const device = useDevice();
  const stages = useStages();
  const settings = useTeamSettings();
  const openStages = (stages.data ?? []).filter((s) => s.deleted_at === null && s.kind === 'open');
  const [name, setName] = useState('');
  const [account, setAccount] = useState<Link>(null);
  const [contact, setContact] = useState<Link>(null);
  const [contactEmail, setContactEmail] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<string | null>(null);
  const [stageId, setStageId] = useState('');
  const [close, setClose] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const cur = currency ?? settings.data?.currency ?? 'CNY';
  const minor = amount.trim() === '' ? null : majorToMinor(amount, cur);
  const create = useMutation({
    mutationFn: () =>
      api.call('opportunities.createDirect', {
        opportunity: {
          name,
          amount: minor,
          currency: minor === null ? null : cur,
          expected_close_date: close || null,
          owner_id: (owner ?? device.data?.currentUserId) || null,
          stage_id: stageId || openStages[0]?.id,
          ...(account && 'id' in account ? { account_id: account.id } : {}),
          ...(contact && 'id' in contact ? { contact_id: contact.id } : {}),
        },
        ...(account && 'newName' in account ? { newAccount: { name: account.newName } } : {}),
        ...(contact && 'newName' in contact
          ? {
              newContact: {
                name: contact.newName,
                email: contactEmail || null,
                phone: contactPhone || null,
              },
            }
          : {}),
      }),
    onSuccess: (row) => {
      void queryClient.invalidateQueries({ queryKey: ['opportunities'] });
      void queryClient.invalidateQueries({ queryKey: ['accounts'] });
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      showToast(t('opportunity.created', { name: row.name }));
      showOpportunity(row.id);
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  const amountBad = minor !== null && Number.isNaN(minor);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!amountBad && !create.isPending) create.mutate();
  };
  const label = (l: Link) => (l === null ? null : 'id' in l ? l.name : l.newName);
  const stageLabel = (s: (typeof openStages)[number]) =>
    `${localName(s, i18n.language)} · ${s.probability ?? 0}%`;
  return (
    <Modal
      labelledBy="new-opp-title"
      className="convert-dialog"
      onClose={onClose}
      onSubmit={submit}
    >
      <h2 id="new-opp-title">{t('opportunity.newTitle')}</h2>
      <div className="grid">
        <TextField
          label={t('opportunity.name')}
          name="name"
          autoFocus
          required
          value={name}
          error={errors['opportunity.name']}
          onValue={setName}
        />
        <div>
          <RecordPicker
            entity="accounts"
            label={t('opportunity.account')}
            current={label(account)}
            onPick={(a) => setAccount(a)}
            onCreate={(newName) => setAccount({ newName })}
          />
          {account && 'newName' in account && (
            <small className="muted">
              {t('opportunity.newAccountNamed', { name: account.newName })}
            </small>
          )}
        </div>
        <div>
          <RecordPicker
            entity="contacts"
            label={t('opportunity.contact')}
            current={label(contact)}
            accountId={account && 'id' in account ? account.id : null}
            onPick={(c) => setContact(c)}
            onCreate={(newName) => setContact({ newName })}
          />
          {contact && 'newName' in contact && (
            <small className="muted">
              {t('opportunity.newContactNamed', { name: contact.newName })}
            </small>
          )}
        </div>
        {contact && 'newName' in contact && (
          <>
            <TextField
              label={t('opportunity.contactEmail')}
              name="contact_email"
              type="email"
              value={contactEmail}
              error={errors['newContact.email']}
              onValue={setContactEmail}
            />
            <TextField
              label={t('opportunity.contactPhone')}
              name="contact_phone"
              type="tel"
              value={contactPhone}
              error={errors['newContact.phone']}
              onValue={setContactPhone}
            />
          </>
        )}
        <TextField
          label={t('opportunity.amount')}
          name="amount"
          inputMode="decimal"
          value={amount}
          error={amountBad ? t('errors.amount') : errors['opportunity.amount']}
          onValue={setAmount}
        />
        <label className="field">
          <span>{t('fields.currency')}</span>
          <CurrencySelect name="currency" value={cur} onChange={setCurrency} />
        </label>
        <label className="field">
          <span>{t('opportunity.stage')}</span>
          <select
            name="stage"
            value={stageId || openStages[0]?.id || ''}
            onChange={(e) => setStageId(e.target.value)}
          >
            {openStages.map((s) => (
              <option key={s.id} value={s.id}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <TextField
          label={t('opportunity.expectedClose')}
          name="expected_close_date"
          type="date"
          value={close}
          error={errors['opportunity.expected_close_date']}
          onValue={setClose}
        />
        <label className="field">
          <span>{t('fields.owner_id')}</span>
          <UserSelect
            name="owner_id"
            emptyLabel={t('form.none')}
            value={(owner ?? device.data?.currentUserId) || ''}
            onChange={(v) => setOwner(v)}
          />
        </label>
      </div>
      {create.error && (
        <p role="alert" className="error">
          {errorText(create.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
          {t('opportunity.create')}
        </button>
        <button type="button" onClick={onClose}>
          {t('form.cancel')}
        </button>
      </div>
    </Modal>
  );
}
