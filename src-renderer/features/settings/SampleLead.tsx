// A lead typed in to try rules against ("what would this one get?"), before they are saved.
import { useTranslation } from 'react-i18next';
import { BantSelect, SourceSelect, type BantDimension } from '../../components/pickers.js';

export type SampleLeadDraft = Record<string, string>;

export const emptySample: SampleLeadDraft = {};

/** The sample as lead fields: empty inputs are left out. */
export function sampleLead(d: SampleLeadDraft): Record<string, string> {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v.trim() !== ''));
}

const textFields = ['name', 'title', 'company', 'email', 'phone', 'region', 'industry'] as const;
const bant: BantDimension[] = ['budget', 'authority', 'need', 'timeline'];

export function SampleLeadForm({
  value,
  onChange,
  idPrefix,
}: {
  value: SampleLeadDraft;
  onChange(next: SampleLeadDraft): void;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const set = (k: string, v: string) => onChange({ ...value, [k]: v });
  return (
    <div className="sample-lead grid">
      {textFields.map((f) => (
        <label key={f} className="field">
          <span>{t(`fields.${f}`)}</span>
          <input
            id={`${idPrefix}-${f}`}
            value={value[f] ?? ''}
            onChange={(e) => set(f, e.target.value)}
          />
        </label>
      ))}
      <label className="field">
        <span>{t('fields.source')}</span>
        <SourceSelect
          id={`${idPrefix}-source`}
          emptyLabel="—"
          value={value.source ?? ''}
          onChange={(v) => set('source', v)}
        />
      </label>
      {bant.map((d) => (
        <label key={d} className="field">
          <span>{t(`fields.${d}`)}</span>
          <BantSelect
            id={`${idPrefix}-${d}`}
            dimension={d}
            emptyLabel="—"
            value={value[d] ?? ''}
            onChange={(v) => set(d, v)}
          />
        </label>
      ))}
    </div>
  );
}
