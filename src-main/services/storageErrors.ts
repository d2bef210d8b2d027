// What a failed write of the database means to a user, from SQLite's error code: the one
// wording for the API (api/errors.ts) and for the workers that write on their own
// connections (an import), whose failures reach the user as the job's error.
import { ApiError } from '../contract/index.js';

/** The user-facing error for a SQLite failure, or null when it is not one. */
export function storageError(err: unknown): ApiError | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_CONSTRAINT'))
    return new ApiError('CONFLICT', 'the record conflicts with an existing one');
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new ApiError('BUSY', 'the database is busy saving an import; try again in a moment');
  // The transaction was rolled back: what was saved before is intact.
  if (code === 'SQLITE_FULL')
    return new ApiError(
      'DISK_FULL',
      'the disk is full: this change was not saved; free some space and try again',
    );
  if (code.startsWith('SQLITE_READONLY'))
    return new ApiError('READ_ONLY', 'this workspace is read-only: nothing can be saved to it');
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new ApiError(
      'DAMAGED',
      'the workspace file is damaged: restore a backup (Settings › Backups)',
    );
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_'))
    return new ApiError(
      'DISK_FULL',
      'the disk could not be written (full, removed or failing): this change was not saved',
    );
  return null;
}
