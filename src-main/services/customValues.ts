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
export function listCustomFields(r: Reader): CustomField[] {
  return r
    .all(
      r.qb
        .selectFrom('custom_fields')
        .selectAll()
        .where('deleted_at', 'is', null)
        .orderBy('position')
        .orderBy('created_at'),
    )
    .map(toField)
    .filter((f) => f.key);
}

/** Each lead's custom values by field key (fields removed are left out). */
export function customValuesOf(
  r: Reader,
  leadIds: readonly string[],
): Map<string, Record<string, string>> {
  const keys = new Map(listCustomFields(r).map((f) => [f.id, f.key]));
  const out = new Map<string, Record<string, string>>();
  if (!keys.size) return out;
  for (let i = 0; i < leadIds.length; i += 500) {
    const rows = r.all(
      r.qb
        .selectFrom('custom_values')
        .select(['lead_id', 'field_id', 'value'])
        .where('lead_id', 'in', leadIds.slice(i, i + 500))
        .where('deleted_at', 'is', null),
    );
    for (const row of rows) {
      const key = keys.get(row.field_id ?? '');
      if (!key || !row.lead_id || row.value === null) continue;
      const values = out.get(row.lead_id) ?? {};
      values[key] = row.value;
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
