// Custom fields: reading a typed value from what a user or a file wrote, guessing a
// column's type from its values, and making a key from a label. Pure, so the importer,
// the lead panel's API and the rules read values the same way.
import { pinyin } from 'pinyin-pro';
import type { CustomFieldType } from '../contract/index.js';
import { readDate } from './importValues.js';

/** How rules, views, the model and files name a custom field: `cf.<key>`. */
export const CUSTOM_PREFIX = 'cf.';
export const customFieldName = (key: string) => `${CUSTOM_PREFIX}${key}`;
export const isCustomFieldName = (name: string) => name.startsWith(CUSTOM_PREFIX);

const YES = new Set(['1', 'yes', 'y', 'true', 't', 'x', '✓', '是', '有', '对', 'ja', 'oui']);
const NO = new Set(['0', 'no', 'n', 'false', 'f', '否', '无', '没有', 'nein', 'non']);

export type CustomValueReading = { value: string } | { error: string };

/** A number as people write it: "1,234.5", "1 234,5" (European), "12%", "¥3,000". */
export function readNumber(text: string): number | null {
  let t = text
    .normalize('NFKC')
    .trim()
    .replace(/[%¥$€£\s]/g, '');
  if (!t) return null;
  // "1,234" groups thousands (three digits after the comma); "3,5" is a decimal comma;
  // "1.234,5" is European.
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(t)) t = t.replace(',', '.');
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A value of a field of this type in its stored form, or why it is not one. */
export function readCustomValue(
  type: CustomFieldType,
  raw: string,
  options: readonly string[] = [],
): CustomValueReading {
  const text = raw.trim();
  switch (type) {
    case 'number': {
      const n = readNumber(text);
      return n === null ? { error: 'is not a number' } : { value: String(n) };
    }
    case 'date': {
      const d = readDate(text);
      return d ? { value: d } : { error: 'is not a date' };
    }
    case 'boolean': {
      const key = text.toLowerCase();
      if (YES.has(key)) return { value: '1' };
      if (NO.has(key)) return { value: '0' };
      return { error: 'is not yes or no' };
    }
    case 'choice': {
      const hit = options.find((o) => o.toLowerCase() === text.toLowerCase());
      return hit !== undefined ? { value: hit } : { error: 'is not one of the choices' };
    }
    case 'text':
      return text.length > 2000 ? { error: 'is longer than 2000 characters' } : { value: text };
  }
}

/** Distinct values up to which a column is a choice rather than free text. */
const MAX_CHOICES = 30;

/** The type a column's values suggest: numbers, dates, yes/no, a few distinct values (a
 * choice), or text. `null` when the column had no values to go by. */
export function inferCustomType(values: readonly string[]): CustomFieldType | null {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (!filled.length) return null;
  if (filled.every((v) => readNumber(v) !== null)) {
    const distinct = new Set(filled);
    // 0/1 columns are flags, not quantities.
    return distinct.size <= 2 && [...distinct].every((v) => v === '0' || v === '1')
      ? 'boolean'
      : 'number';
  }
  if (filled.every((v) => 'value' in readCustomValue('boolean', v))) return 'boolean';
  if (filled.every((v) => readDate(v) !== null)) return 'date';
  const distinct = new Set(filled.map((v) => v.toLowerCase()));
  if (distinct.size <= MAX_CHOICES && distinct.size <= Math.max(2, filled.length / 3))
    return 'choice';
  return 'text';
}

/** Whether a column is better kept as a custom field than in the notes: numbers, dates,
 * yes/no and a few distinct values are; free text is not. */
export const suitsCustomField = (type: CustomFieldType | null) => type !== null && type !== 'text';

/** The distinct values of a choice column, in order of first appearance. */
export function choicesOf(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values.map((x) => x.trim()).filter(Boolean))
    if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  return [...seen.values()].slice(0, 200);
}

/** A key from a label: "Total Time Spent on Website" → total_time_spent_on_website,
 * 客户等级 → kehudengji. Never empty (falls back to "field"). */
export function keyFromLabel(label: string): string {
  const text = /\p{Script=Han}/u.test(label)
    ? pinyin(label, { toneType: 'none', type: 'array' }).join('')
    : label;
  const key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return /^[a-z]/.test(key) ? key : `f_${key || 'field'}`.slice(0, 40);
}
