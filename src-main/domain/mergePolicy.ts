// How a new record's values join an existing one (import "merge", later the merge screen):
// empty fields are filled, a non-empty value is never overwritten — the difference is
// reported instead (a different phone or email also joins the lead's other phones or
// emails) — notes are appended, tags and the other phones/emails combined.
import { parseList } from '../contract/fields.js';
import { phoneDigits } from './dedupe.js';

/** Fields holding a JSON list: combined, never in conflict. */
const LISTS = new Set(['tags', 'other_phones', 'other_emails']);
/** Where a different phone or email offered for a lead that has one is kept. */
const SECOND_PLACE: Record<string, string> = {
  phone: 'other_phones',
  mobile: 'other_phones',
  email: 'other_emails',
};

export interface MergeConflict {
  field: string;
  kept: unknown;
  offered: unknown;
}

export interface MergePlan {
  /** Fields to set on the existing record. */
  patch: Record<string, unknown>;
  /** Fields where both had a different value: the existing one was kept. */
  conflicts: MergeConflict[];
}

/** Phones compare by their last ten digits ("+86 138-0013-8000" is 13800138000), other
 * values case-blind. */
const comparable = (field: string, v: unknown) =>
  field === 'phone' || field === 'mobile' ? phoneDigits(String(v)) : String(v).toLowerCase();

const empty = (v: unknown) => v === null || v === undefined || v === '';

/** Both sides hold stored-form values (tags as a JSON list, as the schema outputs); so
 * does the patch. */
export function planMerge(
  existing: Readonly<Record<string, unknown>>,
  incoming: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): MergePlan {
  const patch: Record<string, unknown> = {};
  const conflicts: MergeConflict[] = [];
  for (const field of fields) {
    const offered = incoming[field];
    if (empty(offered)) continue;
    const kept = existing[field];
    if (field === 'notes') {
      const have = typeof kept === 'string' ? kept : '';
      if (!have.includes(String(offered)))
        patch.notes = have ? `${have}\n${String(offered)}` : offered;
    } else if (LISTS.has(field)) {
      const have = parseList((patch[field] ?? kept) as string | null);
      const all = [...new Set([...have, ...parseList(offered as string)])].slice(0, 20);
      if (all.length !== have.length) patch[field] = JSON.stringify(all);
    } else if (empty(kept)) {
      patch[field] = offered;
    } else if (comparable(field, kept) !== comparable(field, offered)) {
      conflicts.push({ field, kept, offered });
      // A second number or address is not a conflict to lose: it joins the others.
      const list = SECOND_PLACE[field];
      if (list && fields.includes(list)) {
        const have = parseList((patch[list] ?? existing[list]) as string | null);
        const all = [...new Set([...have, String(offered)])].slice(0, 20);
        if (all.length !== have.length) patch[list] = JSON.stringify(all);
      }
    }
  }
  return { patch, conflicts };
}
