// Reading custom fields and their values: the definitions in list order, each lead's
// values by key, and the values attached to leads as `cf.<key>` for rules and the model.
// Read-only, so scoring can use it without depending on the write use cases.
import {
  parseList,
  type CustomField,
  type CustomFieldRow,
  type CustomFieldType,
} from '../contract/index.js';

export type { CustomField };
import { customFieldName } from '../domain/customFields.js';
import type { ScorableLead } from '../domain/leadFeatures.js';
import type { Reader } from '../store/readQuery.js';

export const toField = (row: CustomFieldRow): CustomField => ({
  id: row.id,
  key: row.key ?? '',
  label: row.label ?? row.key ?? '',
  type: (row.type ?? 'text') as CustomFieldType,
  options: parseList(row.options),
  position: row.position ?? 0,
});

/** The workspace's custom fields, in their list order. */
export function listCustomFields(r: Reader): readonly CustomField[] {
  // Read on every lead write when rules or the model test a custom field: kept until the
  // table changes.
  return r.derived('customFields', ['custom_fields'], () =>
    r
      .all(
        r.qb
          .selectFrom('custom_fields')
          .selectAll()
          .where('deleted_at', 'is', null)
          .orderBy('position')
          .orderBy('created_at'),
      )
      .map(toField)
      .filter((f) => f.key),
  );
}

/** Each lead's custom values by field key (fields removed are left out). */
export function customValuesOf(
  r: Reader,
  leadIds: readonly string[],
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  // One query per 500 leads, the field's key joined in (by its primary key): a list page
  // pays one indexed lookup, and nothing when no lead has a value.
  for (let i = 0; i < leadIds.length; i += 500) {
    const rows = r.all(
      r.qb
        .selectFrom('custom_values')
        .innerJoin('custom_fields', 'custom_fields.id', 'custom_values.field_id')
        .select(['custom_values.lead_id', 'custom_fields.key', 'custom_values.value'])
        .where('custom_values.lead_id', 'in', leadIds.slice(i, i + 500))
        .where('custom_values.deleted_at', 'is', null)
        .where('custom_fields.deleted_at', 'is', null),
    );
    for (const row of rows) {
      if (!row.key || !row.lead_id || row.value === null) continue;
      const values = out.get(row.lead_id) ?? {};
      values[row.key] = row.value;
      out.set(row.lead_id, values);
    }
  }
  return out;
}

/** Adds each lead's custom values to it as `cf.<key>` (what rules and the model read).
 * Numbers become numbers, so a rule's "greater than" compares them as such. */
export function attachCustomValues<T extends ScorableLead & { id?: unknown }>(
  r: Reader,
  leads: T[],
): T[] {
  const fields = listCustomFields(r);
  if (!fields.length || !leads.length) return leads;
  const types = new Map(fields.map((f) => [f.key, f.type]));
  const values = customValuesOf(
    r,
    leads.map((l) => String(l.id)),
  );
  for (const lead of leads) {
    for (const [key, value] of Object.entries(values.get(String(lead.id)) ?? {}))
      (lead as ScorableLead)[customFieldName(key)] =
        types.get(key) === 'number' ? Number(value) : value;
  }
  return leads;
}
