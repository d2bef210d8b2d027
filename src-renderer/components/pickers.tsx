// The pickers every form and filter shares: one place for how an owner, an event, a
// source, a status, a BANT level or a forecast category is chosen and labelled.
import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  authorityLevels,
  budgetLevels,
  forecastCategories,
  leadSources,
  leadStatuses,
  needLevels,
  timelineLevels,
  type LeadStatus,
} from '../../src-main/contract/index.js';
import { useCampaigns, useUsers } from '../api/queries.js';

type PickerProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: string;
  onChange(value: string): void;
  /** The first option, meaning "none" or "any" ('' as its value). */
  emptyLabel: string;
};

function ChoiceSelect({
  value,
  onChange,
  emptyLabel,
  options,
  ...rest
}: PickerProps & { options: readonly { value: string; label: string }[] }) {
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function UserSelect(props: PickerProps) {
  const users = useUsers();
  const options = (users.data ?? []).map((u) => ({ value: u.id, label: u.name ?? '' }));
  return <ChoiceSelect {...props} options={options} />;
}

export function EventSelect(props: PickerProps) {
  const campaigns = useCampaigns();
  const options = (campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name ?? '' }));
  return <ChoiceSelect {...props} options={options} />;
}

/** Currencies a team is likely to quote in; any other code already on a record stays. */
const commonCurrencies = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'SGD', 'TWD', 'KRW', 'AUD'];

export function CurrencySelect({ value, onChange, ...rest }: Omit<PickerProps, 'emptyLabel'>) {
  const { i18n } = useTranslation();
  const names = new Intl.DisplayNames([i18n.language], { type: 'currency' });
  const codes = commonCurrencies.includes(value) ? commonCurrencies : [value, ...commonCurrencies];
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      {codes.map((c) => (
        <option key={c} value={c}>
          {c} · {names.of(c) ?? c}
        </option>
      ))}
    </select>
  );
}

export function SourceSelect(props: PickerProps) {
  const { t } = useTranslation();
  const options = leadSources.map((s) => ({ value: s, label: t(`source.${s}`) }));
  return <ChoiceSelect {...props} options={options} />;
}

/** Lead statuses; "converted" is offered only where a lead already has it (conversion
 * is its own use case). */
export function StatusSelect({
  withConverted = false,
  ...props
}: PickerProps & { withConverted?: boolean }) {
  const { t } = useTranslation();
  const options = leadStatuses
    .filter((s: LeadStatus) => withConverted || s !== 'converted')
    .map((s) => ({ value: s, label: t(`status.${s}`) }));
  return <ChoiceSelect {...props} options={options} />;
}

export const bantDimensions = {
  budget: budgetLevels,
  authority: authorityLevels,
  need: needLevels,
  timeline: timelineLevels,
} as const;
export type BantDimension = keyof typeof bantDimensions;

export function BantSelect({ dimension, ...props }: PickerProps & { dimension: BantDimension }) {
  const { t } = useTranslation();
  const options = bantDimensions[dimension].map((l: string) => ({
    value: l,
    label: t(`bant.${dimension}.${l}` as 'bant.budget.none'),
  }));
  return <ChoiceSelect {...props} options={options} />;
}

export function ForecastCategorySelect(props: PickerProps) {
  const { t } = useTranslation();
  const options = forecastCategories.map((c) => ({
    value: c,
    label: t(`opportunity.categories.${c}`),
  }));
  return <ChoiceSelect {...props} options={options} />;
}
