// Numbers, money and dates go through Intl, in the UI language. Formatters are costly to
// build (tens of µs) and a scrolling list formats hundreds of cells a second, so they are
// made once per locale and options.
import { currencyDigits } from '../../src-main/contract/index.js';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

export { currencyDigits };

/** Money is stored as integer minor units; shown in the major unit of its currency. */
/** Money from minor units. `whole`: rounded to the major unit — forecasts (amount ×
 * probability) and totals, where cents are noise that makes columns hard to read. */
export function formatMoney(
  minor: number | null | undefined,
  currency: string | null | undefined,
  locale: string,
  options: { whole?: boolean } = {},
): string {
  if (minor === null || minor === undefined) return '';
  const cur = currency ?? 'CNY';
  const digits = currencyDigits(cur);
  return numberFormat(locale, {
    style: 'currency',
    currency: cur,
    ...(options.whole
      ? { minimumFractionDigits: 0, maximumFractionDigits: 0 }
      : { maximumFractionDigits: digits }),
  }).format(minor / 10 ** digits);
}

export function formatNumber(n: number, locale: string): string {
  return numberFormat(locale).format(n);
}

/** A share (0–1) as a whole percentage: 42 %, 42%. */
export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
    share,
  );
}

export function formatDate(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return dateFormat(locale, { dateStyle: 'medium' }).format(new Date(ms));
}

/** Compact numeric date for table cells: 2026/11/26, 11/26/2026. */
export function formatShortDate(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return dateFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ms),
  );
}

export function formatDateTime(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** Money typed by a user ("12,345.50", "1 234") → integer minor units; NaN when it is not a
 * non-negative amount with at most the currency's decimals. Done on the decimal text, not
 * through a float, so 0.29 does not become 28 fen. */
export function majorToMinor(text: string, currency: string): number {
  const digits = currencyDigits(currency);
  const clean = text.replace(/[\s,_'’]/g, '');
  const m = /^(\d{1,15})(?:\.(\d*))?$/.exec(clean);
  if (!m) return NaN;
  const frac = m[2] ?? '';
  if (frac.length > digits) return NaN;
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : NaN;
}

/** Integer minor units → plain decimal text for an input field ("12345.5" → "12345.50"). */
export function minorToMajorText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** A time left, rounded the way people say it: "8 秒", "3 minutes". */
export function formatDuration(ms: number, locale: string): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90)
    return numberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(
      seconds,
    );
  return numberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(
    Math.round(seconds / 60),
  );
}

/** A time spent (in a stage): minutes under an hour, hours under two days, then days. */
export function formatSpan(ms: number, locale: string): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const unit = (value: number, u: 'minute' | 'hour' | 'day') =>
    numberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'long' }).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.round(hours / 24), 'day');
}

/** The same written amount in another currency's minor units: ¥12,000.50 re-labelled as
 * JPY is ¥12,001 (JPY has no minor unit; rounded half up), as USD $12,000.50. Changing a
 * deal's currency keeps the number the rep sees; it is not an exchange. */
export function rescaleMinor(minor: number, from: string, to: string): number {
  const shift = currencyDigits(to) - currencyDigits(from);
  return shift >= 0 ? minor * 10 ** shift : Math.round(minor / 10 ** -shift);
}

/** A name kept in both languages (a stage), in the reader's. */
export function localName(
  item: { name_zh?: string | null; name_en?: string | null },
  language: string,
): string {
  return (language === 'zh-CN' ? item.name_zh : item.name_en) ?? '';
}
