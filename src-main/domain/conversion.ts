// One-click conversion (F6), pure: what a lead becomes — which existing account and
// contact it matches, and the values of the account, contact and opportunity created
// from it. The ids of what a conversion creates are derived from the lead's id, so the
// same lead converted on two offline laptops becomes one opportunity once they sync.
import type { AccountMatchReason, ContactMatchReason, TimelineLevel } from '../contract/index.js';
import { companyKey, normalizeEmail, phoneKey } from './dedupe.js';
import { emailDomainKind } from './leadFeatures.js';

export interface ConvertibleLead {
  id: string;
  name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  wechat: string | null;
  website: string | null;
  industry: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  address: string | null;
  source: string | null;
  campaign_id: string | null;
  owner_id: string | null;
  family_name: string | null;
  given_name: string | null;
  timeline: string | null;
  budget: string | null;
  budget_amount: number | null;
  currency: string | null;
  next_step: string | null;
  next_step_date: string | null;
  notes: string | null;
}

const DAY = 86_400_000;

/** Ids of the rows a conversion creates, the same on every device. */
export const conversionIds = {
  opportunity: 'leadbook.conversion.opportunity',
  contact: 'leadbook.conversion.contact',
  account: 'leadbook.conversion.account',
} as const;

/** The company domain of an email address; null for free-mail (qq.com, gmail.com …),
 * which says nothing about the buyer's company. */
export function companyDomain(email: string | null | undefined): string | null {
  const e = normalizeEmail(email);
  if (!e || emailDomainKind(e) !== 'business') return null;
  return e.slice(e.lastIndexOf('@') + 1);
}

/** A website's host without "www.": what `accounts.domain` holds. */
export function websiteDomain(website: string | null | undefined): string | null {
  if (!website?.trim()) return null;
  const host = website
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .split(/[/?#:]/)[0]!
    .replace(/^www\./, '');
  return host.includes('.') ? host : null;
}

/** Why an existing account is this lead's company: the same name without legal form, or
 * the lead's business email domain. */
export function accountMatchReasons(
  lead: Pick<ConvertibleLead, 'company' | 'email' | 'website'>,
  account: { name: string | null; domain: string | null },
): AccountMatchReason[] {
  const out: AccountMatchReason[] = [];
  const key = companyKey(lead.company);
  if (key && key === companyKey(account.name)) out.push('name');
  const accountDomain = websiteDomain(account.domain);
  const domains = [companyDomain(lead.email), websiteDomain(lead.website)];
  if (accountDomain && domains.includes(accountDomain)) out.push('domain');
  return out;
}

/** Why an existing contact is this lead's person: the same email, or the same number in
 * E.164 (any of phone/mobile on either side). */
export function contactMatchReasons(
  lead: Pick<ConvertibleLead, 'email' | 'phone' | 'mobile'>,
  contact: { email: string | null; phone: string | null; mobile: string | null },
  region: string,
): ContactMatchReason[] {
  const out: ContactMatchReason[] = [];
  const email = normalizeEmail(lead.email);
  if (email && email === normalizeEmail(contact.email)) out.push('email');
  const mine = [lead.phone, lead.mobile].map((p) => phoneKey(p, region)?.e164).filter(Boolean);
  const theirs = [contact.phone, contact.mobile].map((p) => phoneKey(p, region)?.e164);
  if (mine.some((p) => theirs.includes(p))) out.push('phone');
  return out;
}

/** When a deal with this timeline is expected to close: the middle of the BANT window
 * (< 3 months → in 45 days, 3–6 → 135, 6–12 → 270); 90 days when the lead has none. */
export function expectedCloseDate(timeline: string | null, today: number): string {
  const days: Record<TimelineLevel, number> = { lt_3m: 45, m3_6: 135, m6_12: 270, none: 90 };
  const offset = days[timeline as TimelineLevel] ?? 90;
  const d = new Date(today + offset * DAY);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Company · need": the company (or the person, without one) and what they need — the
 * lead's next step, else the first line of its notes — cut to fit a name. */
export function opportunityName(
  lead: Pick<ConvertibleLead, 'company' | 'name' | 'next_step' | 'notes'>,
) {
  const who = lead.company?.trim() || lead.name?.trim() || '';
  const need = (lead.next_step?.trim() || lead.notes?.trim().split('\n')[0]?.trim() || '').slice(
    0,
    80,
  );
  return (need ? `${who} · ${need}` : who).slice(0, 200);
}

export function accountValues(lead: ConvertibleLead): Record<string, unknown> {
  return {
    name: lead.company?.trim() || lead.name,
    domain: websiteDomain(lead.website) ?? companyDomain(lead.email),
    industry: lead.industry,
    website: lead.website,
    country: lead.country,
    region: lead.region,
    city: lead.city,
    address: lead.address,
    owner_id: lead.owner_id,
  };
}

/** The contact a lead becomes. A number that is not a possible phone under the team's
 * region (a lead synced from a laptop set to another region, or typed before numbers
 * were checked) is kept in the notes rather than refusing the conversion. */
export function contactValues(
  lead: ConvertibleLead,
  accountId: string,
  region: string,
): Record<string, unknown> {
  const usable = (p: string | null) => (p && phoneKey(p, region) ? p : null);
  const kept = [lead.phone, lead.mobile].filter((p) => p && !usable(p));
  return {
    notes: kept.length ? kept.join('\n') : null,
    name: lead.name,
    family_name: lead.family_name,
    given_name: lead.given_name,
    account_id: accountId,
    title: lead.title,
    email: lead.email,
    phone: usable(lead.phone),
    mobile: usable(lead.mobile),
    wechat: lead.wechat,
    owner_id: lead.owner_id,
    lead_id: lead.id,
  };
}

/** The opportunity a lead becomes: amount from the BANT budget when one was given,
 * expected close from the timeline, owner, source and event carried over. */
export function opportunityValues(
  lead: ConvertibleLead,
  links: { accountId: string; contactId: string },
  today: number,
): Record<string, unknown> {
  const known = lead.budget_amount !== null && lead.budget !== 'none';
  return {
    name: opportunityName(lead),
    account_id: links.accountId,
    contact_id: links.contactId,
    lead_id: lead.id,
    owner_id: lead.owner_id,
    amount: known ? lead.budget_amount : null,
    currency: known ? lead.currency : null,
    expected_close_date: expectedCloseDate(lead.timeline, today),
    source: lead.source,
    campaign_id: lead.campaign_id,
    next_step: lead.next_step,
    next_step_date: lead.next_step_date,
  };
}
