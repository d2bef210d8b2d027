// A website form's submission → the fields of a new lead (pure: no I/O). Known fields are
// checked as the app checks a typed lead; anything else the form sent (and the UTM tags
// and the page it came from) is kept in the lead's notes, so nothing the visitor typed is
// lost.
import {
  formFields,
  formLimits,
  FORM_HONEYPOT,
  leadFields,
  utmFields,
  type SyncValue,
} from '../src-main/contract/index.js';

export type FormOutcome =
  | { kind: 'lead'; fields: Record<string, SyncValue> }
  /** The honeypot was filled: answered like a success, and nothing is written. */
  | { kind: 'spam' }
  | { kind: 'invalid'; message: string };

const checked = leadFields.pick({
  name: true,
  company: true,
  email: true,
  phone: true,
  title: true,
});

/** Flattens a parsed body (urlencoded or JSON) into text values; null when it is not an
 * object of scalars. */
export function formValues(body: unknown): Map<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out.set(k.slice(0, 100), String(v));
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      out.set(k.slice(0, 100), v.join(', '));
    else return null;
  }
  return out;
}

export function formLead(
  values: Map<string, string>,
  form: { source: string | null; campaignId: string | null; formName: string },
  context: { page: string | null; now: number },
): FormOutcome {
  if ((values.get(FORM_HONEYPOT) ?? '').trim() !== '') return { kind: 'spam' };
  const text = (k: string) => (values.get(k) ?? '').trim();
  const parsed = checked.safeParse({
    name: text('name') || text('email') || text('phone') || '-',
    company: text('company'),
    email: text('email'),
    phone: text('phone'),
    title: text('title'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: 'invalid', message: `${issue.path.join('.') || 'form'}: ${issue.message}` };
  }
  if (!text('name') && !text('email') && !text('phone'))
    return { kind: 'invalid', message: 'a name, an email or a phone number is required' };
  const message = text('message');
  if (message.length > formLimits.maxMessageChars)
    return {
      kind: 'invalid',
      message: `the message is longer than ${formLimits.maxMessageChars} characters`,
    };
  const known = new Set<string>([...formFields, ...utmFields, FORM_HONEYPOT]);
  const extras = [...values.entries()].filter(([k, v]) => !known.has(k) && v.trim() !== '');
  if (extras.length > formLimits.maxExtraFields)
    return { kind: 'invalid', message: `more than ${formLimits.maxExtraFields} extra fields` };
  const notes: string[] = [];
  if (message) notes.push(message);
  for (const [k, v] of extras) notes.push(`${k}: ${v.trim().slice(0, formLimits.maxExtraChars)}`);
  const utm = utmFields.filter((k) => text(k)).map((k) => `${k}=${text(k).slice(0, 200)}`);
  if (utm.length) notes.push(utm.join(' '));
  notes.push(`— ${form.formName}${context.page ? ` · ${context.page.slice(0, 300)}` : ''}`);
  const lead = parsed.data;
  return {
    kind: 'lead',
    fields: {
      name: lead.name,
      company: lead.company ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      title: lead.title ?? null,
      notes: notes.join('\n\n'),
      source: form.source ?? 'web_form',
      campaign_id: form.campaignId,
      status: 'new',
      owner_id: null,
      created_at: context.now,
      updated_at: context.now,
      deleted_at: null,
    },
  };
}
