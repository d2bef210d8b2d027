// One-click conversion (F6): a lead becomes an opportunity, with its account and contact
// found or created. "auto" takes the one match (or creates one when none matches) and
// refuses when several match, so the dialog can ask.
import { z } from 'zod';
import type { OpportunityRow } from './entities.js';
import { idSchema } from './fields.js';

export const accountMatchReasonKinds = ['name', 'domain'] as const;
export type AccountMatchReason = (typeof accountMatchReasonKinds)[number];
export const contactMatchReasonKinds = ['email', 'phone'] as const;
export type ContactMatchReason = (typeof contactMatchReasonKinds)[number];

/** An existing record's id, "new" to create one, or "auto" to decide by the matches. */
export const conversionChoice = z.union([z.literal('auto'), z.literal('new'), idSchema]);

export const convertInput = z.strictObject({
  id: idSchema,
  account: conversionChoice.default('auto'),
  contact: conversionChoice.default('auto'),
});

export interface ConversionCandidates {
  accounts: { id: string; name: string; domain: string | null; reasons: AccountMatchReason[] }[];
  contacts: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    accountId: string | null;
    accountName: string | null;
    reasons: ContactMatchReason[];
  }[];
}

export interface ConversionResult {
  opportunity: OpportunityRow;
  accountId: string;
  contactId: string;
  accountCreated: boolean;
  contactCreated: boolean;
  /** Activities (and open tasks) of the lead now linked to the opportunity and contact. */
  activitiesLinked: number;
}
