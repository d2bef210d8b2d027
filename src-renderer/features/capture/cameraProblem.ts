// Why a camera did not open, in the words the scanners show (scan.denied, …).
export type CameraProblem = 'denied' | 'noCamera' | 'failed';

export function cameraProblemOf(err: unknown): CameraProblem {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'noCamera';
  return 'failed';
}
