/** Every failure crosses a transport as this shape — never as a stack trace. */
export const errorCodes = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNKNOWN_PROCEDURE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'CLOCK_DRIFT',
  /** Another connection (an import being saved) holds the write lock: try again soon. */
  'BUSY',
  /** A server this laptop talks to (team sync) cannot be reached. */
  'UNREACHABLE',
  /** The workspace is encrypted and not unlocked yet. */
  'LOCKED',
  /** The workspace file, its folder or its disk is read-only: nothing can be saved. */
  'READ_ONLY',
  /** The disk is full: this change was not saved (what was saved before is intact). */
  'DISK_FULL',
  /** The workspace file is damaged: restore a backup. */
  'DAMAGED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiIssue {
  path: string;
  message: string;
  /** Machine-readable kind (zod's issue code, e.g. too_big), so a UI can word it. */
  code?: string;
  /** The bound broken by a too_big/too_small issue. */
  limit?: number;
  /** What kind of value broke it (number, string, array), so a bound can be worded. */
  origin?: string;
}

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  issues?: ApiIssue[];
}

export class ApiError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly issues?: ApiIssue[];
  constructor(code: ErrorCode, message: string, issues?: ApiIssue[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (issues) this.issues = issues;
  }
  toJSON(): ApiErrorShape {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

export function isApiErrorShape(v: unknown): v is ApiErrorShape {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ApiErrorShape).code === 'string' &&
    typeof (v as ApiErrorShape).message === 'string'
  );
}
