import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  parseList,
  type DuplicateGroupView,
  type LeadRow,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { Page } from '../../components/Page.js';

/** The fields compared side by side; the user picks one value per field. */
const fields = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'mobile',
  'wechat',
  'industry',
  'city',
  'address',
  'notes',
] as const;
type Field = (typeof fields)[number];

const valueOf = (lead: LeadRow, f: Field): string => lead[f] ?? '';

/** Duplicates found after the fact (after a sync, a careless import): groups ranked by
 * confidence, the leads side by side, one value chosen per field, one survivor. */
export function MergePage() {
  const { t } = useTranslation();
  const groups = useQuery({
    queryKey: ['leads', 'duplicate-groups'],
    queryFn: () => api.call('leads.duplicateGroups', { limit: 100 }),
  });
  const [open, setOpen] = useState(0);
  return (
    <Page title={t('merge.title')} className="merge-page">
      <p className="muted">{t('merge.hint')}</p>
      {groups.isPending && <p className="muted">{t('merge.searching')}</p>}
      {groups.error && (
        <p role="alert" className="error">
          {errorText(groups.error)}
        </p>
      )}
      {groups.data?.length === 0 && <p className="muted">{t('merge.none')}</p>}
      <ul className="list">
        {groups.data?.map((g, i) => (
          <li key={g.leads.map((l) => l.id).join()}>
            {i === open ? (
              <GroupEditor group={g} />
            ) : (
              <button type="button" className="link" onClick={() => setOpen(i)}>
                {g.leads.map((l) => l.name).join(' · ')}
              </button>
            )}{' '}
            {i !== open && <GroupFacts group={g} />}
          </li>
        ))}
      </ul>
    </Page>
  );
}

function GroupFacts({ group }: { group: DuplicateGroupView }) {
  const { t } = useTranslation();
  return (
    <span className="muted">
      {group.reasons.map((r) => t(`form.duplicateReason.${r}`)).join(t('form.listSep'))} ·{' '}
      {t('merge.confidence', { value: group.confidence })}
      {group.differs.length > 0 && (
        <>
          {' · '}
          <strong className="warning-text">
            {t('merge.differs', {
              fields: group.differs.map((f) => t(`fields.${f}`)).join(t('form.listSep')),
            })}
          </strong>
        </>
      )}
    </span>
  );
}

/** Lists every lead keeps whole through a merge (the survivor gains the others'). */
const listFields = ['other_phones', 'other_emails'] as const;

function GroupEditor({ group }: { group: DuplicateGroupView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const leads = group.leads;
  // The oldest lead survives by default; each field takes the survivor's value, or the
  // first non-empty one.
  const [survivor, setSurvivor] = useState(leads[0]!.id);
  const defaultSource = (f: Field, keep: string) => {
    const kept = leads.find((l) => l.id === keep)!;
    return valueOf(kept, f) ? keep : (leads.find((l) => valueOf(l, f))?.id ?? keep);
  };
  const [picked, setPicked] = useState<Partial<Record<Field, string>>>({});
  const sourceOf = (f: Field) => picked[f] ?? defaultSource(f, survivor);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['leads'] });
  const merge = useMutation({
    mutationFn: () => {
      const values: Record<string, string> = {};
      for (const f of fields) {
        const from = leads.find((l) => l.id === sourceOf(f))!;
        values[f] = valueOf(from, f);
      }
      return api.call('leads.merge', {
        survivorId: survivor,
        otherIds: leads.filter((l) => l.id !== survivor).map((l) => l.id),
        values,
      });
    },
    onSuccess: (r) => {
      void refresh();
      showToast(t('merge.merged', { name: r.survivor.name, count: leads.length }), () => {
        void api.call('leads.unmerge', { id: r.mergeId }).then(refresh);
      });
    },
  });
  // "Different people": this group is not offered again, on any laptop of the team.
  const dismiss = useMutation({
    mutationFn: () => api.call('leads.dismissDuplicates', { ids: leads.map((l) => l.id) }),
    onSuccess: () => {
      void refresh();
      showToast(t('merge.dismissed', { count: leads.length }));
    },
  });
  return (
    <section className="merge-group" aria-label={t('merge.group')}>
      <GroupFacts group={group} />
      <table className="merge-table">
        <thead>
          <tr>
            <th />
            {leads.map((l) => (
              <th key={l.id}>
                <label className="inline-field">
                  <input
                    type="radio"
                    name="survivor"
                    checked={survivor === l.id}
                    onChange={() => {
                      setSurvivor(l.id);
                      setPicked({});
                    }}
                  />
                  <span>{t('merge.keep')}</span>
                </label>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const distinct = new Set(leads.map((l) => valueOf(l, f)).filter(Boolean));
            return (
              <tr key={f} className={distinct.size > 1 ? 'differs' : undefined}>
                <th scope="row">{t(`fields.${f}`)}</th>
                {leads.map((l) => {
                  const v = valueOf(l, f);
                  return (
                    <td key={l.id}>
                      {distinct.size > 1 && v ? (
                        <label className="inline-field">
                          <input
                            type="radio"
                            name={`${f}-${leads[0]!.id}`}
                            aria-label={t('merge.useValue', { field: t(`fields.${f}`), value: v })}
                            checked={sourceOf(f) === l.id}
                            onChange={() => setPicked((p) => ({ ...p, [f]: l.id }))}
                          />
                          <span>{v}</span>
                        </label>
                      ) : (
                        <span className={v ? undefined : 'muted'}>{v || '—'}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {listFields.map((f) =>
            leads.some((l) => l[f]) ? (
              <tr key={f}>
                <th scope="row">{t(`fields.${f}`)}</th>
                {leads.map((l) => (
                  <td key={l.id}>{parseList(l[f]).join(t('form.listSep')) || '—'}</td>
                ))}
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
      {leads.some((l) => l.phone || l.mobile || l.email) && (
        <p className="muted">{t('merge.keepsContacts')}</p>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={merge.isPending}
          onClick={() => merge.mutate()}
        >
          {t('merge.merge', { count: leads.length })}
        </button>
        <button type="button" disabled={dismiss.isPending} onClick={() => dismiss.mutate()}>
          {t('merge.dismiss')}
        </button>
        {(merge.error ?? dismiss.error) && (
          <span role="alert" className="error">
            {errorText(merge.error ?? dismiss.error)}
          </span>
        )}
      </div>
    </section>
  );
}
