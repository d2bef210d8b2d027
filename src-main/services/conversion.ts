// Converting a lead (F6), one transaction: find its account (same company name without
// legal form, or its business email / website domain) and contact (same email or phone
// in E.164) — or create them —, create the opportunity in the first open stage, link the
// lead's activities and open tasks to it and the contact, and mark the lead converted
// (read-only from then on). What it creates has ids derived from the lead's, so two
// laptops converting the same lead offline end up, once synced, with one of each.
import {
  ApiError,
  type ConversionCandidates,
  type ConversionResult,
  type LeadRow,
  type OpportunityRow,
} from '../contract/index.js';
import {
  accountMatchReasons,
  accountValues,
  companyDomain,
  contactMatchReasons,
  contactValues,
  conversionIds,
  opportunityValues,
  websiteDomain,
  type ConvertibleLead,
} from '../domain/conversion.js';
import { companyCore } from '../domain/dedupe.js';
import { toFtsQuery } from '../domain/searchText.js';
import { derivedId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { fullTextCandidates, identityTerms } from './duplicates.js';
import { createAccountIn } from './accounts.js';
import { updateActivityIn } from './activities.js';
import { createContactIn } from './contacts.js';
import { leadChangedIn } from './leads.js';
import { createOpportunityIn } from './opportunities.js';
import { getRecord } from './recordRows.js';
import { readTeamSettings } from './settings.js';

/** Accounts looked at per email/web domain (a domain is rarely shared by more). */
const DOMAIN_CANDIDATES = 50;

/** The existing accounts and contacts a lead matches, strongest evidence first. The
 * full-text index narrows the candidates; domain/conversion.ts decides. */
export function conversionCandidates(r: Reader, lead: ConvertibleLead): ConversionCandidates {
  const region = readTeamSettings(r).phoneRegion;
  // Accounts: by company words, and by the lead's business domain (indexed column).
  const accountRows = new Map<string, { id: string; name: string | null; domain: string | null }>();
  const company = toFtsQuery(companyCore(lead.company) ?? '', { prefix: false });
  if (company)
    for (const a of r.all(
      fullTextCandidates(r, 'accounts', company).select([
        'accounts.id',
        'accounts.name',
        'accounts.domain',
      ]),
    ) as { id: string; name: string | null; domain: string | null }[])
      accountRows.set(a.id, a);
  const domains = [companyDomain(lead.email), websiteDomain(lead.website)].filter(
    (d): d is string => d !== null,
  );
  if (domains.length)
    for (const a of r.all(
      r.qb
        .selectFrom('accounts')
        .select(['id', 'name', 'domain'])
        .where('domain', 'in', domains)
        .where('deleted_at', 'is', null)
        .limit(DOMAIN_CANDIDATES),
    ))
      accountRows.set(a.id, a);
  const accounts = [...accountRows.values()]
    .map((a) => ({ ...a, name: a.name ?? '', reasons: accountMatchReasons(lead, a) }))
    .filter((a) => a.reasons.length)
    .sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name));

  // Contacts: by email and phone, as the capture form's duplicate lookup finds them.
  const terms = identityTerms(lead, region);
  const contactRows = terms.length
    ? (r.all(
        fullTextCandidates(r, 'contacts', terms.map((t) => `(${t})`).join(' OR '))
          .leftJoin('accounts', 'accounts.id', 'contacts.account_id')
          .select([
            'contacts.id',
            'contacts.name',
            'contacts.email',
            'contacts.phone',
            'contacts.mobile',
            'contacts.account_id',
            'accounts.name as account_name',
          ]),
      ) as {
        id: string;
        name: string | null;
        email: string | null;
        phone: string | null;
        mobile: string | null;
        account_id: string | null;
        account_name: string | null;
      }[])
    : [];
  const contacts = contactRows
    .map((c) => ({
      id: c.id,
      name: c.name ?? '',
      email: c.email,
      phone: c.phone ?? c.mobile,
      accountId: c.account_id,
      accountName: c.account_name,
      reasons: contactMatchReasons(lead, c, region),
    }))
    .filter((c) => c.reasons.length)
    .sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name));
  return { accounts, contacts };
}

function convertibleLead(r: Reader, id: string): LeadRow & ConvertibleLead {
  return getRecord(r, 'leads', id) as LeadRow & ConvertibleLead;
}

export function leadConversionCandidates(r: Reader, leadId: string): ConversionCandidates {
  return conversionCandidates(r, convertibleLead(r, leadId));
}

/** An existing record chosen for the conversion, or null to create one. "auto" takes
 * the single match and refuses when several match: the user chooses. */
function choose(
  r: Reader,
  choice: string,
  matches: readonly { id: string }[],
  table: 'accounts' | 'contacts',
  path: 'account' | 'contact',
): string | null {
  if (choice === 'new') return null;
  if (choice === 'auto') {
    if (matches.length > 1)
      throw new ApiError('CONFLICT', `several ${table} match this lead; choose one or create new`, [
        { path, message: 'several match' },
      ]);
    return matches[0]?.id ?? null;
  }
  const row = r.first(
    r.qb.selectFrom(table).select('id').where('id', '=', choice).where('deleted_at', 'is', null),
  );
  if (!row)
    throw new ApiError('BAD_INPUT', `${path} does not name a live record`, [
      { path, message: 'unknown record' },
    ]);
  return row.id;
}

export interface ConvertOptions {
  id: string;
  account: string;
  contact: string;
}

export function convertLead(store: Store, input: ConvertOptions): ConversionResult {
  return store.write((tx) => convertLeadIn(tx, input));
}

export function convertLeadIn(tx: WriteTx, input: ConvertOptions): ConversionResult {
  const lead = convertibleLead(tx, input.id);
  if (lead.deleted_at !== null)
    throw new ApiError('CONFLICT', 'a deleted lead cannot be converted; restore it first');
  if (lead.status === 'converted') throw new ApiError('CONFLICT', 'this lead is already converted');
  if (!lead.name?.trim())
    throw new ApiError('BAD_INPUT', 'a lead needs a name to be converted', [
      { path: 'name', message: 'is required' },
    ]);
  const candidates = conversionCandidates(tx, lead);
  const existingAccount = choose(tx, input.account, candidates.accounts, 'accounts', 'account');
  // Contacts at the chosen account come first: the same person elsewhere is a weaker
  // match than the same person at this company.
  const atAccount = candidates.contacts.filter((c) => c.accountId === existingAccount);
  const existingContact = choose(
    tx,
    input.contact,
    existingAccount && atAccount.length ? atAccount : candidates.contacts,
    'contacts',
    'contact',
  );
  const accountId =
    existingAccount ??
    createAccountIn(tx, accountValues(lead), derivedId(conversionIds.account, lead.id));
  const contactId =
    existingContact ??
    createContactIn(
      tx,
      contactValues(lead, accountId, readTeamSettings(tx).phoneRegion),
      derivedId(conversionIds.contact, lead.id),
    );
  const opportunityId = createOpportunityIn(
    tx,
    opportunityValues(lead, { accountId, contactId }, tx.now),
    derivedId(conversionIds.opportunity, lead.id),
  );
  // The lead's history goes along: its activities and open tasks now also belong to the
  // opportunity and the contact (and stay on the lead).
  const activities = tx.all(
    tx.qb
      .selectFrom('activities')
      .select('id')
      .where('lead_id', '=', lead.id)
      .where('deleted_at', 'is', null),
  );
  for (const a of activities)
    updateActivityIn(tx, a.id, {
      opportunity_id: opportunityId,
      contact_id: contactId,
    });
  // Converted only through here (the update rules refuse it otherwise); what follows a
  // lead change (learning, rescoring) still runs.
  const patch = {
    status: 'converted',
    converted_at: tx.now,
    converted_opportunity_id: opportunityId,
    converted_account_id: accountId,
    converted_contact_id: contactId,
  };
  tx.update('leads', lead.id, patch);
  leadChangedIn(tx, lead as unknown as Record<string, unknown>, patch);
  return {
    opportunity: getRecord(tx, 'opportunities', opportunityId) as OpportunityRow,
    accountId,
    contactId,
    accountCreated: existingAccount === null,
    contactCreated: existingContact === null,
    activitiesLinked: activities.length,
  };
}
