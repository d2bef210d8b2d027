import type { StageHistoryRow } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import { getRecord } from './records.js';

/** Every stage change of one opportunity, oldest first. */
export function opportunityHistory(r: Reader, opportunityId: string): StageHistoryRow[] {
  getRecord(r, 'opportunities', opportunityId);
  return r.all(
    r.qb
      .selectFrom('stage_history')
      .selectAll()
      .where('opportunity_id', '=', opportunityId)
      .where('deleted_at', 'is', null)
      .orderBy('changed_at')
      .orderBy('id'),
  );
}
