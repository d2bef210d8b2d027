// A lead's own use cases (F1–F4): created — checked, given an owner by the team's rules,
// scored and written, in that order, below —, edited, deleted and restored. What follows
// every change (the model learning from a lead that closed, the lead's score) is called
// here by name, not hooked in: this file reads top to bottom.
import { ApiError, type LeadRow } from '../contract/index.js';
import type { Store, WriteTx } from '../store/store.js';
import { assignCapturedLeadIn } from './assignment.js';
import { readDevice } from './device.js';
import { assertPhones, defaultCurrency } from './fieldRules.js';
import {
  getRecord,
  insertRecordIn,
  liveRecord,
  patchRecordIn,
  setRowDeletedIn,
} from './recordRows.js';
import { learnFromLeadChange, newLeadScore, rescoreLeadIn } from './scoring.js';

type Values = Record<string, unknown>;

const PHONE_FIELDS = ['phone', 'mobile'] as const;

/** `leads.create`: a lead captured by hand. Without an owner it goes where the team's
 * assignment rules send it, or else to whoever uses this laptop. */
export function captureLead(store: Store, input: Values): LeadRow {
  const deviceUser = readDevice(store).currentUserId;
  return store.write((tx) => {
    const values = checkNewLead(tx, { ...input });
    assignCapturedLeadIn(tx, values, deviceUser);
    return getRecord(tx, 'leads', writeNewLead(tx, values)) as LeadRow;
  });
}

/** A new lead inside a transaction (an import, a generic create): checked, scored and
 * written; its owner is whatever the values say (an import assigns its batch itself). */
export function createLeadIn(tx: WriteTx, input: Values): string {
  return writeNewLead(tx, checkNewLead(tx, { ...input }));
}

/** What a new lead must be: possible phone numbers, a status (new by default) that is
 * not "converted" (only conversion makes that), a reason when unqualified, and its budget
 * in the team's currency unless it says otherwise. */
function checkNewLead(tx: WriteTx, values: Values): Values {
  assertPhones(tx, values, PHONE_FIELDS);
  values.status ??= 'new';
  if (values.status === 'converted') refuseConverted();
  assertDisqualifyReason(values.status, values.disqualify_reason);
  defaultCurrency(tx, values, 'budget_amount');
  return values;
}

/** The lead's score is computed from the values it is created with and written by its
 * own insert (an import creates 100 000 of these: no second UPDATE each). */
function writeNewLead(tx: WriteTx, values: Values): string {
  return insertRecordIn(tx, 'leads', values, undefined, newLeadScore(tx, values));
}

/** Edits a lead; true when something changed. A converted lead is read-only. */
export function updateLeadIn(tx: WriteTx, id: string, input: Values): boolean {
  const before = liveRecord(tx, 'leads', id);
  if (before.status === 'converted')
    throw new ApiError('CONFLICT', 'a converted lead is read-only');
  const patch = { ...input };
  assertPhones(tx, patch, PHONE_FIELDS);
  if (patch.status === 'converted') refuseConverted();
  if (patch.status !== undefined || patch.disqualify_reason !== undefined)
    assertDisqualifyReason(
      patch.status ?? before.status,
      patch.disqualify_reason !== undefined ? patch.disqualify_reason : before.disqualify_reason,
    );
  if (patch.budget_amount != null && before.currency == null)
    defaultCurrency(tx, patch, 'budget_amount');
  // An owner chosen by hand: no rule assigned the lead any more.
  if (
    patch.owner_id !== undefined &&
    patch.owner_id !== before.owner_id &&
    patch.assigned_rule_id === undefined
  ) {
    patch.assigned_rule_id = null;
    patch.assigned_at = patch.owner_id ? tx.now : null;
  }
  const changed = patchRecordIn(tx, 'leads', id, patch);
  leadChangedIn(tx, before, patch);
  return changed;
}

/** Soft-deletes or restores a lead; true when it changed. */
export function setLeadDeletedIn(tx: WriteTx, id: string, deleted: boolean): boolean {
  const { before, changed } = setRowDeletedIn(tx, 'leads', id, deleted);
  if (changed) leadChangedIn(tx, before, { deleted_at: deleted ? tx.now : null });
  return changed;
}

/** What follows any change to a lead, including its conversion: the model learns from a
 * lead that closed (or forgets one that reopened), and the lead is scored again (its
 * score is derived on this device, never synced). */
export function leadChangedIn(tx: WriteTx, before: Values, patch: Values): void {
  learnFromLeadChange(tx, before, { ...before, ...patch });
  rescoreLeadIn(tx, before.id as string);
}

function refuseConverted(): never {
  throw new ApiError('BAD_INPUT', 'a lead becomes converted only through conversion', [
    { path: 'status', message: 'use convert' },
  ]);
}

/** An unqualified lead says why (the reason feeds the lost-reason reports). */
function assertDisqualifyReason(status: unknown, reason: unknown): void {
  if (status === 'unqualified' && (typeof reason !== 'string' || reason.trim() === ''))
    throw new ApiError('BAD_INPUT', 'an unqualified lead needs a reason', [
      { path: 'disqualify_reason', message: 'is required when the lead is unqualified' },
    ]);
}
