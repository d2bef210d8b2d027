import { ApiError, type ApiIssue } from '../../src-main/contract/index.js';
import i18n from '../i18n/index.js';

/** A user-facing sentence for any failure, in the UI language. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return i18n.t(`errors.${err.code}`);
  return i18n.t('errors.INTERNAL');
}

/** One issue in words the user can act on ("too long: at most 200 characters"). */
export function issueText(issue: ApiIssue): string {
  const m = issue.message;
  if (/required when the lead is unqualified/.test(m)) return i18n.t('errors.reasonRequired');
  if (/required/i.test(m) || (issue.code === 'too_small' && issue.limit === 1))
    return i18n.t('errors.required');
  if (/email/i.test(m)) return i18n.t('errors.email');
  if (/phone/i.test(m)) return i18n.t('errors.phone');
  if (/year 10000/.test(m)) return i18n.t('errors.dateRange');
  if (/YYYY-MM-DD/.test(m)) return i18n.t('errors.date');
  if (/unknown (record|stage)/.test(m)) return i18n.t('errors.unknownRecord');
  if (issue.code === 'too_big' && issue.limit !== undefined)
    return i18n.t('errors.tooLong', { max: issue.limit });
  return i18n.t('errors.invalid');
}

/** Field → message, from a BAD_INPUT error's issues. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !err.issues) return {};
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    // Updates nest their fields under `patch`.
    const field = issue.path.replace(/^patch\./, '').split('.')[0] ?? '';
    out[field] ??= issueText(issue);
  }
  return out;
}
