// An account's (company's) write use cases: its phone must be a possible number.
import type { WriteTx } from '../store/store.js';
import { assertPhones } from './fieldRules.js';
import { insertRecordIn, liveRecord, patchRecordIn } from './recordRows.js';

type Values = Record<string, unknown>;
const PHONE_FIELDS = ['phone'] as const;

/** `id`: a derived id, for an account every device must create alike (a conversion). */
export function createAccountIn(tx: WriteTx, input: Values, id?: string): string {
  const values = { ...input };
  assertPhones(tx, values, PHONE_FIELDS);
  return insertRecordIn(tx, 'accounts', values, id);
}

export function updateAccountIn(tx: WriteTx, id: string, input: Values): boolean {
  liveRecord(tx, 'accounts', id);
  const patch = { ...input };
  assertPhones(tx, patch, PHONE_FIELDS);
  return patchRecordIn(tx, 'accounts', id, patch);
}
