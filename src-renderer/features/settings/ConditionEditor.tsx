// One condition on a lead — field, operator, value — as scoring's fit rules and the
// assignment rules both state it. Fields with a fixed set of values (source, BANT
// levels, grade …) offer those values in the UI language; the rest take text or a number.
import { useTranslation } from 'react-i18next';
import {
  grades,
  leadSources,
  leadStatuses,
  ruleOperators,
  type AssignmentField,
  type RuleOperator,
} from '../../../src-main/contract/index.js';
import { useCustomFields } from '../../api/queries.js';
import { bantDimensions, EventSelect, UserSelect } from '../../components/pickers.js';

export interface ConditionDraft {
  field: AssignmentField;
  op: RuleOperator;
  value?: string | number | string[] | undefined;
}

type Translate = ReturnType<typeof useTranslation>['t'];

/** The values a field can take, labelled; null for free text. */
export function fieldChoices(
  field: AssignmentField,
  t: Translate,
): { value: string; label: string }[] | null {
  switch (field) {
    case 'source':
      return leadSources.map((s) => ({ value: s, label: t(`source.${s}`) }));
    case 'status':
      return leadStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }));
    case 'budget':
    case 'authority':
    case 'need':
    case 'timeline':
      return bantDimensions[field].map((l: string) => ({
        value: l,
        label: t(`bant.${field}.${l}` as 'bant.budget.none'),
      }));
    case 'grade':
      return grades.map((g) => ({ value: g, label: t(`grade.${g}`) }));
    case 'email_domain_kind':
      return (['free', 'business', 'none'] as const).map((v) => ({
        value: v,
        label: t(`score.values.email_domain_kind.${v}`),
      }));
    case 'title_level':
      return (['executive', 'manager', 'staff', 'unknown'] as const).map((v) => ({
        value: v,
        label: t(`score.values.title_level.${v}`),
      }));
    case 'any_phone':
      return [
        { value: 'yes', label: t('rules.yes') },
        { value: 'no', label: t('rules.no') },
      ];
    default:
      return null;
  }
}

export function fieldLabel(field: string, t: Translate): string {
  return t(`rules.fields.${field}`, {
    defaultValue: t(`fields.${field}`, { defaultValue: field }),
  });
}

const numericOps: RuleOperator[] = ['gt', 'lt'];
const noValueOps: RuleOperator[] = ['is_empty', 'not_empty'];

/** The value a condition keeps when its operator changes: a list for `in`, a number for
 * gt/lt, nothing for the empty tests. */
function valueFor(op: RuleOperator, old: ConditionDraft['value']): ConditionDraft['value'] {
  if (noValueOps.includes(op)) return undefined;
  const first = Array.isArray(old) ? (old[0] ?? '') : old === undefined ? '' : String(old);
  if (op === 'in') return Array.isArray(old) ? old : first ? [first] : [];
  if (numericOps.includes(op))
    return Number.isFinite(Number(first)) && first !== '' ? Number(first) : 0;
  return first;
}

export function ConditionEditor({
  value,
  onChange,
  fields,
  idPrefix,
}: {
  value: ConditionDraft;
  onChange(next: ConditionDraft): void;
  fields: readonly AssignmentField[];
  idPrefix: string;
}) {
  const { t } = useTranslation();
  // The team's custom fields can be tested too (`cf.<key>`), with their own choices.
  const customFields = useCustomFields();
  const custom = customFields.data ?? [];
  const customOf = (f: string) => custom.find((c) => `cf.${c.key}` === f);
  const field = customOf(value.field);
  const choices = field
    ? field.type === 'choice'
      ? field.options.map((o) => ({ value: o, label: o }))
      : field.type === 'boolean'
        ? [
            { value: '1', label: t('customFields.yes') },
            { value: '0', label: t('customFields.no') },
          ]
        : null
    : fieldChoices(value.field, t);
  const setField = (field: AssignmentField) =>
    onChange({ ...value, field, value: valueFor(value.op, undefined) });
  const setOp = (op: RuleOperator) => onChange({ ...value, op, value: valueFor(op, value.value) });
  const text = Array.isArray(value.value) ? value.value.join(', ') : (value.value ?? '').toString();
  let input = null;
  if (numericOps.includes(value.op)) {
    input = (
      <input
        type="number"
        aria-label={t('rules.value')}
        id={`${idPrefix}-value`}
        value={typeof value.value === 'number' && Number.isFinite(value.value) ? value.value : ''}
        onChange={(e) =>
          onChange({ ...value, value: e.target.value === '' ? Number.NaN : Number(e.target.value) })
        }
      />
    );
  } else if (value.op === 'in' && choices) {
    const picked = new Set(Array.isArray(value.value) ? value.value : []);
    input = (
      <select
        multiple
        aria-label={t('rules.value')}
        id={`${idPrefix}-value`}
        value={[...picked]}
        onChange={(e) =>
          onChange({ ...value, value: [...e.target.selectedOptions].map((o) => o.value) })
        }
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  } else if (value.op === 'in') {
    input = (
      <input
        aria-label={t('rules.value')}
        id={`${idPrefix}-value`}
        title={t('rules.listHint')}
        placeholder={t('rules.listHint')}
        value={text}
        onChange={(e) =>
          onChange({
            ...value,
            value: e.target.value
              .split(/[,，]/)
              .map((s) => s.trim())
              .filter(Boolean),
          })
        }
      />
    );
  } else if (!noValueOps.includes(value.op)) {
    const common = {
      'aria-label': t('rules.value'),
      id: `${idPrefix}-value`,
      value: text,
    };
    input =
      value.op === 'equals' && value.field === 'owner_id' ? (
        <UserSelect {...common} emptyLabel="—" onChange={(v) => onChange({ ...value, value: v })} />
      ) : value.op === 'equals' && value.field === 'campaign_id' ? (
        <EventSelect
          {...common}
          emptyLabel="—"
          onChange={(v) => onChange({ ...value, value: v })}
        />
      ) : value.op === 'equals' && choices ? (
        <select {...common} onChange={(e) => onChange({ ...value, value: e.target.value })}>
          <option value="">—</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          placeholder={value.op === 'contains' ? t('rules.containsHint') : ''}
          title={value.op === 'contains' ? t('rules.containsHint') : undefined}
          onChange={(e) => onChange({ ...value, value: e.target.value })}
        />
      );
  }
  return (
    <span className="condition">
      <select
        aria-label={t('rules.field')}
        id={`${idPrefix}-field`}
        value={value.field}
        onChange={(e) => setField(e.target.value as AssignmentField)}
      >
        {fields.map((f) => (
          <option key={f} value={f}>
            {fieldLabel(f, t)}
          </option>
        ))}
        {custom.length > 0 && (
          <optgroup label={t('customFields.section')}>
            {custom.map((c) => (
              <option key={c.id} value={`cf.${c.key}`}>
                {c.label}
              </option>
            ))}
          </optgroup>
        )}
        {value.field.startsWith('cf.') && !field && (
          <option value={value.field}>{value.field}</option>
        )}
      </select>
      <select
        aria-label={t('rules.op')}
        id={`${idPrefix}-op`}
        value={value.op}
        onChange={(e) => setOp(e.target.value as RuleOperator)}
      >
        {ruleOperators.map((op) => (
          <option key={op} value={op}>
            {t(`rules.ops.${op}`)}
          </option>
        ))}
      </select>
      {input}
    </span>
  );
}
