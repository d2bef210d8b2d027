import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useDevice } from '../../api/queries.js';
import { defaultLeadsView, useUi, type LeadsView } from '../../app/uiStore.js';
import { isoDay } from '../../components/dates.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { viewFromSaved, type Filters } from './savedViewCodec.js';

/** Views that come with the app, built from this device's user and event. */
function builtInViews(me: string | null, event: string | null) {
  const today = isoDay();
  return [
    { key: 'all', patch: {} },
    { key: 'myHot', patch: { owner: me ?? '', grade: 'hot' as const } },
    { key: 'boothToday', patch: { campaign: event ?? '', createdFrom: today, createdTo: today } },
    { key: 'overdue', patch: { owner: me ?? '', overdue: true } },
  ] as const;
}

function filtersOf(view: LeadsView): Filters {
  const { sort: _sort, columns: _columns, ...filters } = view;
  return filters;
}

/** Saved views of the leads list: the built-in ones ("My hot leads", "Booth today") and
 * the team's own, stored (and synced) in saved_views. */
export function SavedViews() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const view = useUi((s) => s.leads);
  const setLeads = useUi((s) => s.setLeads);
  const showToast = useUi((s) => s.showToast);
  const device = useDevice();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const saved = useQuery({
    queryKey: ['savedViews', 'lead'],
    queryFn: () =>
      api.call('savedViews.list', {
        filters: { entity: ['lead'] },
        sort: { field: 'name', dir: 'asc' },
        limit: 200,
      }),
    select: (r) => r.rows,
  });
  const save = useMutation({
    mutationFn: () =>
      api.call('savedViews.create', {
        name,
        entity: 'lead',
        owner_id: device.data?.currentUserId ?? null,
        filters: filtersOf(view),
        sort: view.sort,
        columns: view.columns,
      }),
    onSuccess: (row) => {
      void queryClient.invalidateQueries({ queryKey: ['savedViews'] });
      showToast(t('views.saved', { name: row.name }));
      setNaming(false);
      setName('');
    },
  });
  const builtIns = builtInViews(
    device.data?.currentUserId ?? null,
    device.data?.currentEventId ?? null,
  );
  const apply = (value: string) => {
    const builtIn = builtIns.find((b) => `builtin:${b.key}` === value);
    if (builtIn) {
      setLeads({ ...filtersOf(defaultLeadsView), ...builtIn.patch });
      return;
    }
    const row = saved.data?.find((v) => v.id === value);
    if (!row) return;
    setLeads(viewFromSaved(row.filters, row.sort, row.columns));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const errors = fieldErrors(save.error);
  return (
    <div className="row saved-views">
      <select aria-label={t('views.title')} value="" onChange={(e) => apply(e.target.value)}>
        <option value="">{t('views.title')}</option>
        <optgroup label={t('views.builtIn')}>
          {builtIns.map((b) => (
            <option key={b.key} value={`builtin:${b.key}`}>
              {t(`views.${b.key}`)}
            </option>
          ))}
        </optgroup>
        {saved.data && saved.data.length > 0 && (
          <optgroup label={t('views.mine')}>
            {saved.data.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {naming ? (
        <form className="row" onSubmit={submit}>
          <input
            autoFocus
            aria-label={t('views.name')}
            placeholder={t('views.name')}
            value={name}
            aria-invalid={errors.name ? true : undefined}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
          />
          <button type="submit" disabled={save.isPending}>
            {t('views.save')}
          </button>
          {save.error && (
            <span role="alert" className="error">
              {errors.name ?? errorText(save.error)}
            </span>
          )}
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          {t('views.saveCurrent')}
        </button>
      )}
    </div>
  );
}
