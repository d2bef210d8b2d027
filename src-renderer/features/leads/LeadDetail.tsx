import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  parseList,
  parseTags,
  type LeadRow,
  type LeadStatus,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';
import { isTyping } from '../../components/keys.js';
import {
  BantSelect,
  bantDimensions,
  EventSelect,
  SourceSelect,
  StatusSelect,
  UserSelect,
  type BantDimension,
} from '../../components/pickers.js';
import { DuplicateWarning } from './DuplicateWarning.js';
import { EditableField } from './EditableField.js';
import { NextStepFields } from './NextStepFields.js';
import {
  ActivityButtons,
  ActivityComposer,
  composerKeys,
  type ComposerKind,
} from './ActivityComposer.js';
import { ConvertDialog } from './ConvertDialog.js';
import { CardPhotoView } from './CardPhotoView.js';
import { CustomValues } from './CustomValues.js';
import { ScoreExplain } from './ScoreExplain.js';
import { useConvertLead } from './useConvertLead.js';
import { Timeline } from './Timeline.js';

const contactFields = [
  ['name', 'form.name'],
  ['company', 'form.company'],
  ['title', 'form.jobTitle'],
  ['email', 'form.email'],
  ['phone', 'form.phone'],
  ['mobile', 'form.mobile'],
  ['wechat', 'form.wechat'],
  ['family_name', 'form.familyName'],
  ['given_name', 'form.givenName'],
  ['website', 'form.website'],
  ['industry', 'form.industry'],
  ['city', 'form.city'],
  ['region', 'form.region'],
  ['country', 'form.country'],
  ['address', 'form.address'],
] as const;
const bantKeys = Object.keys(bantDimensions) as BantDimension[];

type Patch = Record<string, unknown>;

/** The lead side panel: every field editable in place, BANT, status (with a reason when
 * unqualified), owner, event, tags, next step, activities logged with two keystrokes, and
 * the timeline of everything that happened to the lead. */
export function LeadDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const openLead = useUi((s) => s.openLead);
  const showToast = useUi((s) => s.showToast);
  const showOpportunity = useUi((s) => s.showOpportunity);
  const lead = useQuery({
    queryKey: ['leads', 'detail', id],
    queryFn: () => api.call('leads.get', { id }),
  });
  const [composer, setComposer] = useState<ComposerKind | null>(null);
  const [pendingStatus, setPendingStatus] = useState<LeadStatus | null>(null);
  const [reason, setReason] = useState('');
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    setComposer(null);
    setPendingStatus(null);
  }, [id]);

  const update = useMutation({
    mutationFn: (patch: Patch) => api.call('leads.update', { id, patch }),
    onSuccess: (row, patch) => {
      queryClient.setQueryData(['leads', 'detail', id], row);
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      // Only the save that carried the status ends the "reason first" step: another
      // field's save finishing meanwhile must not close it.
      if ('status' in patch) {
        setPendingStatus(null);
        setReason('');
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => api.call('leads.delete', { id }),
    onSuccess: (row) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      openLead(null);
      showToast(t('lead.deleted', { name: row.name }), () => {
        void api.call('leads.restore', { id }).then(() => {
          void queryClient.invalidateQueries({ queryKey: ['leads'] });
        });
      });
    },
  });
  const errors = fieldErrors(update.error);
  const save = (patch: Patch) => update.mutate(patch);

  // The panel's letters work wherever the focus is (the list row just clicked, the
  // panel itself) unless the user is typing; the app-wide shortcuts run first and mark
  // what they handled.
  const live = lead.data !== undefined && lead.data.deleted_at === null;
  const convertible = live && lead.data?.status !== 'converted';
  const conversion = useConvertLead();
  const composerOpen = composer !== null;
  useEffect(() => {
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (useUi.getState().helpOpen || composerOpen) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        openLead(null);
        return;
      }
      // V converts the lead into an opportunity (conVert; C is taken by "call").
      if (e.key.toLowerCase() === 'v' && live && convertible) {
        e.preventDefault();
        conversion.convert(id);
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
  }, [live, composerOpen, openLead, convertible, conversion, id]);

  if (lead.isPending) return <aside className="detail panel">{t('app.loading')}</aside>;
  if (lead.isError)
    return (
      <aside className="detail panel" role="alert">
        {errorText(lead.error)}
        <button onClick={() => openLead(null)}>{t('form.close')}</button>
      </aside>
    );
  const row: LeadRow = lead.data;
  const readOnly = row.status === 'converted' || row.deleted_at !== null;
  const tags = parseTags(row.tags);
  const text = (v: string | null) => v ?? '';
  const status = pendingStatus ?? (row.status as LeadStatus);
  return (
    <aside
      className="detail panel"
      aria-label={t('lead.title', { name: row.name })}
      tabIndex={-1}
      ref={panelRef}
    >
      <header className="detail-head">
        <div>
          <h2>{row.name}</h2>
          <span className="muted">{[row.title, row.company].filter(Boolean).join(' · ')}</span>
        </div>
        <div className="row">
          {!readOnly && (
            <>
              <button
                type="button"
                className="primary"
                aria-keyshortcuts="V"
                disabled={conversion.pending}
                onClick={() => conversion.convert(row.id)}
              >
                {t('convert.button')} <kbd>V</kbd>
              </button>
              <button type="button" className="link" onClick={() => conversion.withOptions(row.id)}>
                {t('convert.withOptions')}
              </button>
              <button type="button" className="danger" onClick={() => remove.mutate()}>
                {t('lead.delete')}
              </button>
            </>
          )}
          <button type="button" aria-label={t('form.close')} onClick={() => openLead(null)}>
            ✕
          </button>
        </div>
      </header>
      {row.status === 'converted' && (
        <p className="notice">
          {t('lead.convertedNotice')}{' '}
          {row.converted_opportunity_id && (
            <button
              type="button"
              className="link"
              onClick={() => showOpportunity(row.converted_opportunity_id)}
            >
              {t('convert.openOpportunity')}
            </button>
          )}
        </p>
      )}
      {conversion.dialogFor && (
        <ConvertDialog
          leadId={conversion.dialogFor}
          onClose={conversion.closeDialog}
          onConverted={conversion.converted}
        />
      )}
      {row.deleted_at !== null && <p className="notice">{t('lead.deletedNotice')}</p>}
      {update.error && !Object.keys(errors).length && (
        <p role="alert" className="error">
          {errorText(update.error)}
        </p>
      )}

      <ScoreExplain lead={row} />

      <section aria-label={t('lead.activities')} className="detail-section">
        <ActivityButtons disabled={readOnly} onPick={setComposer} />
        {composer && (
          <ActivityComposer
            links={{ lead_id: id }}
            kind={composer}
            onClose={() => {
              setComposer(null);
              panelRef.current?.focus();
            }}
          />
        )}
      </section>

      <section className="detail-section" aria-label={t('lead.qualification')}>
        <h3>{t('lead.qualification')}</h3>
        <div className="grid">
          <label className="field">
            <span>{t('form.status')}</span>
            <StatusSelect
              name="status"
              emptyLabel={t('form.none')}
              withConverted={row.status === 'converted'}
              value={status}
              disabled={readOnly}
              onChange={(v) => {
                const next = v as LeadStatus;
                if (next === 'unqualified' && !row.disqualify_reason) setPendingStatus(next);
                else save({ status: next });
              }}
            />
          </label>
          {pendingStatus ? (
            // Unqualified needs a reason: the status is saved with it, on Enter.
            <label className="field">
              <span>{t('lead.disqualifyReason')}</span>
              <input
                name="disqualify_reason"
                value={reason}
                autoFocus
                aria-invalid={errors.disqualify_reason ? true : undefined}
                onChange={(e) => setReason(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    save({ status: pendingStatus, disqualify_reason: reason });
                  } else if (e.key === 'Escape') {
                    e.stopPropagation();
                    setPendingStatus(null);
                  }
                }}
              />
              <small className="muted">{t('lead.reasonHint')}</small>
              {errors.disqualify_reason && (
                <small className="error">{errors.disqualify_reason}</small>
              )}
            </label>
          ) : (
            (row.status === 'unqualified' || row.disqualify_reason) && (
              <EditableField
                name="disqualify_reason"
                label={t('lead.disqualifyReason')}
                value={text(row.disqualify_reason)}
                error={errors.disqualify_reason}
                disabled={readOnly}
                onSave={(v) => save({ disqualify_reason: v })}
              />
            )
          )}
          {bantKeys.map((key) => (
            <label key={key} className="field">
              <span>{t(`bant.${key}.label`)}</span>
              <BantSelect
                name={key}
                dimension={key}
                emptyLabel={t('form.none')}
                value={row[key] ?? ''}
                disabled={readOnly}
                onChange={(v) => save({ [key]: v || null })}
              />
              <small className="muted">{t(`bant.${key}.hint`)}</small>
            </label>
          ))}
          <label className="field">
            <span>{t('leads.columns.owner_id')}</span>
            <UserSelect
              name="owner_id"
              emptyLabel={t('form.none')}
              value={row.owner_id ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ owner_id: v || null })}
            />
            <AssignedBy ruleId={row.assigned_rule_id} />
          </label>
          <label className="field">
            <span>{t('leads.columns.campaign_id')}</span>
            <EventSelect
              name="campaign_id"
              emptyLabel={t('form.none')}
              value={row.campaign_id ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ campaign_id: v || null })}
            />
          </label>
          <label className="field">
            <span>{t('form.source')}</span>
            <SourceSelect
              name="source"
              emptyLabel={t('form.none')}
              value={row.source ?? ''}
              disabled={readOnly}
              onChange={(v) => save({ source: v || null })}
            />
          </label>
          <TagsEditor
            tags={tags}
            disabled={readOnly}
            error={errors.tags}
            onChange={(next) => save({ tags: next })}
          />
        </div>
      </section>

      <section className="detail-section" aria-label={t('lead.nextStep')}>
        <h3>{t('lead.nextStep')}</h3>
        <div className="grid">
          <NextStepFields
            nextStep={row.next_step}
            nextStepDate={row.next_step_date}
            errors={errors}
            disabled={readOnly}
            onSave={save}
          />
        </div>
      </section>

      <section className="detail-section" aria-label={t('lead.contact')}>
        <h3>{t('lead.contact')}</h3>
        <div className="grid">
          {contactFields.map(([key, label]) => (
            <EditableField
              key={key}
              name={key}
              label={t(label)}
              type={key === 'phone' || key === 'mobile' ? 'tel' : 'text'}
              value={text(row[key])}
              error={errors[key]}
              disabled={readOnly}
              onSave={(v) => save({ [key]: v })}
            />
          ))}
          {(['other_phones', 'other_emails'] as const).map((key) => (
            <EditableField
              key={key}
              name={key}
              label={t(`fields.${key}`)}
              multiline
              hint={t('lead.onePerLine')}
              value={parseList(row[key]).join('\n')}
              error={errors[key]}
              disabled={readOnly}
              onSave={(v) =>
                save({
                  [key]: v
                    .split(/[\n,;，；、]/)
                    .map((x) => x.trim())
                    .filter(Boolean),
                })
              }
            />
          ))}
          {row.source_record_id && (
            <p className="muted small" data-testid="source-record">
              {t('lead.sourceRecord', {
                system: row.source_system ?? '',
                id: row.source_record_id,
              })}
            </p>
          )}
          <EditableField
            name="notes"
            label={t('form.notes')}
            multiline
            value={text(row.notes)}
            error={errors.notes}
            disabled={readOnly}
            onSave={(v) => save({ notes: v })}
          />
        </div>
        <DuplicateWarning
          probe={{
            name: row.name,
            company: text(row.company),
            email: text(row.email),
            phone: text(row.phone),
            mobile: text(row.mobile),
            excludeId: row.id,
          }}
          onOpen={(other) => openLead(other)}
        />
      </section>

      <CustomValues leadId={id} disabled={readOnly} />

      <CardPhotoView leadId={id} name={row.name} />

      <section className="detail-section" aria-label={t('lead.timeline')}>
        <h3>{t('lead.timeline')}</h3>
        <Timeline leadId={id} />
        <p className="muted small">
          {t('lead.createdAt', {
            when: formatDateTime(row.created_at, i18n.language),
          })}
        </p>
      </section>
    </aside>
  );
}

function TagsEditor({
  tags,
  disabled,
  error,
  onChange,
}: {
  tags: string[];
  disabled: boolean;
  error: string | undefined;
  onChange(tags: string[]): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const add = () => {
    const fresh = text
      .split(/[,，;；]/)
      .map((s) => s.trim())
      .filter((s) => s && !tags.includes(s));
    setText('');
    if (fresh.length) onChange([...tags, ...fresh]);
  };
  return (
    <div className="field wide">
      <span id="tags-label">{t('form.tags')}</span>
      <div className="tags" role="group" aria-labelledby="tags-label">
        {tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
            {!disabled && (
              <button
                type="button"
                className="link"
                aria-label={t('lead.removeTag', { tag })}
                onClick={() => onChange(tags.filter((x) => x !== tag))}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {!disabled && (
          <input
            name="tag-input"
            aria-label={t('lead.addTag')}
            placeholder={t('lead.addTag')}
            value={text}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setText(e.target.value)}
            onBlur={add}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',') {
                e.preventDefault();
                add();
              }
            }}
          />
        )}
      </div>
      {error && <small className="error">{error}</small>}
    </div>
  );
}

/** "Assigned by rule 展会线索轮流": which assignment rule gave the lead its owner. */
function AssignedBy({ ruleId }: { ruleId: string | null }) {
  const { t } = useTranslation();
  const config = useQuery({
    queryKey: ['assignment', 'config'],
    queryFn: () => api.call('assignment.getConfig', {}),
    enabled: ruleId !== null,
  });
  if (!ruleId) return null;
  const rule = config.data?.rules.find((r) => r.id === ruleId);
  return (
    <small className="muted" data-testid="assigned-by">
      {rule ? t('lead.assignedBy', { rule: rule.name }) : t('lead.assignedByRemoved')}
    </small>
  );
}
