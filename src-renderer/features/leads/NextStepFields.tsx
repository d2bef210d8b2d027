import { useTranslation } from 'react-i18next';
import { EditableField } from './EditableField.js';

/** The next step and its date — a lead's and an opportunity's alike — saved in place. */
export function NextStepFields({
  nextStep,
  nextStepDate,
  errors,
  disabled,
  onSave,
}: {
  nextStep: string | null;
  nextStepDate: string | null;
  errors: Record<string, string>;
  disabled: boolean;
  onSave(patch: { next_step?: string; next_step_date?: string | null }): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <EditableField
        name="next_step"
        label={t('lead.nextStep')}
        value={nextStep ?? ''}
        error={errors.next_step}
        disabled={disabled}
        onSave={(v) => onSave({ next_step: v })}
      />
      <EditableField
        name="next_step_date"
        label={t('lead.nextStepDate')}
        type="date"
        value={nextStepDate ?? ''}
        error={errors.next_step_date}
        disabled={disabled}
        onSave={(v) => onSave({ next_step_date: v || null })}
      />
    </>
  );
}
