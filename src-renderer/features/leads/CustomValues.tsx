// The lead panel's "More fields": the workspace's custom fields and this lead's values,
// each saved on its own (Enter or leaving the field; a choice or yes/no when picked).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useCustomFields } from '../../api/queries.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { EditableField } from './EditableField.js';

export function CustomValues({ leadId, disabled }: { leadId: string; disabled: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fields = useCustomFields();
  const values = useQuery({
    queryKey: ['leads', leadId, 'custom'],
    queryFn: () => api.call('leads.customValues', { id: leadId }),
  });
  const save = useMutation({
    mutationFn: (change: Record<string, string | null>) =>
      api.call('leads.setCustom', { id: leadId, values: change }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['leads', leadId, 'custom'], saved);
      // A value can move the score.
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });
  if (!fields.data?.length) return null;
  const errors = fieldErrors(save.error);
  const valueOf = (f: CustomField) => values.data?.[f.key] ?? '';
  return (
    <section className="detail-section" aria-label={t('customFields.section')}>
      <h3>{t('customFields.section')}</h3>
      <div className="grid">
        {fields.data.map((f) =>
          f.type === 'choice' || f.type === 'boolean' ? (
            <label key={f.id} className="field">
              <span>{f.label}</span>
              <select
                name={`cf.${f.key}`}
                value={valueOf(f)}
                disabled={disabled}
                onChange={(e) => save.mutate({ [f.key]: e.target.value || null })}
              >
                <option value="">—</option>
                {(f.type === 'boolean' ? ['1', '0'] : f.options).map((o) => (
                  <option key={o} value={o}>
                    {f.type === 'boolean'
                      ? t(o === '1' ? 'customFields.yes' : 'customFields.no')
                      : o}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <EditableField
              key={f.id}
              name={`cf.${f.key}`}
              label={f.label}
              type={f.type === 'date' ? 'date' : 'text'}
              value={valueOf(f)}
              error={errors[f.key]}
              disabled={disabled}
              onSave={(v) => save.mutate({ [f.key]: v || null })}
            />
          ),
        )}
      </div>
      {save.error && !Object.keys(errors).length && (
        <p role="alert" className="error">
          {errorText(save.error)}
        </p>
      )}
    </section>
  );
}
