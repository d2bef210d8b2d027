import { ApiError } from '../../src-main/contract/index.js';
import i18n from '../i18n/index.js';

/** A user-facing sentence for any failure, in the UI language. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return i18n.t(`errors.${err.code}`);
  return i18n.t('errors.INTERNAL');
}

/** Field → message, from a BAD_INPUT error's issues. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !err.issues) return {};
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    // Updates nest their fields under `patch`.
    const field = issue.path.replace(/^patch\./, '').split('.')[0] ?? '';
    out[field] ??= /required|too_small|>=1/i.test(issue.message)
      ? i18n.t('errors.required')
      : i18n.t('errors.invalid');
  }
  return out;
}
