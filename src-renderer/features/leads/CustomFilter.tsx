// A filter on one custom field: pick the field, then its value (a choice or yes/no) or a
// range (a number or a date, either end optional). One at a time, like the other list
// filters; saved with the view.
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../../api/queries.js';
import type { CustomRange, LeadsView } from '../../app/uiStore.js';

type Patch = Pick<LeadsView, 'custom' | 'customRange'>;

export function CustomFilter({
  view,
  onChange,
}: {
  view: LeadsView;
  onChange(patch: Patch): void;
}) {
  const { t } = useTranslation();
  const fields = (useCustomFields().data ?? []).filter((f) => f.type !== 'text');
  if (!fields.length) return null;
  const [valueKey, value = ''] = Object.entries(view.custom)[0] ?? [];
  const [rangeKey, range = {}] = Object.entries(view.customRange)[0] ?? [];
  const key = valueKey ?? rangeKey ?? '';
  const field = fields.find((f) => f.key === key);
  const pick = (next: string) => {
    const f = fields.find((x) => x.key === next);
    if (!f) return onChange({ custom: {}, customRange: {} });
    if (f.type === 'number' || f.type === 'date')
      return onChange({ custom: {}, customRange: { [f.key]: {} } });
    const first = f.type === 'boolean' ? '1' : f.options[0];
    onChange({ custom: first === undefined ? {} : { [f.key]: first }, customRange: {} });
  };
  const setRange = (end: keyof CustomRange, text: string) => {
    if (!field) return;
    const other = end === 'min' ? 'max' : 'min';
    const next: CustomRange = range[other] === undefined ? {} : { [other]: range[other] };
    if (text !== '') next[end] = field.type === 'number' ? Number(text) : text;
    onChange({ custom: {}, customRange: { [field.key]: next } });
  };
  return (
    <>
      <select
        aria-label={t('leads.customFilterField')}
        value={key}
        onChange={(e) => pick(e.target.value)}
      >
        <option value="">{t('leads.allCustom')}</option>
        {fields.map((f) => (
          <option key={f.id} value={f.key}>
            {f.label}
          </option>
        ))}
      </select>
      {field && (field.type === 'choice' || field.type === 'boolean') && (
        <select
          aria-label={t('leads.customFilterValue', { field: field.label })}
          value={value}
          onChange={(e) => onChange({ custom: { [field.key]: e.target.value }, customRange: {} })}
        >
          {(field.type === 'boolean'
            ? [
                { value: '1', label: t('customFields.yes') },
                { value: '0', label: t('customFields.no') },
              ]
            : field.options.map((o) => ({ value: o, label: o }))
          ).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
      {field &&
        (field.type === 'number' || field.type === 'date') &&
        (['min', 'max'] as const).map((end) => (
          <input
            key={end}
            type={field.type === 'number' ? 'number' : 'date'}
            className="narrow"
            aria-label={t(`leads.customRange.${end}`, { field: field.label })}
            placeholder={t(`leads.customRange.${end}`, { field: field.label })}
            value={range[end] ?? ''}
            onChange={(e) => setRange(end, e.target.value)}
          />
        ))}
    </>
  );
}
