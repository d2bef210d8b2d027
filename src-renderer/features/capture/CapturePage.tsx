import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type FormEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AuthorityLevel,
  BudgetLevel,
  ContactDraft,
  LeadSource,
  NeedLevel,
  TimelineLevel,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { readAsBase64 } from '../../components/fileBytes.js';
import { useCampaigns, useDevice, useNames } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { formatPercent, formatShortDate } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { TextField } from '../../components/TextField.js';
import {
  BantSelect,
  bantDimensions,
  EventSelect,
  SourceSelect,
  type BantDimension,
} from '../../components/pickers.js';
import { DuplicateWarning } from '../leads/DuplicateWarning.js';
import { BadgeScanner } from './BadgeScanner.js';
import { CardScanner, photosOf } from './CardScanner.js';
import { useCardQueue } from './useCardQueue.js';
import { EventsEditor } from './EventsEditor.js';

const mainFields = [
  ['name', 'form.name', 'text'],
  ['company', 'form.company', 'text'],
  ['title', 'form.jobTitle', 'text'],
  ['phone', 'form.phone', 'tel'],
  ['email', 'form.email', 'email'],
  ['wechat', 'form.wechat', 'text'],
  ['notes', 'form.notes', 'text'],
] as const;
const moreFields = [
  ['family_name', 'form.familyName', 'text'],
  ['given_name', 'form.givenName', 'text'],
  ['mobile', 'form.mobile', 'tel'],
  ['website', 'form.website', 'url'],
  ['industry', 'form.industry', 'text'],
  ['city', 'form.city', 'text'],
  ['address', 'form.address', 'text'],
  ['tags', 'form.tags', 'text'],
] as const;
const bantKeys = Object.keys(bantDimensions) as BantDimension[];

type TextKey = (typeof mainFields)[number][0] | (typeof moreFields)[number][0];
type Draft = Record<TextKey, string> & {
  budget: BudgetLevel | '';
  authority: AuthorityLevel | '';
  need: NeedLevel | '';
  timeline: TimelineLevel | '';
  source: LeadSource | '';
};

const emptyDraft = (): Draft => ({
  name: '',
  company: '',
  title: '',
  phone: '',
  email: '',
  wechat: '',
  notes: '',
  family_name: '',
  given_name: '',
  mobile: '',
  website: '',
  industry: '',
  city: '',
  address: '',
  tags: '',
  budget: '',
  authority: '',
  need: '',
  timeline: '',
  source: '',
});

/** Below this confidence a field read from a card is marked for the rep to check. */
const UNSURE = 0.9;

/** Booth capture (F1): keyboard only from first field to saved — Enter saves and starts
 * the next lead, Esc clears. The current event is sticky: every lead captured here gets
 * it (source "event", campaign) until the rep picks another. Business cards come in
 * through CardScanner and useCardQueue, one per lead. */
export function CapturePage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const openLead = useUi((s) => s.openLead);
  const device = useDevice();
  const names = useNames();
  const campaigns = useCampaigns();
  const eventId = device.data?.currentEventId ?? '';
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [editingEvents, setEditingEvents] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  const setEvent = useMutation({
    mutationFn: (id: string) => api.call('device.update', { currentEventId: id || null }),
    onSuccess: (d) => queryClient.setQueryData(['device'], d),
  });
  const recent = useQuery({
    queryKey: ['leads', 'recent', eventId],
    queryFn: () =>
      api.call('leads.list', {
        filters: eventId ? { campaign_id: [eventId] } : {},
        sort: { field: 'created_at', dir: 'desc' },
        limit: 5,
      }),
  });
  const create = useMutation({
    mutationFn: (d: Draft) =>
      api.call('leads.create', {
        name: d.name,
        company: d.company,
        title: d.title,
        phone: d.phone,
        email: d.email,
        wechat: d.wechat,
        notes: d.notes,
        family_name: d.family_name,
        given_name: d.given_name,
        mobile: d.mobile,
        website: d.website,
        industry: d.industry,
        city: d.city,
        address: d.address,
        tags: d.tags
          .split(/[,，;；]/)
          .map((s) => s.trim())
          .filter(Boolean),
        budget: d.budget || null,
        authority: d.authority || null,
        need: d.need || null,
        timeline: d.timeline || null,
        source: d.source || (eventId ? 'event' : null),
        campaign_id: eventId || null,
        // No owner: the team's assignment rules choose one (or this laptop's user keeps it).
      }),
    onSuccess: (lead) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      // The card's photo goes with the lead it became (a failure keeps the lead).
      const photo = cards.photo;
      if (photo)
        void readAsBase64(photo)
          .then((image) => api.call('leads.setCardPhoto', { id: lead.id, image }))
          .catch((err: unknown) => showToast(t('card.photoFailed', { reason: errorText(err) })));
      showToast(
        lead.assigned_rule_id && lead.owner_id
          ? t('capture.savedAssigned', {
              name: lead.name,
              owner: names.users.get(lead.owner_id) ?? '',
            })
          : t('capture.saved', { name: lead.name }),
      );
      clear();
    },
  });
  const errors = fieldErrors(create.error);
  const clear = () => {
    setDraft(emptyDraft());
    create.reset();
    nameRef.current?.focus();
    // The form is free: the next card photo waiting (if any) comes in.
    cards.next();
  };
  // Values come from this form's own inputs and selects, whose options are the enums.
  const set = (key: keyof Draft, value: string) =>
    setDraft((d) => ({ ...d, [key]: value }) as Draft);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!create.isPending) create.mutate(draft);
  };
  // A pasted block (vCard, WeChat card, signature), a scanned badge or a card's photo
  // fills the empty fields it can; what a badge holds besides a contact goes to the notes.
  const fillDraft = (found: ContactDraft) => {
    const keys = Object.keys(found) as (keyof ContactDraft)[];
    setDraft((d) => {
      const next = { ...d };
      for (const k of keys) {
        if (!(k in next)) continue;
        const key = k as TextKey;
        if (key === 'notes' && next.notes) next.notes = `${next.notes}\n${found.notes!}`;
        else if (!next[key]) next[key] = found[k]!;
      }
      return next;
    });
    return keys;
  };
  const fillFrom = (text: string, from: 'paste' | 'badge') =>
    void api.call('leads.parseText', { text, from }).then((found: ContactDraft) => {
      const keys = fillDraft(found);
      const message =
        from === 'badge'
          ? keys.length === 1 && keys[0] === 'notes'
            ? t('scan.asNote')
            : t('scan.filled', { count: keys.length })
          : keys.length
            ? t('capture.pasted', { count: keys.length })
            : t('capture.pastedNone');
      showToast(message);
      nameRef.current?.focus();
    });
  const [cardsOpen, setCardsOpen] = useState(false);
  const cards = useCardQueue(
    (reading) => {
      const keys = fillDraft(reading.draft);
      showToast(keys.length ? t('card.filled', { count: keys.length }) : t('card.none'));
      nameRef.current?.focus();
    },
    (err) => showToast(t('card.failed', { reason: errorText(err) })),
  );
  const onPaste = (e: ClipboardEvent) => {
    // A photo pasted (a card from the clipboard) is read like a chosen one.
    const photos = photosOf(e.clipboardData.files);
    if (photos.length) {
      e.preventDefault();
      cards.add(photos);
      return;
    }
    const text = e.clipboardData.getData('text');
    if (!text.includes('\n') && !/^(BEGIN:VCARD|MECARD:)/i.test(text.trim())) return;
    e.preventDefault();
    fillFrom(text, 'paste');
  };
  const [scanning, setScanning] = useState(false);
  // The scanner keeps one callback for its whole life; it calls the latest fillFrom (the
  // UI language may have changed meanwhile).
  const fillLatest = useRef(fillFrom);
  fillLatest.current = fillFrom;
  const onScan = useCallback((text: string) => {
    setScanning(false);
    fillLatest.current(text, 'badge');
  }, []);
  const input = ([key, label, type]: readonly [TextKey, string, string]) => {
    // A field read from a card photo says how sure the reading is; under UNSURE it asks
    // to be checked.
    const sure = (cards.confidence as Partial<Record<string, number>>)[key];
    const fromCard = sure !== undefined && draft[key] !== '';
    const unsure = fromCard && sure < UNSURE;
    return (
      <TextField
        key={key}
        ref={key === 'name' ? nameRef : undefined}
        label={key === 'name' ? `${t(label)} *` : t(label)}
        name={key}
        type={type === 'email' || type === 'url' ? 'text' : type}
        inputMode={type === 'email' ? 'email' : type === 'url' ? 'url' : undefined}
        autoComplete="off"
        value={draft[key]}
        error={errors[key]}
        className={unsure ? 'unsure' : undefined}
        data-confidence={sure}
        hint={
          fromCard
            ? t(unsure ? 'card.unsure' : 'card.sure', {
                share: formatPercent(sure, i18n.language),
              })
            : undefined
        }
        placeholder={key === 'tags' ? t('form.tagsHint') : undefined}
        onValue={(v) => set(key, v)}
      />
    );
  };
  const event = campaigns.data?.find((c) => c.id === eventId);
  return (
    <Page title={t('capture.title')} className="capture-page">
      <div className="event-bar panel">
        <label className="field inline">
          <span>{t('capture.currentEvent')}</span>
          <EventSelect
            name="current-event"
            emptyLabel={t('capture.noEvent')}
            value={eventId}
            onChange={(v) => setEvent.mutate(v)}
          />
        </label>
        {event && (
          <span className="muted">
            {[
              event.location,
              formatShortDate(
                event.start_date ? Date.parse(event.start_date) : null,
                i18n.language,
              ),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
        <button type="button" onClick={() => setEditingEvents((v) => !v)}>
          {t('capture.manageEvents')}
        </button>
        <button type="button" onClick={() => setScanning((v) => !v)} aria-pressed={scanning}>
          {t('scan.open')}
        </button>
        <button type="button" onClick={() => setCardsOpen((v) => !v)} aria-pressed={cardsOpen}>
          {t('card.open')}
        </button>
      </div>
      {cardsOpen && (
        <CardScanner
          onPhotos={cards.add}
          onBack={cards.inForm && !cards.reading ? cards.addBack : null}
          onClose={() => {
            setCardsOpen(false);
            nameRef.current?.focus();
          }}
        />
      )}
      {cards.total > 0 && (
        <div className="card-progress panel" role="status" data-testid="card-progress">
          <span>
            {cards.reading
              ? t('card.reading', { n: cards.done + 1, total: cards.total })
              : t('card.progress', { n: cards.done, total: cards.total })}
          </span>
          <progress max={cards.total} value={cards.done} />
          {cards.done < cards.total && (
            <button type="button" onClick={cards.stop}>
              {t('card.stop')}
            </button>
          )}
        </div>
      )}
      {editingEvents && <EventsEditor onClose={() => setEditingEvents(false)} />}
      {scanning && (
        <BadgeScanner
          onScan={onScan}
          onClose={() => {
            setScanning(false);
            nameRef.current?.focus();
          }}
        />
      )}
      <form
        className="panel capture-form"
        aria-label={t('capture.title')}
        noValidate
        onSubmit={submit}
        onPaste={onPaste}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            clear();
          }
        }}
      >
        <p className="muted hint">{t('capture.hint')}</p>
        <div className="grid">{mainFields.map(input)}</div>
        <details className="more">
          <summary>{t('capture.more')}</summary>
          <div className="grid">
            {moreFields.map(input)}
            <label className="field">
              <span>{t('form.source')}</span>
              <SourceSelect
                name="source"
                emptyLabel={t('form.none')}
                value={draft.source || (eventId ? 'event' : '')}
                onChange={(v) => set('source', v)}
              />
            </label>
            {bantKeys.map((key) => (
              <label key={key} className="field">
                <span>{t(`bant.${key}.label`)}</span>
                <BantSelect
                  name={key}
                  dimension={key}
                  emptyLabel={t('form.none')}
                  value={draft[key]}
                  onChange={(v) => set(key, v)}
                />
              </label>
            ))}
          </div>
        </details>
        <DuplicateWarning probe={draft} onOpen={(id) => openLead(id)} />
        {create.error && (
          <p role="alert" className="error">
            {errorText(create.error)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('capture.save')}
          </button>
          <button type="button" onClick={clear}>
            {t('capture.clear')}
          </button>
        </div>
      </form>
      <section className="panel" aria-label={t('capture.recent')}>
        <h2>
          {event
            ? t('capture.recentAtEvent', { count: recent.data?.total ?? 0, event: event.name })
            : t('capture.recent')}
        </h2>
        {recent.data?.rows.length === 0 && <p className="muted">{t('capture.none')}</p>}
        <ul className="list compact" data-testid="recent-captures">
          {recent.data?.rows.map((l) => (
            <li key={l.id}>
              <button type="button" className="link" onClick={() => openLead(l.id)}>
                {l.name}
              </button>
              {l.company ? <span className="muted"> · {l.company}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
