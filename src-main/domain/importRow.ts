// One row of an import → a lead draft, keeping everything the row says. A row is refused
// only when nothing in it identifies anyone (no name, email, phone, company, WeChat or
// source record id). A value that does not fit its field — a phone cell with words in it,
// an address without @, a date nobody can read — is kept in the notes under its column's
// name and reported as a warning; the row itself is imported.
import {
  leadFields,
  parseList,
  type ImportRejection,
  type CustomFieldType,
  type ImportWarning,
  type LeadSource,
  type LeadStatus,
  type ValueMappings,
} from '../contract/index.js';
import { phoneKey } from './dedupe.js';
import {
  joinNameParts,
  mapSourceValue,
  mapStatusValue,
  type ColumnTarget,
  type ImportField,
} from './importMapping.js';
import { isCustomFieldName, readCustomValue } from './customFields.js';
import { readCell, readDate, readEmailCell, readPhoneCell } from './importValues.js';

export type Draft = Record<string, unknown> & { name: string };
export type Rejection = Omit<ImportRejection, 'row'>;
export type RowWarning = Omit<ImportWarning, 'row'>;

export interface RowContext {
  header: readonly string[];
  mapping: readonly ColumnTarget[];
  /** The team's phone region, for telling a mistyped number from a real one. */
  region: string;
  values?: ValueMappings;
  /** Team members by their name or email in lower case, for an owner column. */
  owners: ReadonlyMap<string, string>;
  /** The system the file's record ids belong to (the id column's header). */
  sourceSystem: string | null;
  /** The custom fields the mapping names (`cf.<key>` → the field). */
  customFields: ReadonlyMap<string, { key: string; type: CustomFieldType; options: string[] }>;
}

export interface RowDraft {
  draft: Draft;
  /** Custom values by field key, in their stored form. */
  custom: Record<string, string>;
  /** A history's outcome column: won (converted) or lost. */
  outcome?: 'won' | 'lost';
  warnings: RowWarning[];
  /** Empty markers met in this row (`null`, `#N/A` …), as written. */
  markers: string[];
}

const LIST_MAX = 20;
const NOTES_MAX = 20_000;
/** Numbers this long that are not possible numbers are likely typos: worth a look. */
const CHECK_FROM_DIGITS = 7;

/** Fields with a reading of their own; every other import field is copied as it is. */
const special = new Set<ImportField>([
  'name',
  'status',
  'source',
  'notes',
  'tags',
  'phone',
  'mobile',
  'other_phones',
  'email',
  'other_emails',
  'owner_id',
  'source_record_id',
  'next_step_date',
  'outcome',
]);

export function rowToDraft(ctx: RowContext, cells: readonly string[]): RowDraft | Rejection {
  const { header, mapping } = ctx;
  const v: Partial<Record<ImportField, string>> = {};
  const notes: string[] = [];
  const warnings: RowWarning[] = [];
  const markers: string[] = [];
  const phones: Record<'phone' | 'mobile' | 'other', string[]> = {
    phone: [],
    mobile: [],
    other: [],
  };
  const emails: Record<'email' | 'other', string[]> = { email: [], other: [] };
  const draft: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  /** What identifying columns held that could not be read: still someone's trace. */
  const unread: string[] = [];
  const keep = (column: string, value: string, w: Omit<RowWarning, 'column' | 'value'>) => {
    notes.push(`${column}: ${value}`);
    warnings.push({ column, value, ...w });
  };

  mapping.forEach((target, i) => {
    const { value, marker } = readCell(cells[i] ?? '', target);
    if (marker) markers.push(marker);
    if (!value || target === null) return;
    const column = header[i] ?? `Column ${i + 1}`;
    switch (target) {
      case 'note':
        notes.push(`${column}: ${value}`);
        return;
      case 'phone':
      case 'mobile':
      case 'other_phones': {
        const read = readPhoneCell(value);
        phones[target === 'other_phones' ? 'other' : target].push(...read.numbers);
        phones.other.push(...read.addresses);
        emails.other.push(...read.emails);
        unread.push(...read.unreadable);
        for (const u of read.unreadable)
          keep(column, u, {
            kind: 'phone',
            field: target,
            reason: 'not a phone number; kept in the notes',
          });
        return;
      }
      case 'email':
      case 'other_emails': {
        const read = readEmailCell(value);
        emails[target === 'email' ? 'email' : 'other'].push(...read.emails);
        for (const u of read.unreadable) {
          // Numbers typed into an email column are still numbers.
          const numbers = readPhoneCell(u);
          if (numbers.numbers.length && !numbers.unreadable.length) {
            phones.other.push(...numbers.numbers);
            continue;
          }
          unread.push(u);
          keep(column, u, {
            kind: 'email',
            field: target,
            reason: 'not an email address; kept in the notes',
          });
        }
        return;
      }
      case 'owner_id': {
        const owner = ctx.owners.get(value.toLowerCase());
        if (owner) draft.owner_id = owner;
        else
          keep(column, value, {
            kind: 'owner',
            field: 'owner_id',
            reason: 'nobody of that name on the team; kept in the notes',
          });
        return;
      }
      case 'next_step_date': {
        const date = readDate(value);
        if (date) draft.next_step_date = date;
        else
          keep(column, value, {
            kind: 'date',
            field: 'next_step_date',
            reason: 'not a date; kept in the notes',
          });
        return;
      }
      case 'custom':
        return; // made a `cf.` target by the importer before rows are read
      default: {
        if (isCustomFieldName(target)) {
          const field = ctx.customFields.get(target);
          if (!field) return;
          const read = readCustomValue(field.type, value, field.options);
          if ('value' in read) custom[field.key] = read.value;
          else
            keep(column, value, {
              kind: 'field',
              field: target,
              reason: `${read.error}; kept in the notes`,
            });
          return;
        }
        const f = target as ImportField;
        v[f] = v[f] ? `${v[f]} ${value}` : value;
      }
    }
  });
  // Cells beyond the header: empty ones are nothing, others are kept and pointed out.
  for (let i = header.length; i < cells.length; i++) {
    const { value, marker } = readCell(cells[i]!);
    if (marker) markers.push(marker);
    if (value)
      keep(`Column ${i + 1}`, value, {
        kind: 'extra_cells',
        reason: `a cell beyond the file's ${header.length} columns; kept in the notes`,
      });
  }

  // The first number of the phone column that the team's region can dial is the phone,
  // likewise the mobile; every other number and address is one of the other phones (a
  // short internal number, a SIP address, a number from abroad without its +).
  const dialable = (p: string) => phoneKey(p, ctx.region) !== null;
  // A phone column holding only an internal number lends the field to the first dialable
  // number of the others (a vCard whose work number is "9").
  const phone =
    phones.phone.find(dialable) ?? (phones.phone.length ? phones.other.find(dialable) : undefined);
  const mobile = phones.mobile.find(dialable);
  if (phone) draft.phone = phone;
  if (mobile) draft.mobile = mobile;
  const otherPhones = unique([...phones.phone, ...phones.mobile, ...phones.other]).filter(
    (p) => p !== phone && p !== mobile,
  );
  if (otherPhones.length) draft.other_phones = otherPhones.slice(0, LIST_MAX);
  for (const [list, field] of [
    [phones.phone, 'phone'],
    [phones.mobile, 'mobile'],
    [phones.other, 'other_phones'],
  ] as const)
    for (const text of list) {
      if (/^sips?:/i.test(text)) continue;
      const digits = text.split(/x/i)[0]!.replace(/\D/g, '').length;
      if (digits >= CHECK_FROM_DIGITS && !dialable(text))
        warnings.push({
          column: columnOf(ctx, field),
          value: text,
          kind: 'phone_check',
          field,
          reason: 'not a possible number for the team’s region; kept in other phones, check it',
        });
    }
  const [email, ...moreEmails] = unique(emails.email);
  if (email) draft.email = email;
  const otherEmails = unique([...moreEmails, ...emails.other]).filter((e) => e !== email);
  if (otherEmails.length) draft.other_emails = otherEmails.slice(0, LIST_MAX);
  for (const f of Object.keys(v) as ImportField[]) if (!special.has(f)) draft[f] = v[f];
  // Money is whole minor units (Leadbook's own export writes it so).
  if (v.budget_amount !== undefined)
    draft.budget_amount = /^\d+$/.test(v.budget_amount) ? Number(v.budget_amount) : v.budget_amount;
  // A status column saying "won" (an Odoo stage, a CRM's "Closed Won") is a won outcome.
  const outcome = v.outcome
    ? outcomeOf(v.outcome)
    : v.status && /^(closed )?won$|^(已)?成交$|^赢单$/i.test(v.status.trim())
      ? 'won'
      : undefined;
  if (v.outcome && !outcome) notes.push(`${columnOf(ctx, 'outcome')}: ${v.outcome}`);
  if (v.status && !(outcome === 'won' && !v.outcome)) {
    const status = statusOf(v.status, ctx.values);
    if (status) draft.status = status;
    else notes.push(`${columnOf(ctx, 'status')}: ${v.status}`);
    if (status === 'unqualified') draft.disqualify_reason ??= v.status;
  }
  // A history's lost lead is disqualified (unless its own status says more); a won one is
  // recorded as converted by the importer once created.
  if (outcome === 'lost' && !draft.status) {
    draft.status = 'unqualified';
    draft.disqualify_reason ??= `${columnOf(ctx, 'outcome')}: ${v.outcome}`;
  }
  if (v.source) draft.source = sourceOf(v.source, ctx.values);
  if (v.tags) draft.tags = splitTags(v.tags);
  if (v.source_record_id) {
    draft.source_record_id = v.source_record_id.trim().slice(0, 100);
    draft.source_system = ctx.sourceSystem;
  }
  const personName = v.name || joinNameParts(v.family_name ?? '', v.given_name ?? '');
  const name =
    personName ||
    v.company ||
    (draft.email as string | undefined) ||
    (draft.phone as string | undefined) ||
    (draft.mobile as string | undefined) ||
    (draft.other_phones as string[] | undefined)?.[0] ||
    (draft.other_emails as string[] | undefined)?.[0] ||
    v.wechat ||
    unread[0]?.slice(0, 200) ||
    (draft.source_record_id ? `${ctx.sourceSystem ?? 'id'} ${String(draft.source_record_id)}` : '');
  if (!name)
    return { reason: 'no identity: no name, email, phone or company', kind: 'no_identity' };
  draft.name = name;

  // Every remaining field is checked on its own: one that does not fit goes to the notes.
  const fitting: Record<string, unknown> = {};
  for (const [f, value] of Object.entries(draft)) {
    const schema = leadFields.shape[f as keyof typeof leadFields.shape];
    if (!schema || schema.safeParse(value).success) {
      fitting[f] = value;
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    if (f === 'name') {
      fitting.name = text.slice(0, 200);
      notes.push(`${columnOf(ctx, 'name')}: ${text}`);
      continue;
    }
    keep(columnOf(ctx, f), text, {
      kind: 'field',
      field: f,
      reason: `not a valid ${f.replace(/_/g, ' ')}; kept in the notes`,
    });
  }
  const allNotes = [v.notes, ...notes].filter(Boolean).join('\n');
  if (allNotes) fitting.notes = allNotes.slice(0, NOTES_MAX);
  const parsed = leadFields.safeParse(fitting);
  if (!parsed.success) {
    // Each field passed on its own; a failure here is a combination no file should reach.
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'row';
    return {
      reason: `${field}: ${issue.message}`,
      kind: 'field',
      field,
      issue: { path: field, message: issue.message, code: issue.code },
    };
  }
  // Stored as the API would store it: trimmed, emails lower-cased, lists as JSON.
  return {
    draft: parsed.data as Draft,
    custom,
    ...(outcome ? { outcome } : {}),
    warnings,
    markers,
  };
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

const WON = new Set([
  '100',
  '100%',
  '1',
  'yes',
  'y',
  'true',
  'won',
  'win',
  'converted',
  'closed won',
  '是',
  '成交',
  '已成交',
  '已转化',
  '赢单',
]);
const LOST = new Set([
  '0',
  'no',
  'n',
  'false',
  'lost',
  'lose',
  'not converted',
  'closed lost',
  '否',
  '未成交',
  '未转化',
  '丢单',
  '输单',
]);

/** A history's outcome cell: won, lost, or neither (still open, or unreadable). */
function outcomeOf(text: string): 'won' | 'lost' | undefined {
  const t = text.trim().toLowerCase();
  return WON.has(t) ? 'won' : LOST.has(t) ? 'lost' : undefined;
}

/** The header of the column mapped to `field`, for notes and warnings. */
function columnOf(ctx: RowContext, field: string): string {
  const i = ctx.mapping.indexOf(field as ColumnTarget);
  return i >= 0 ? (ctx.header[i] ?? field) : field;
}

export const statusOf = (raw: string, values: ValueMappings = {}): LeadStatus | null =>
  values.status && raw in values.status ? values.status[raw]! : mapStatusValue(raw);
export const sourceOf = (raw: string, values: ValueMappings = {}): LeadSource | null =>
  values.source && raw in values.source ? values.source[raw]! : mapSourceValue(raw);

/** Tags as Leadbook exports them (a JSON list) or as people type them (a, b; c). */
function splitTags(text: string): string[] {
  const json = parseList(text.startsWith('[') ? text : null);
  if (json.length) return json;
  return text
    .split(/[,;，；]/)
    .map((t) => t.trim())
    .filter(Boolean);
}
