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
  // Dates travel as numbers: their bound is worded as a date, not as a number.
  if (/year 10000/.test(m)) return i18n.t('errors.dateRange');
  if (/YYYY-MM-DD/.test(m)) return i18n.t('errors.date');
  if (issue.origin === 'number' && issue.limit !== undefined)
    return issue.code === 'too_big'
      ? i18n.t('errors.tooHigh', { max: issue.limit })
      : i18n.t('errors.tooLow', { min: issue.limit });
  if (/required/i.test(m) || (issue.code === 'too_small' && issue.limit === 1))
    return i18n.t('errors.required');
  if (/email/i.test(m)) return i18n.t('errors.email');
  if (/phone/i.test(m)) return i18n.t('errors.phone');
  if (/unknown (record|stage|user)/.test(m)) return i18n.t('errors.unknownRecord');
  if (/regular expression/.test(m)) return i18n.t('errors.pattern');
  if (/warm threshold/.test(m)) return i18n.t('errors.gradeOrder');
  if (/choose the rep/.test(m)) return i18n.t('errors.repRequired');
  if (/pool needs/.test(m)) return i18n.t('errors.poolEmpty');
  if (/listed twice/.test(m)) return i18n.t('errors.repTwice');
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
