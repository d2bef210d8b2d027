// An opportunity's stage history and the detail the panel shows beside its fields.
import type {
  createOpportunityInput,
  OpportunityDetail,
  OpportunityRow,
  StageHistoryRow,
} from '../contract/index.js';
import type { z } from 'zod';
import type { Store } from '../store/store.js';
import { effectiveProbability, timeInStages } from '../domain/stageTime.js';
import type { Reader } from '../store/readQuery.js';
import { createRecordIdIn, getRecord } from './records.js';

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

export function opportunityDetail(r: Reader, id: string, now: number): OpportunityDetail {
  const opportunity = getRecord(r, 'opportunities', id) as OpportunityRow;
  const stages = r.all(r.qb.selectFrom('stages').selectAll());
  const stage = stages.find((s) => s.id === opportunity.stage_id) ?? null;
  const nameOf = (table: 'accounts' | 'contacts', ref: string | null) =>
    ref
      ? (r.first(r.qb.selectFrom(table).select('name').where('id', '=', ref))?.name ?? null)
      : null;
  const closed = new Set(stages.filter((s) => s.kind !== 'open').map((s) => s.id));
  const history = opportunityHistory(r, id).flatMap((h) =>
    h.to_stage_id === null || h.changed_at === null
      ? []
      : [{ to_stage_id: h.to_stage_id, changed_at: h.changed_at }],
  );
  const stageDefault = stage?.probability ?? 0;
  return {
    opportunity,
    stage,
    probability: {
      ...effectiveProbability(stageDefault, opportunity.probability_override),
      stageDefault,
    },
    accountName: nameOf('accounts', opportunity.account_id),
    contactName: nameOf('contacts', opportunity.contact_id),
    // A deal closed before its last entry (history synced late) stops its clock at close.
    timeInStage: timeInStages(history, opportunity.closed_at ?? now, (s) => closed.has(s)),
  };
}

/** Creates an opportunity that did not come from a lead, with its new account and contact
 * when named: all or nothing. */
export function createOpportunity(
  store: Store,
  input: z.output<typeof createOpportunityInput>,
): OpportunityRow {
  return store.write((tx) => {
    const opportunity: Record<string, unknown> = { ...input.opportunity };
    const owner_id = opportunity.owner_id ?? tx.author;
    opportunity.owner_id = owner_id;
    if (input.newAccount)
      opportunity.account_id = createRecordIdIn(tx, 'accounts', { ...input.newAccount, owner_id });
    if (input.newContact)
      opportunity.contact_id = createRecordIdIn(tx, 'contacts', {
        ...input.newContact,
        account_id: opportunity.account_id ?? null,
        owner_id,
      });
    return getRecord(tx, 'opportunities', createRecordIdIn(tx, 'opportunities', opportunity));
  });
}
