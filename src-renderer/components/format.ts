// Numbers, money and dates go through Intl, in the UI language. Formatters are costly to
// build (tens of µs) and a scrolling list formats hundreds of cells a second, so they are
// made once per locale and options.

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

export function currencyDigits(currency: string): number {
  try {
    return (
      numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Money is stored as integer minor units; shown in the major unit of its currency. */
export function formatMoney(
  minor: number | null | undefined,
  currency: string | null | undefined,
  locale: string,
): string {
  if (minor === null || minor === undefined) return '';
  const cur = currency ?? 'CNY';
  const digits = currencyDigits(cur);
  return numberFormat(locale, {
    style: 'currency',
    currency: cur,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

export function formatNumber(n: number, locale: string): string {
  return numberFormat(locale).format(n);
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
