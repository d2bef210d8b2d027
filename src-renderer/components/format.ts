// Numbers, money and dates go through Intl, in the UI language.

export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
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
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: cur,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatDate(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(ms));
}

/** Compact numeric date for table cells: 2026/11/26, 11/26/2026. */
export function formatShortDate(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

export function formatDateTime(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(ms),
  );
}
