// A filter on a custom field of few values (a choice or yes/no): pick the field, then the
// value. One at a time, like the other list filters; saved with the view.
import { useTranslation } from 'react-i18next';
import { useCustomFields } from '../../api/queries.js';
import type { LeadsView } from '../../app/uiStore.js';

export function CustomFilter({
  view,
  onChange,
}: {
  view: LeadsView;
  onChange(custom: Record<string, string>): void;
}) {
  const { t } = useTranslation();
  const fields = (useCustomFields().data ?? []).filter(
    (f) => f.type === 'choice' || f.type === 'boolean',
  );
  if (!fields.length) return null;
  const [key = '', value = ''] = Object.entries(view.custom)[0] ?? [];
  const field = fields.find((f) => f.key === key);
  const options = field
    ? field.type === 'boolean'
      ? [
          { value: '1', label: t('customFields.yes') },
          { value: '0', label: t('customFields.no') },
        ]
      : field.options.map((o) => ({ value: o, label: o }))
    : [];
  return (
    <>
      <select
        aria-label={t('leads.customFilterField')}
        value={key}
        onChange={(e) => {
          const next = fields.find((f) => f.key === e.target.value);
          const first = next ? (next.type === 'boolean' ? '1' : next.options[0]) : undefined;
          onChange(next && first !== undefined ? { [next.key]: first } : {});
        }}
      >
        <option value="">{t('leads.allCustom')}</option>
        {fields.map((f) => (
          <option key={f.id} value={f.key}>
            {f.label}
          </option>
        ))}
      </select>
      {field && (
        <select
          aria-label={t('leads.customFilterValue', { field: field.label })}
          value={value}
          onChange={(e) => onChange({ [field.key]: e.target.value })}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </>
  );
}
