import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  leadSources,
  leadStatuses,
  type LeadSource,
  type LeadStatus,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { useDebounced } from '../../components/useDebounced.js';

interface Draft {
  name: string;
  company: string;
  title: string;
  email: string;
  phone: string;
  wechat: string;
  source: LeadSource | '';
  status: LeadStatus;
  notes: string;
}
const empty: Draft = {
  name: '',
  company: '',
  title: '',
  email: '',
  phone: '',
  wechat: '',
  source: '',
  status: 'new',
  notes: '',
};
const textFields = [
  ['name', 'form.name', 'text'],
  ['company', 'form.company', 'text'],
  ['title', 'form.jobTitle', 'text'],
  ['email', 'form.email', 'email'],
  ['phone', 'form.phone', 'tel'],
  ['wechat', 'form.wechat', 'text'],
] as const;

/** Create-lead form. Validation is the API's: its issues are shown on the fields. */
export function LeadForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const [draft, setDraft] = useState<Draft>(empty);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const create = useMutation({
    mutationFn: (d: Draft) =>
      api.call('leads.create', {
        name: d.name,
        company: d.company,
        title: d.title,
        email: d.email,
        phone: d.phone,
        wechat: d.wechat,
        source: d.source || null,
        status: d.status,
        notes: d.notes,
      }),
    onSuccess: (lead) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      showToast(t('form.saved', { name: lead.name }));
      setDraft(empty);
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  // Live duplicate warning: as soon as an email, a phone or a name with a company is
  // typed, matching leads and contacts show under the form (the local database answers,
  // so it works offline). Saving anyway stays one keystroke away.
  // Memoised on its fields: a fresh object each render would restart the debounce timer
  // on every render and, once it fired, re-render the form every 250 ms for ever.
  const typed = useMemo(
    () => ({ name: draft.name, company: draft.company, email: draft.email, phone: draft.phone }),
    [draft.name, draft.company, draft.email, draft.phone],
  );
  const lookup = useDebounced(typed, 250);
  const wantsLookup =
    lookup.email.includes('@') ||
    lookup.phone.replace(/\D/g, '').length >= 6 ||
    (lookup.name.trim() !== '' && lookup.company.trim() !== '');
  const duplicates = useQuery({
    queryKey: ['leads', 'duplicates', lookup],
    queryFn: () => api.call('leads.duplicates', lookup),
    enabled: wantsLookup,
  });
  const matches = wantsLookup ? (duplicates.data ?? []) : [];
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(draft);
  };
  return (
    <form
      className="panel lead-form"
      aria-labelledby="lead-form-title"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <h2 id="lead-form-title">{t('form.title')}</h2>
      <div className="grid">
        {textFields.map(([key, label, type]) => (
          <label key={key} className="field">
            <span>
              {t(label)}
              {key === 'name' && ' *'}
            </span>
            <input
              ref={key === 'name' ? nameRef : undefined}
              name={key}
              type={type}
              value={draft[key]}
              aria-invalid={errors[key] ? true : undefined}
              required={key === 'name'}
              onChange={(e) => set(key, e.target.value)}
            />
            {errors[key] && <small className="error">{errors[key]}</small>}
          </label>
        ))}
        <label className="field">
          <span>{t('form.source')}</span>
          <select
            name="source"
            value={draft.source}
            onChange={(e) => set('source', e.target.value as Draft['source'])}
          >
            <option value="">{t('form.none')}</option>
            {leadSources.map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('form.status')}</span>
          <select
            name="status"
            value={draft.status}
            onChange={(e) => set('status', e.target.value as LeadStatus)}
          >
            {leadStatuses
              .filter((s) => s !== 'converted')
              .map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
          </select>
        </label>
        <label className="field wide">
          <span>{t('form.notes')}</span>
          <textarea
            name="notes"
            rows={2}
            value={draft.notes}
            onChange={(e) => set('notes', e.target.value)}
          />
        </label>
      </div>
      {matches.length > 0 && (
        <section className="duplicates" aria-label={t('form.duplicatesTitle')}>
          <strong>{t('form.duplicatesTitle')}</strong>
          <ul>
            {matches.map((m) => (
              <li key={`${m.entity}:${m.id}`}>
                <span className="badge">{t(`form.duplicateEntity.${m.entity}`)}</span> {m.name}
                {m.company ? ` · ${m.company}` : ''}
                {m.phone ? ` · ${m.phone}` : ''}
                {m.email ? ` · ${m.email}` : ''}
                <span className="muted">
                  {' '}
                  — {m.reasons.map((r) => t(`form.duplicateReason.${r}`)).join('、')}
                </span>
              </li>
            ))}
          </ul>
          <small className="muted">{t('form.duplicatesHint')}</small>
        </section>
      )}
      {create.error && (
        <p role="alert" className="error">
          {errorText(create.error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('form.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
