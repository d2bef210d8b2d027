// A contact's (person's) write use cases: their phone and mobile must be possible numbers.
import type { WriteTx } from '../store/store.js';
import { assertPhones } from './fieldRules.js';
import { insertRecordIn, liveRecord, patchRecordIn } from './recordRows.js';

type Values = Record<string, unknown>;
const PHONE_FIELDS = ['phone', 'mobile'] as const;

/** `id`: a derived id, for a contact every device must create alike (a conversion). */
export function createContactIn(tx: WriteTx, input: Values, id?: string): string {
  const values = { ...input };
  assertPhones(tx, values, PHONE_FIELDS);
  return insertRecordIn(tx, 'contacts', values, id);
}

export function updateContactIn(tx: WriteTx, id: string, input: Values): boolean {
  liveRecord(tx, 'contacts', id);
  const patch = { ...input };
  assertPhones(tx, patch, PHONE_FIELDS);
  return patchRecordIn(tx, 'contacts', id, patch);
}
