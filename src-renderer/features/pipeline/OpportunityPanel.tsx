// The opportunity beside the board: every field editable in place, the stage (a lost one
// asks why), the probability it counts with (the stage's unless overridden, and it says
// which), account and contact links, activities logged with two keystrokes, the time
// spent in each stage, and the timeline of stage changes, activities and field changes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpportunityRow } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useStages, useTeamSettings } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import {
  formatSpan,
  localName,
  majorToMinor,
  minorToMajorText,
  rescaleMinor,
} from '../../components/format.js';
import { isTyping } from '../../components/keys.js';
import {
  CurrencySelect,
  EventSelect,
  ForecastCategorySelect,
  SourceSelect,
  UserSelect,
} from '../../components/pickers.js';
import { RecordPicker } from '../../components/RecordPicker.js';
import { TimelineList } from '../../components/TimelineList.js';
import {
  ActivityButtons,
  ActivityComposer,
  composerKeys,
  type ComposerKind,
} from '../leads/ActivityComposer.js';
import { EditableField } from '../leads/EditableField.js';
import { NextStepFields } from '../leads/NextStepFields.js';
import { LostReasonDialog } from './LostReasonDialog.js';

type Patch = Partial<Record<keyof OpportunityRow, unknown>>;

export function OpportunityPanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showOpportunity = useUi((s) => s.showOpportunity);
  const showToast = useUi((s) => s.showToast);
  const openLead = useUi((s) => s.openLead);
  const setPage = useUi((s) => s.setPage);
  const stages = useStages();
  const settings = useTeamSettings();
  const detail = useQuery({
    queryKey: ['opportunities', 'detail', id],
    queryFn: () => api.call('opportunities.detail', { id }),
  });
  const timeline = useQuery({
    queryKey: ['opportunities', 'timeline', id],
    queryFn: () => api.call('opportunities.timeline', { id }),
  });
  const [composer, setComposer] = useState<ComposerKind | null>(null);
  const [lostTo, setLostTo] = useState<string | null>(null);
  // Typed text the client cannot turn into a value (an amount, a percentage): said under
  // the field, nothing sent.
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    setComposer(null);
    setLostTo(null);
    setLocalErrors({});
  }, [id]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['opportunities'] });
    void queryClient.invalidateQueries({ queryKey: ['accounts'] });
    void queryClient.invalidateQueries({ queryKey: ['contacts'] });
  };
  const update = useMutation({
    mutationFn: (patch: Patch) => api.call('opportunities.update', { id, patch }),
    onSuccess: refresh,
  });
  const move = useMutation({
    mutationFn: (v: { stageId: string; lostReason?: string }) =>
      api.call('opportunities.move', { id, ...v }),
    onSuccess: () => {
      setLostTo(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.call('opportunities.delete', { id }),
    onSuccess: (row) => {
      refresh();
      showOpportunity(null);
      showToast(t('opportunity.deleted', { name: row.name }), () => {
        void api.call('opportunities.restore', { id }).then(refresh);
      });
    },
  });
  const save = (patch: Patch) => {
    setLocalErrors({});
    update.mutate(patch);
  };
  const errors = { ...fieldErrors(update.error), ...localErrors };

  const o = detail.data?.opportunity;
  const live = o !== undefined && o.deleted_at === null;
  const composerOpen = composer !== null || lostTo !== null;
  useEffect(() => {
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (useUi.getState().helpOpen || composerOpen) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        showOpportunity(null);
        return;
      }
      const kind = composerKeys[e.key.toLowerCase()];
      if (kind && live) {
        e.preventDefault();
        setComposer(kind);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [live, composerOpen, showOpportunity]);

  if (detail.isError)
    return (
      <aside className="detail panel" role="alert">
        {errorText(detail.error)}{' '}
        <button onClick={() => showOpportunity(null)}>{t('form.close')}</button>
      </aside>
    );
  if (!detail.data || !o) return <aside className="detail panel">{t('app.loading')}</aside>;
  const { stage, probability } = detail.data;
  const readOnly = !live;
  // A deal without a currency yet is in the team's (Settings).
  const currency = o.currency ?? settings.data?.currency ?? 'CNY';
  const text = (v: string | null) => v ?? '';
  const stageName = (s: { name_zh: string | null; name_en: string | null } | null | undefined) =>
    s ? localName(s, i18n.language) : '';
  const liveStages = (stages.data ?? []).filter((s) => s.deleted_at === null);

  return (
    <aside
      className="detail panel"
      aria-label={t('opportunity.title', { name: o.name })}
      data-testid="opportunity-panel"
      tabIndex={-1}
      ref={panelRef}
    >
      <header className="detail-head">
        <div>
          <h2>{o.name}</h2>
          <span className="muted">
            {[detail.data.accountName, detail.data.contactName].filter(Boolean).join(' · ')}
          </span>
        </div>
        <div className="row">
          {live && (
            <button type="button" className="danger" onClick={() => remove.mutate()}>
              {t('opportunity.delete')}
            </button>
          )}
          <button type="button" aria-label={t('form.close')} onClick={() => showOpportunity(null)}>
            ✕
          </button>
        </div>
      </header>
      {!live && <p className="notice">{t('opportunity.deletedNotice')}</p>}
      {(update.error || move.error) && !Object.keys(errors).length && (
        <p role="alert" className="error">
          {errorText(update.error ?? move.error)}
        </p>
      )}

      <section className="detail-section" aria-label={t('opportunity.stage')}>
        <div className="grid">
          <label className="field">
            <span>{t('opportunity.stage')}</span>
            <select
              name="stage"
              value={o.stage_id ?? ''}
              disabled={readOnly || move.isPending}
              onChange={(e) => {
                const to = liveStages.find((s) => s.id === e.target.value);
                if (!to) return;
                if (to.kind === 'lost') setLostTo(to.id);
                else move.mutate({ stageId: to.id });
              }}
            >
              {liveStages.map((s) => (
                <option key={s.id} value={s.id}>
                  {stageName(s)} · {s.probability ?? 0}%
                </option>
              ))}
            </select>
            {o.closed_at !== null && stage && stage.kind !== 'open' && (
              <small className="muted">
                {t(`opportunity.closed.${stage.kind === 'won' ? 'won' : 'lost'}`, {
                  date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(
                    o.closed_at,
                  ),
                })}
              </small>
            )}
          </label>
          <EditableField
            name="probability_override"
            label={t('opportunity.probability')}
            value={probability.overridden ? String(probability.value) : ''}
            error={errors.probability_override}
            disabled={readOnly}
            hint={
              <span data-testid="probability-source">
                {probability.overridden
                  ? t('opportunity.probabilityOverridden', {
                      value: probability.value,
                      stage: probability.stageDefault,
                    })
                  : t('opportunity.probabilityFromStage', { value: probability.stageDefault })}
                {probability.overridden && !readOnly && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => save({ probability_override: null })}
                    >
                      {t('opportunity.useStageProbability')}
                    </button>
                  </>
                )}
              </span>
            }
            onSave={(v) => {
              const s = v.trim().replace(/%$/, '');
              if (s === '') return save({ probability_override: null });
              const n = Number(s);
              if (!/^\d{1,3}$/.test(s) || n > 100)
                return setLocalErrors({ probability_override: t('errors.percent') });
              save({ probability_override: n });
            }}
          />
          <label className="field">
            <span>{t('fields.forecast_category')}</span>
            <ForecastCategorySelect
              name="forecast_category"
              emptyLabel={t('opportunity.categoryAuto')}
              value={o.forecast_category ?? ''}
              disabled={readOnly}
              onChange={(value) => save({ forecast_category: value || null })}
            />
          </label>
          {(stage?.kind === 'lost' || o.lost_reason) && (
            <EditableField
              name="lost_reason"
              label={t('board.lostReason')}
              value={text(o.lost_reason)}
              error={errors.lost_reason}
              disabled={readOnly}
              onSave={(v) => save({ lost_reason: v })}
            />
          )}
        </div>
      </section>

      <section className="detail-section" aria-label={t('lead.activities')}>
        <ActivityButtons disabled={readOnly} onPick={setComposer} />
        {composer && (
          <ActivityComposer
            links={{
              opportunity_id: id,
              contact_id: o.contact_id,
              account_id: o.account_id,
            }}
            kind={composer}
            onClose={() => {
              setComposer(null);
              panelRef.current?.focus();
            }}
          />
        )}
      </section>

      <section className="detail-section" aria-label={t('opportunity.deal')}>
        <h3>{t('opportunity.deal')}</h3>
        <div className="grid">
          <EditableField
            name="name"
            label={t('opportunity.name')}
            value={o.name}
            error={errors.name}
            disabled={readOnly}
            onSave={(v) => save({ name: v })}
          />
          <EditableField
            name="amount"
            label={t('opportunity.amount')}
            value={o.amount === null ? '' : minorToMajorText(o.amount, currency)}
            error={errors.amount}
            disabled={readOnly}
            onSave={(v) => {
              if (v.trim() === '') return save({ amount: null });
              const minor = majorToMinor(v, currency);
              if (Number.isNaN(minor)) return setLocalErrors({ amount: t('errors.amount') });
              save({ amount: minor, currency });
            }}
          />
          <label className="field">
            <span>{t('fields.currency')}</span>
            <CurrencySelect
              name="currency"
              value={currency}
              disabled={readOnly}
              onChange={(v) =>
                save({
                  currency: v,
                  ...(o.amount !== null ? { amount: rescaleMinor(o.amount, currency, v) } : {}),
                })
              }
            />
          </label>
          <EditableField
            name="expected_close_date"
            label={t('opportunity.expectedClose')}
            type="date"
            value={text(o.expected_close_date)}
            error={errors.expected_close_date}
            disabled={readOnly}
            onSave={(v) => save({ expected_close_date: v || null })}
          />
          <label className="field">
            <span>{t('fields.owner_id')}</span>
            <UserSelect
              name="owner_id"
              emptyLabel={t('form.none')}
              value={o.owner_id ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ owner_id: v || null })}
            />
          </label>
          <label className="field">
            <span>{t('fields.source')}</span>
            <SourceSelect
              name="source"
              emptyLabel={t('form.none')}
              value={o.source ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ source: v || null })}
            />
          </label>
          <label className="field">
            <span>{t('fields.campaign_id')}</span>
            <EventSelect
              name="campaign_id"
              emptyLabel={t('form.none')}
              value={o.campaign_id ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ campaign_id: v || null })}
            />
          </label>
          <RecordPicker
            entity="accounts"
            label={t('opportunity.account')}
            current={detail.data.accountName}
            disabled={readOnly}
            onPick={(a) => save({ account_id: a?.id ?? null })}
          />
          <RecordPicker
            entity="contacts"
            label={t('opportunity.contact')}
            current={detail.data.contactName}
            accountId={o.account_id}
            disabled={readOnly}
            onPick={(c) => save({ contact_id: c?.id ?? null })}
          />
          <NextStepFields
            nextStep={o.next_step}
            nextStepDate={o.next_step_date}
            errors={errors}
            disabled={readOnly}
            onSave={save}
          />
          <EditableField
            name="description"
            label={t('opportunity.description')}
            multiline
            value={text(o.description)}
            error={errors.description}
            disabled={readOnly}
            onSave={(v) => save({ description: v })}
          />
        </div>
        {o.lead_id && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setPage('leads');
              openLead(o.lead_id);
            }}
          >
            {t('opportunity.openLead')}
          </button>
        )}
      </section>

      <section className="detail-section" aria-labelledby="time-in-stage">
        <h3 id="time-in-stage">{t('opportunity.timeInStage')}</h3>
        <table className="compact" data-testid="time-in-stage">
          <tbody>
            {detail.data.timeInStage.map((s) => (
              <tr key={s.stageId} className={s.current ? 'current' : undefined}>
                <th scope="row">
                  {stageName(stages.data?.find((x) => x.id === s.stageId)) || t('timeline.unknown')}
                  {s.current && <span className="muted"> · {t('opportunity.now')}</span>}
                </th>
                <td>{formatSpan(s.ms, i18n.language)}</td>
                <td className="muted">
                  {s.entries > 1 ? t('opportunity.entries', { count: s.entries }) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="detail-section" aria-label={t('lead.timeline')}>
        <h3>{t('lead.timeline')}</h3>
        <TimelineList items={timeline.data} record="opportunity" currency={o.currency} />
      </section>

      {lostTo && (
        <LostReasonDialog
          name={o.name}
          onCancel={() => setLostTo(null)}
          onConfirm={(reason) => move.mutate({ stageId: lostTo, lostReason: reason })}
        />
      )}
    </aside>
  );
}
