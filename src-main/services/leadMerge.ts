// The merge screen's use cases: find groups of duplicate leads, merge a group into one
// survivor (the values the user chose, activities moved, the others deleted and linked to
// it), and undo a merge. Each is one transaction.
import {
  ApiError,
  duplicateDismissalFields,
  parseList,
  type DuplicateGroupView,
  type LeadRow,
} from '../contract/index.js';
import { emailsOf, phoneDigits, phoneTextsOf } from '../domain/dedupe.js';
import { findDuplicateGroups, pairKey } from '../domain/duplicateGroups.js';
import { identityFields, likeness, type IdentityField } from '../domain/samePerson.js';
import { derivedId, newId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { setLeadDeletedIn, updateLeadIn } from './leads.js';
import { getRecord } from './recordRows.js';
import { rescoreLeadIn } from './scoring.js';
import { readTeamSettings } from './settings.js';

/** Groups of live, unconverted leads that look like one person, most certain first, with
 * what identifies them that disagrees. Pairs a person dismissed are never grouped again.
 * Reads every lead's contact columns once (about a second for 100 000 leads). */
export function duplicateGroups(r: Reader, limit: number): DuplicateGroupView[] {
  const leads = r.all(
    r.qb
      .selectFrom('leads')
      .select([
        'id',
        'name',
        'company',
        'email',
        'phone',
        'mobile',
        'other_phones',
        'other_emails',
        'source_system',
        'source_record_id',
      ])
      .where('deleted_at', 'is', null)
      .where('status', '!=', 'converted'),
  );
  const region = readTeamSettings(r).phoneRegion;
  const groups = findDuplicateGroups(leads, region, dismissedPairs(r)).slice(0, limit);
  const ids = groups.flatMap((g) => g.ids);
  const rows = new Map<string, LeadRow>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of r.all(
      r.qb
        .selectFrom('leads')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500)),
    ))
      rows.set(row.id, row as LeadRow);
  }
  return groups.map((g) => {
    const members = g.ids
      .map((id) => rows.get(id)!)
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    const differs = new Set<IdentityField>();
    for (const other of members.slice(1))
      for (const f of likeness(members[0]!, other, region)?.differs ?? []) differs.add(f);
    return {
      reasons: g.reasons,
      confidence: g.confidence,
      differs: identityFields.filter((f) => differs.has(f)),
      leads: members,
    };
  });
}

function dismissedPairs(r: Reader): Set<string> {
  const rows = r.all(
    r.qb
      .selectFrom('duplicate_dismissals')
      .select(['lead_id', 'other_lead_id'])
      .where('deleted_at', 'is', null),
  );
  return new Set(
    rows
      .filter((d) => d.lead_id && d.other_lead_id)
      .map((d) => pairKey(d.lead_id!, d.other_lead_id!)),
  );
}

/** "These are different people": every pair of `ids` is kept apart from now on, on every
 * laptop of the team (the rows sync). The pair's row id is derived from the pair, so the
 * same pair dismissed twice, or on two laptops offline, is one row. */
export function dismissDuplicates(store: Store, ids: readonly string[]): { dismissed: number } {
  const unique = [...new Set(ids)];
  if (unique.length < 2)
    throw new ApiError('BAD_INPUT', 'at least two different leads are needed', [
      { path: 'ids', message: 'needs two different leads' },
    ]);
  return store.write((tx) => {
    for (const id of unique) getRecord(tx, 'leads', id);
    let dismissed = 0;
    for (let i = 0; i < unique.length; i++)
      for (let j = i + 1; j < unique.length; j++) {
        const [a, b] = [unique[i]!, unique[j]!].sort() as [string, string];
        const id = derivedId('duplicate-dismissal', `${a}|${b}`);
        const existing = tx.first(
          tx.qb
            .selectFrom('duplicate_dismissals')
            .select(['id', 'deleted_at'])
            .where('id', '=', id),
        );
        if (existing && existing.deleted_at === null) continue;
        if (existing) tx.restore('duplicate_dismissals', id);
        else
          tx.insert(
            'duplicate_dismissals',
            duplicateDismissalFields.parse({
              lead_id: a,
              other_lead_id: b,
              dismissed_by: tx.author,
            }),
            id,
          );
        dismissed++;
      }
    return { dismissed };
  });
}

function liveLead(tx: WriteTx, id: string): Record<string, unknown> {
  const lead = getRecord(tx, 'leads', id) as unknown as Record<string, unknown>;
  if (lead.deleted_at !== null) throw new ApiError('CONFLICT', `lead ${id} is deleted`);
  if (lead.status === 'converted')
    throw new ApiError('CONFLICT', 'a converted lead cannot be merged');
  return lead;
}

/** Merges `otherIds` into `survivorId`: the survivor takes `values` (the field values the
 * user picked), every activity of the others moves to it, and the others are deleted with
 * a link to it. */
export function mergeLeads(
  store: Store,
  input: { survivorId: string; otherIds: string[]; values: Record<string, unknown> },
): { mergeId: string; survivor: LeadRow } {
  const others = [...new Set(input.otherIds)];
  if (others.includes(input.survivorId))
    throw new ApiError('BAD_INPUT', 'the surviving lead cannot also be merged away', [
      { path: 'otherIds', message: 'contains the survivor' },
    ]);
  return store.write((tx) => {
    const survivor = liveLead(tx, input.survivorId);
    const merged = others.map((id) => liveLead(tx, id));
    // Every number and address of the merged leads stays on the survivor: those not
    // picked for its phone, mobile or email join its other phones and emails.
    const values = { ...input.values, ...keptContacts({ ...survivor, ...input.values }, merged) };
    const changed = Object.keys(values).filter((f) => survivor[f] !== values[f]);
    const before = Object.fromEntries(changed.map((f) => [f, survivor[f] ?? null]));
    if (changed.length)
      updateLeadIn(tx, input.survivorId, Object.fromEntries(changed.map((f) => [f, values[f]])));
    const after = getRecord(tx, 'leads', input.survivorId) as unknown as Record<string, unknown>;
    const moved: { id: string; from: string }[] = [];
    for (const id of others) {
      for (const a of tx.all(
        tx.qb.selectFrom('activities').select('id').where('lead_id', '=', id),
      )) {
        tx.update('activities', a.id, { lead_id: input.survivorId });
        moved.push({ id: a.id, from: id });
      }
      tx.update('leads', id, { merged_into_id: input.survivorId });
      setLeadDeletedIn(tx, id, true);
    }
    // The survivor's engagement now includes the activities it received.
    if (moved.length) rescoreLeadIn(tx, input.survivorId);
    const mergeId = newId();
    tx.insertLocal('lead_merges', {
      id: mergeId,
      survivor_id: input.survivorId,
      merged_ids: JSON.stringify(others),
      before: JSON.stringify(before),
      after: JSON.stringify(Object.fromEntries(changed.map((f) => [f, after[f] ?? null]))),
      moved_activities: JSON.stringify(moved),
      merged_at: tx.now,
      undone_at: null,
    });
    return { mergeId, survivor: after as unknown as LeadRow };
  });
}

/** The survivor's other phones and emails once the merged leads' are added (only the
 * lists that grow). */
function keptContacts(
  survivor: Record<string, unknown>,
  merged: readonly Record<string, unknown>[],
): Record<string, string> {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const out: Record<string, string> = {};
  const phones = (l: Record<string, unknown>) =>
    phoneTextsOf({
      phone: text(l.phone),
      mobile: text(l.mobile),
      other_phones: text(l.other_phones),
    });
  const emails = (l: Record<string, unknown>) =>
    emailsOf({ email: text(l.email), other_emails: text(l.other_emails) });
  const grow = (field: 'other_phones' | 'other_emails', have: string[], list: string[]) => {
    // Phones compare by their last 10 digits, so "+86 138-0013-8000" is 13800138000.
    const same = (x: string) => (field === 'other_phones' ? phoneDigits(x) : x);
    const seen = new Set(have.map(same));
    const missing: string[] = [];
    for (const x of merged.flatMap(field === 'other_phones' ? phones : emails))
      if (!seen.has(same(x))) {
        seen.add(same(x));
        missing.push(x);
      }
    if (missing.length) out[field] = JSON.stringify([...list, ...missing].slice(0, 20));
  };
  grow('other_phones', phones(survivor), parseList(text(survivor.other_phones)));
  grow('other_emails', emails(survivor), parseList(text(survivor.other_emails)));
  return out;
}

/** Undoes a merge: the merged leads come back, their activities return to them, and the
 * survivor's fields go back where nobody has edited them since. */
export function undoMerge(store: Store, mergeId: string): { restored: number } {
  return store.write((tx) => {
    const merge = tx.first(tx.qb.selectFrom('lead_merges').selectAll().where('id', '=', mergeId));
    if (!merge) throw new ApiError('NOT_FOUND', `merge ${mergeId} not found`);
    if (merge.undone_at !== null) throw new ApiError('CONFLICT', 'this merge was already undone');
    const others = JSON.parse(merge.merged_ids) as string[];
    for (const id of others) {
      setLeadDeletedIn(tx, id, false);
      tx.update('leads', id, { merged_into_id: null });
    }
    for (const m of JSON.parse(merge.moved_activities) as { id: string; from: string }[]) {
      const activity = getRecord(tx, 'activities', m.id);
      if (activity.lead_id === merge.survivor_id)
        tx.update('activities', m.id, { lead_id: m.from });
    }
    for (const id of new Set([merge.survivor_id, ...others])) rescoreLeadIn(tx, id);
    const survivor = getRecord(tx, 'leads', merge.survivor_id) as unknown as Record<
      string,
      unknown
    >;
    const before = JSON.parse(merge.before) as Record<string, unknown>;
    const after = JSON.parse(merge.after) as Record<string, unknown>;
    const back = Object.fromEntries(
      Object.entries(before).filter(([f]) => survivor[f] === after[f]),
    );
    if (Object.keys(back).length && survivor.deleted_at === null)
      tx.update('leads', merge.survivor_id, back);
    tx.updateLocal('lead_merges', { column: 'id', value: mergeId }, { undone_at: tx.now });
    return { restored: others.length };
  });
}
