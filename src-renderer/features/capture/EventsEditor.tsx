import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  campaignKinds,
  type CampaignKind,
  type CampaignRow,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useCampaigns, useTeamSettings } from '../../api/queries.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { formatMoney, majorToMinor, minorToMajorText } from '../../components/format.js';
import { TextField } from '../../components/TextField.js';

interface EventDraft {
  id: string | null;
  name: string;
  kind: CampaignKind;
  location: string;
  start_date: string;
  end_date: string;
  cost: string;
  currency: string;
}

const blank = (currency: string): EventDraft => ({
  id: null,
  name: '',
  kind: 'trade_show',
  location: '',
  start_date: '',
  end_date: '',
  cost: '',
  currency,
});

function toDraft(c: CampaignRow, currency: string): EventDraft {
  const cur = c.currency ?? currency;
  return {
    id: c.id,
    name: c.name ?? '',
    kind: (c.kind as CampaignKind | null) ?? 'trade_show',
    location: c.location ?? '',
    start_date: c.start_date ?? '',
    end_date: c.end_date ?? '',
    cost: c.cost === null ? '' : minorToMajorText(c.cost, cur),
    currency: cur,
  };
}

/** The event list (trade shows, conferences…): name, place, dates and cost, which the
 * source reports divide by. */
export function EventsEditor({ onClose }: { onClose?: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const campaigns = useCampaigns();
  const settings = useTeamSettings();
  const currency = settings.data?.currency ?? 'CNY';
  const [draft, setDraft] = useState<EventDraft>(() => blank(currency));
  const [costError, setCostError] = useState(false);
  const save = useMutation({
    mutationFn: (d: EventDraft) => {
      const cost = d.cost.trim() === '' ? null : majorToMinor(d.cost, d.currency);
      const fields = {
        name: d.name,
        kind: d.kind,
        location: d.location,
        start_date: d.start_date || null,
        end_date: d.end_date || null,
        cost: cost ?? null,
        currency: cost === null ? null : d.currency,
      };
      return d.id
        ? api.call('campaigns.update', { id: d.id, patch: fields })
        : api.call('campaigns.create', fields);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      setDraft(blank(currency));
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = draft.cost.trim() !== '' && Number.isNaN(majorToMinor(draft.cost, draft.currency));
    setCostError(bad);
    if (!bad) save.mutate(draft);
  };
  const set = (key: keyof EventDraft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  return (
    <section className="panel events-editor" aria-label={t('events.title')}>
      <div className="row spread">
        <h2>{t('events.title')}</h2>
        {onClose && (
          <button type="button" onClick={onClose}>
            {t('form.close')}
          </button>
        )}
      </div>
      {campaigns.data?.length === 0 && <p className="muted">{t('events.empty')}</p>}
      <ul className="list compact">
        {campaigns.data?.map((c) => (
          <li key={c.id}>
            <button type="button" className="link" onClick={() => setDraft(toDraft(c, currency))}>
              {c.name}
            </button>
            <span className="muted">
              {' · '}
              {[
                t(`events.kinds.${(c.kind as CampaignKind | null) ?? 'other'}`),
                c.location,
                [c.start_date, c.end_date].filter(Boolean).join(' – '),
                formatMoney(c.cost, c.currency, i18n.language),
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      <form className="grid" noValidate onSubmit={submit} aria-label={t('events.edit')}>
        <TextField
          label={`${t('events.name')} *`}
          name="event-name"
          value={draft.name}
          error={errors.name}
          onValue={(v) => set('name', v)}
        />
        <label className="field">
          <span>{t('events.kind')}</span>
          <select value={draft.kind} onChange={(e) => set('kind', e.target.value)}>
            {campaignKinds.map((k) => (
              <option key={k} value={k}>
                {t(`events.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <TextField
          label={t('events.location')}
          value={draft.location}
          error={errors.location}
          onValue={(v) => set('location', v)}
        />
        <TextField
          label={t('events.start')}
          type="date"
          value={draft.start_date}
          error={errors.start_date}
          onValue={(v) => set('start_date', v)}
        />
        <TextField
          label={t('events.end')}
          type="date"
          value={draft.end_date}
          error={errors.end_date}
          onValue={(v) => set('end_date', v)}
        />
        <TextField
          label={`${t('events.cost')} (${draft.currency})`}
          inputMode="decimal"
          value={draft.cost}
          error={errors.cost ?? (costError ? t('errors.amount') : undefined)}
          onValue={(v) => set('cost', v)}
        />
        <div className="row wide">
          <button type="submit" className="primary" disabled={save.isPending}>
            {draft.id ? t('events.update') : t('events.add')}
          </button>
          {draft.id && (
            <button type="button" onClick={() => setDraft(blank(currency))}>
              {t('events.new')}
            </button>
          )}
          {save.error && !Object.keys(errors).length && (
            <span role="alert" className="error">
              {errorText(save.error)}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
