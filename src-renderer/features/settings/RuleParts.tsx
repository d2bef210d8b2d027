// The parts every rule line shares, scoring's and assignment's alike: the on/off switch
// with the rule's name, and the remove button.
import { useTranslation } from 'react-i18next';

export function RuleSwitchAndName({
  enabled,
  name,
  onChange,
}: {
  enabled: boolean;
  name: string;
  onChange(patch: { enabled?: boolean; name?: string }): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <input
        type="checkbox"
        aria-label={t('rules.enabled')}
        checked={enabled}
        onChange={(e) => onChange({ enabled: e.target.checked })}
      />
      <input
        className="rule-name"
        aria-label={t('rules.name')}
        value={name}
        onChange={(e) => onChange({ name: e.target.value })}
      />
    </>
  );
}

export function RemoveButton({ onClick }: { onClick(): void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="link" onClick={onClick}>
      {t('rules.remove')}
    </button>
  );
}
