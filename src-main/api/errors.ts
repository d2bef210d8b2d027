import { z } from 'zod';
import { storageError } from '../services/storageErrors.js';
import { ApiError, type ApiErrorShape, type ApiIssue } from '../contract/index.js';
import { ClockDriftError } from '../domain/hlc.js';
import { InvalidChangeError, RowNotFoundError } from '../store/store.js';

export function zodToApiError(err: z.ZodError, what = 'input'): ApiError {
  const issues = err.issues.map((i): ApiIssue => {
    const bound = i.code === 'too_big' ? i.maximum : i.code === 'too_small' ? i.minimum : undefined;
    return {
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
      code: i.code,
      ...(typeof bound === 'number' ? { limit: bound } : {}),
      ...('origin' in i && typeof i.origin === 'string' ? { origin: i.origin } : {}),
    };
  });
  const first = issues[0];
  return new ApiError(
    'BAD_INPUT',
    first ? `invalid ${what}: ${first.path} ${first.message}` : `invalid ${what}`,
    issues,
  );
}

/** Maps anything thrown by a handler to the wire shape. Unknown errors are logged here
 * and cross the boundary as a generic message: no stack traces to clients. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return zodToApiError(err);
  if (err instanceof RowNotFoundError) return new ApiError('NOT_FOUND', err.message);
  if (err instanceof ClockDriftError) return new ApiError('CLOCK_DRIFT', err.message);
  if (err instanceof InvalidChangeError) return new ApiError('BAD_INPUT', err.message);
  const stored = storageError(err);
  if (stored) return stored;
  console.error('leadbook: internal error', err);
  return new ApiError('INTERNAL', 'internal error; see the application log');
}

export function errorShape(err: unknown): ApiErrorShape {
  return toApiError(err).toJSON();
}
