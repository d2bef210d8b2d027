import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { leadSources, type LeadSource } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useCampaigns } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatNumber } from '../../components/format.js';

/** Website forms → leads (admins and managers): a form key per form on the team's website,
 * with the source and event its leads get, and the HTML to paste into the page. */
export function WebForms({ peerId }: { peerId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const campaigns = useCampaigns();
  const key = ['sync.forms', peerId];
  const forms = useQuery({ queryKey: key, queryFn: () => api.call('sync.forms', { peerId }) });
  const [name, setName] = useState('');
  const [source, setSource] = useState<LeadSource>('web_form');
  const [campaignId, setCampaignId] = useState('');
  const [redirectUrl, setRedirectUrl] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.call('sync.createForm', {
        peerId,
        name,
        source,
        ...(campaignId ? { campaignId } : {}),
        ...(redirectUrl.trim() ? { redirectUrl: redirectUrl.trim() } : {}),
      }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (formKey: string) => api.call('sync.revokeForm', { peerId, key: formKey }),
    onSuccess: (list) => queryClient.setQueryData(key, list),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="web-forms" aria-labelledby={`forms-${peerId}`} data-testid="web-forms">
      <h3 id={`forms-${peerId}`}>{t('forms.title')}</h3>
      <p className="muted">{t('forms.intro')}</p>
      <form className="grid narrow" onSubmit={submit} aria-label={t('forms.create')}>
        <label className="field">
          <span>{t('forms.name')}</span>
          <input value={name} required maxLength={120} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('fields.source')}</span>
          <select value={source} onChange={(e) => setSource(e.target.value as LeadSource)}>
            {leadSources.map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('fields.campaign_id')}</span>
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            <option value="">{t('form.none')}</option>
            {campaigns.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('forms.redirect')}</span>
          <input
            value={redirectUrl}
            inputMode="url"
            placeholder="https://"
            onChange={(e) => setRedirectUrl(e.target.value)}
          />
          <small className="muted">{t('forms.redirectHint')}</small>
        </label>
        <div className="row wide">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('forms.create')}
          </button>
          {create.error && (
            <span role="alert" className="error">
              {errorText(create.error)}
            </span>
          )}
        </div>
      </form>
      {forms.error && (
        <p role="alert" className="error">
          {errorText(forms.error)}
        </p>
      )}
      {forms.data?.map((f) => (
        <div key={f.key} className={`panel web-form${f.revokedAt ? ' revoked' : ''}`}>
          <div className="row">
            <strong>{f.name}</strong>
            <span className="muted">
              {t('forms.received', {
                count: f.received,
                n: formatNumber(f.received, i18n.language),
              })}
            </span>
            {f.revokedAt ? (
              <span className="muted">{t('forms.revoked')}</span>
            ) : (
              <button type="button" className="danger" onClick={() => revoke.mutate(f.key)}>
                {t('forms.revoke')}
              </button>
            )}
          </div>
          {!f.revokedAt && (
            <>
              <small className="muted">{t('forms.snippet')}</small>
              <pre className="snippet">{f.snippet}</pre>
              <div className="row">
                <button
                  type="button"
                  onClick={() =>
                    void navigator.clipboard
                      ?.writeText(f.snippet)
                      .then(() => showToast(t('forms.copied')))
                  }
                >
                  {t('forms.copy')}
                </button>
                <code className="muted">{f.action}</code>
              </div>
            </>
          )}
        </div>
      ))}
    </section>
  );
}
