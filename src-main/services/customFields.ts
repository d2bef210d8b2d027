// Custom fields' use cases: define them (team settings) and set a lead's values (one row
// per lead and field, so each value syncs and merges on its own). Values are stored in the
// field type's canonical text (domain/customFields.ts reads what people type); reading
// them is services/customValues.ts.
import {
  ApiError,
  customFieldFields,
  type CustomFieldRow,
  type CustomFieldType,
} from '../contract/index.js';
import { readCustomValue } from '../domain/customFields.js';
import { derivedId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { getRecord } from './recordRows.js';
import { customValuesOf, listCustomFields, toField, type CustomField } from './customValues.js';
import { rescoreLeadIn } from './scoring.js';

export type { CustomField };

export interface CustomFieldInput {
  id?: string | undefined;
  key: string;
  label: string;
  type: CustomFieldType;
  options?: string[] | undefined;
  position?: number | undefined;
}

/** Creates or changes a custom field. A key is unique; a field's type cannot change once
 * it is made (its stored values are in that type's form). */
export function saveCustomFieldIn(tx: WriteTx, input: CustomFieldInput): CustomField {
  const existing = listCustomFields(tx);
  const sameKey = existing.find((f) => f.key === input.key && f.id !== input.id);
  if (sameKey)
    throw new ApiError('CONFLICT', `a custom field "${input.key}" exists already`, [
      { path: 'key', message: 'is taken' },
    ]);
  const options = input.type === 'choice' ? (input.options ?? []) : [];
  const values = customFieldFields.parse({
    key: input.key,
    label: input.label,
    type: input.type,
    options,
    position: input.position ?? existing.length,
  });
  if (input.id) {
    const before = existing.find((f) => f.id === input.id);
    if (!before) throw new ApiError('NOT_FOUND', `custom field ${input.id} not found`);
    if (before.type !== input.type || before.key !== input.key)
      throw new ApiError('BAD_INPUT', 'a custom field keeps its key and type', [
        { path: before.type !== input.type ? 'type' : 'key', message: 'cannot change' },
      ]);
    tx.update('custom_fields', input.id, values);
    return toField(getRecordRow(tx, input.id));
  }
  const id = tx.insert('custom_fields', values);
  return toField(getRecordRow(tx, id));
}

function getRecordRow(r: Reader, id: string): CustomFieldRow {
  const row = r.first(r.qb.selectFrom('custom_fields').selectAll().where('id', '=', id));
  if (!row) throw new ApiError('NOT_FOUND', `custom field ${id} not found`);
  return row;
}

export function saveCustomField(store: Store, input: CustomFieldInput): CustomField {
  return store.write((tx) => saveCustomFieldIn(tx, input));
}

/** Removes a field from the lists (its values stay, and come back with it). */
export function deleteCustomField(store: Store, id: string): { deleted: boolean } {
  return store.write((tx) => {
    getRecordRow(tx, id);
    return { deleted: tx.softDelete('custom_fields', id) };
  });
}

/** The row id of one lead's value of one field: the same on every laptop. */
export const customValueId = (leadId: string, fieldId: string) =>
  derivedId('custom-value', `${leadId}|${fieldId}`);

/** Sets (or, with null or '', clears) a lead's values, by field key, as typed: each is
 * read in its field's type; any that does not fit refuses the whole change. Does not
 * rescore (the caller does, once). */
export function setCustomValuesIn(
  tx: WriteTx,
  leadId: string,
  values: Record<string, string | null>,
  fields: readonly CustomField[] = listCustomFields(tx),
): number {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const rows: { field: CustomField; value: string | null }[] = [];
  const issues: { path: string; message: string }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const field = byKey.get(key);
    if (!field) {
      issues.push({ path: key, message: 'is not a custom field' });
      continue;
    }
    if (raw === null || raw.trim() === '') {
      rows.push({ field, value: null });
      continue;
    }
    const read = readCustomValue(field.type, raw, field.options);
    if ('error' in read) issues.push({ path: key, message: read.error });
    else rows.push({ field, value: read.value });
  }
  if (issues.length)
    throw new ApiError('BAD_INPUT', `${issues[0]!.path} ${issues[0]!.message}`, issues);
  let changed = 0;
  for (const { field, value } of rows) {
    const id = customValueId(leadId, field.id);
    const existing = tx.first(
      tx.qb.selectFrom('custom_values').select(['value', 'deleted_at']).where('id', '=', id),
    );
    if (!existing) {
      if (value === null) continue;
      tx.insert('custom_values', { lead_id: leadId, field_id: field.id, value }, id);
      changed++;
    } else if (value === null && (existing.value === null || existing.deleted_at !== null)) {
      continue; // already empty
    } else if (existing.value !== value || existing.deleted_at !== null) {
      if (existing.deleted_at !== null) tx.restore('custom_values', id);
      if (tx.update('custom_values', id, { value })) changed++;
    }
  }
  return changed;
}

/** The use case behind the lead panel: set values, then rescore the lead (a rule or the
 * model may read them). */
export function setLeadCustomValues(
  store: Store,
  leadId: string,
  values: Record<string, string | null>,
): Record<string, string> {
  return store.write((tx) => {
    const lead = getRecord(tx, 'leads', leadId);
    if (lead.status === 'converted')
      throw new ApiError('CONFLICT', 'a converted lead is read-only');
    if (setCustomValuesIn(tx, leadId, values)) rescoreLeadIn(tx, leadId);
    return customValuesOf(tx, [leadId]).get(leadId) ?? {};
  });
}
