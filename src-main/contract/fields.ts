// Field schemas shared by every entity. This folder is the one contract between the main
// process and the renderer: it may import `zod` and nothing else (enforced by lint), so
// the renderer bundle never pulls in Node code.
import { z } from 'zod';

/** Record ids are UUID-shaped text made on the device (v7 for new rows, derived ids for
 * conversions), so accept any RFC-4122-shaped id rather than one version. */
export const idSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a record id');

/** Optional text: blank input is stored as null so "cleared" and "never set" look the same. */
export const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

export const reqText = (max: number) => z.string().trim().min(1, 'is required').max(max);

export const optEmail = z
  .string()
  .trim()
  .max(254)
  .transform((s) => (s === '' ? null : s.toLowerCase()))
  .refine((s) => s === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), 'is not an email address')
  .nullable()
  .optional();

/** A phone number as people write it: digits with + ( ) - . / spaces, an extension
 * ("x12", "ext. 12"), and the pause/wait marks (`,` `;` `p` `w`) phones dial through to an
 * extension. One digit is enough: "9" is a real internal number at many switchboards. */
export const PHONE_TEXT =
  /^(?=[^\d]*\d)[+0-9()\-.\s/x#*,;pw]{1,40}$|^(?=[^\d]*\d)[+0-9()\-.\s/#*]{1,30}\s*ext\.?\s*\d{1,8}$/i;

export const optPhone = z
  .string()
  .trim()
  .max(40)
  .transform((s) => (s === '' ? null : s))
  .refine((s) => s === null || PHONE_TEXT.test(s), 'is not a phone number')
  .nullable()
  .optional();

/** Money is an integer count of minor units (cents, fen) — never a float. */
export const optMoney = z
  .int('must be a whole number of minor units')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .nullable()
  .optional();

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like CNY');
export const optCurrency = currencySchema.nullable().optional();

const digitsCache = new Map<string, number>();
/** Decimal places of a currency's minor unit (CNY 2, JPY 0, KWD 3): money is stored in
 * minor units, so every conversion to and from the major unit goes through this. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Date-only fields are YYYY-MM-DD text (an expected close date has no time zone). */
export const optDate = z.iso.date('must be a date YYYY-MM-DD').nullable().optional();

/** Instants are integer milliseconds since the epoch, UTC, up to the end of year 9999 (a
 * due date in year 20000 is a typo, not a plan). */
export const MAX_INSTANT = 253_402_300_799_999;
export const optInstant = z
  .int()
  .min(0)
  .max(MAX_INSTANT, 'must be a date before the year 10000')
  .nullable()
  .optional();

export const optRef = idSchema.nullable().optional();

/** JSON documents kept in one text column (rule conditions, view filters). */
export const optJson = z
  .unknown()
  .transform((v) => (v === undefined ? undefined : JSON.stringify(v)))
  .optional();

/** Short labels on a record, kept as one JSON array (duplicates dropped, order kept). */
export const optTags = z
  .array(z.string().trim().min(1, 'is required').max(40))
  .max(30)
  .transform((tags) => (tags.length ? JSON.stringify([...new Set(tags)]) : null))
  .nullable()
  .optional();

/** More values of one kind on a record (a lead's other phones or emails), kept as one
 * JSON array like tags: blanks and repeats dropped, order kept. */
export const optList = (maxItem: number, maxItems = 20) =>
  z
    .array(z.string().trim().max(maxItem))
    .max(maxItems)
    .transform((items) => {
      const kept = [...new Set(items.filter(Boolean))];
      return kept.length ? JSON.stringify(kept) : null;
    })
    .nullable()
    .optional();

/** Reads a JSON list column (tags, other phones, other emails) back into a list
 * (tolerant: a bad value from a peer is an empty list). */
export function parseList(value: string | null | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** Reads a tags column back into a list. */
export const parseTags = parseList;
