import type { SyncProblem } from '../../../src-main/contract/index.js';
import i18n from '../../i18n/index.js';

/** The last sync problem in plain words, in the UI language. */
export function syncProblemText(p: SyncProblem): string {
  if (p.kind === 'clock_wrong') {
    const minutes = Math.abs(p.minutes ?? 0);
    return i18n.t(
      (p.minutes ?? 0) >= 0 ? 'sync.problem.clock_ahead' : 'sync.problem.clock_behind',
      {
        minutes,
      },
    );
  }
  return i18n.t(`sync.problem.${p.kind}`);
}
