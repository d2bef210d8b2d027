// Field rules several entities share, run by their write use cases before a row is
// written: a phone field holds a possible number, and money comes with a currency.
import { ApiError } from '../contract/index.js';
import { phoneKey } from '../domain/dedupe.js';
import type { Reader } from '../store/readQuery.js';
import { readTeamSettings } from './settings.js';

/** A phone field holds a possible number, read with the team's default region: "12345" or
 * "+86 123" is refused with a clear message instead of being stored. */
export function assertPhones(
  r: Reader,
  values: Record<string, unknown>,
  fields: readonly string[],
): void {
  let region: string | undefined;
  for (const field of fields) {
    const value = values[field];
    if (typeof value !== 'string' || value === '') continue;
    region ??= readTeamSettings(r).phoneRegion;
    if (!phoneKey(value, region)) {
      throw new ApiError('BAD_INPUT', `${field} is not a possible phone number`, [
        { path: field, message: 'is not a possible phone number' },
      ]);
    }
  }
}

/** A money field given without a currency is in the team's currency. */
export function defaultCurrency(r: Reader, values: Record<string, unknown>, amountField: string) {
  if (values[amountField] != null && values.currency == null)
    values.currency = readTeamSettings(r).currency;
}
