// Settings › Fields: the custom fields of the workspace (team settings). A field has a
// label, a type that never changes once made (its values are stored in that type's form),
// and for a choice its choices. Removing one hides it; its values stay.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  customFieldTypes,
  type CustomField,
  type CustomFieldType,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useCustomFields } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { ErrorWithIssues } from '../../components/ErrorWithIssues.js';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function CustomFieldsSettings() {
  const { t } = useTranslation();
  const fields = useCustomFields();
  return (
    <section className="panel" aria-label={t('customFields.title')}>
      <h2>{t('customFields.title')}</h2>
      <p className="muted">{t('customFields.hint')}</p>
      {fields.data?.length === 0 && <p className="muted">{t('customFields.none')}</p>}
      <ul className="list compact" data-testid="custom-fields">
        {fields.data?.map((f) => (
          <li key={f.id}>
            <FieldEditor field={f} />
          </li>
        ))}
      </ul>
      <FieldEditor />
    </section>
  );
}

/** One field's form: an existing field (label and choices editable), or a new one. */
function FieldEditor({ field }: { field?: CustomField }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const [label, setLabel] = useState(field?.label ?? '');
  const [type, setType] = useState<CustomFieldType>(field?.type ?? 'text');
  const [options, setOptions] = useState((field?.options ?? []).join('\n'));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['customFields'] });
  const save = useMutation({
    mutationFn: () =>
      api.call('customFields.save', {
        ...(field ? { id: field.id, key: field.key } : {}),
        label,
        type,
        ...(type === 'choice' ? { options: lines(options) } : {}),
      }),
    onSuccess: (saved) => {
      void refresh();
      showToast(t('customFields.saved', { label: saved.label }));
      if (!field) {
        setLabel('');
        setOptions('');
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => api.call('customFields.delete', { id: field!.id }),
    onSuccess: () => {
      void refresh();
      showToast(t('customFields.removed', { label: field!.label }));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const name = field ? `field-${field.key}` : 'new-field';
  return (
    <form
      className="row wrap custom-field"
      onSubmit={submit}
      aria-label={field?.label ?? t('customFields.add')}
    >
      <label className="field inline">
        <span>{t('customFields.label')}</span>
        <input
          name={`${name}-label`}
          value={label}
          maxLength={80}
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <label className="field inline">
        <span>{t('customFields.typeLabel')}</span>
        <select
          name={`${name}-type`}
          value={type}
          disabled={!!field}
          onChange={(e) => setType(e.target.value as CustomFieldType)}
        >
          {customFieldTypes.map((ty) => (
            <option key={ty} value={ty}>
              {t(`customFields.type.${ty}`)}
            </option>
          ))}
        </select>
      </label>
      {type === 'choice' && (
        <label className="field inline">
          <span>{t('customFields.options')}</span>
          <textarea
            name={`${name}-options`}
            rows={3}
            value={options}
            onChange={(e) => setOptions(e.target.value)}
          />
        </label>
      )}
      {field && <code className="muted">cf.{field.key}</code>}
      <button
        type="submit"
        className={field ? undefined : 'primary'}
        disabled={save.isPending || !label.trim()}
      >
        {field ? t('customFields.save') : t('customFields.add')}
      </button>
      {field && (
        <button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
          {t('customFields.remove')}
        </button>
      )}
      <ErrorWithIssues error={save.error ?? remove.error} />
    </form>
  );
}
