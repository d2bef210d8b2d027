import { z } from 'zod';
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
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return new ApiError('CONFLICT', 'the record conflicts with an existing one');
  }
  if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')) {
    return new ApiError('BUSY', 'the database is busy saving an import; try again in a moment');
  }
  // The transaction was rolled back: what was saved before is intact.
  if (code === 'SQLITE_FULL')
    return new ApiError(
      'DISK_FULL',
      'the disk is full: this change was not saved; free some space and try again',
    );
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
    return new ApiError('READ_ONLY', 'this workspace is read-only: nothing can be saved to it');
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'))
    return new ApiError(
      'DAMAGED',
      'the workspace file is damaged: restore a backup (Settings › Backups)',
    );
  if (code === 'SQLITE_IOERR' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR_')))
    return new ApiError(
      'DISK_FULL',
      'the disk could not be written (full, removed or failing): this change was not saved',
    );
  console.error('leadbook: internal error', err);
  return new ApiError('INTERNAL', 'internal error; see the application log');
}

export function errorShape(err: unknown): ApiErrorShape {
  return toApiError(err).toJSON();
}
