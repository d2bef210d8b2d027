// An opportunity's use cases (F7): created in a stage (the first open one by default) at
// the bottom of its column, edited — a new stage closes, reopens and records it —,
// deleted; and its stage history and the detail the panel shows beside its fields.
import {
  ApiError,
  type createOpportunityInput,
  type OpportunityDetail,
  type OpportunityRow,
  type StageHistoryRow,
} from '../contract/index.js';
import type { z } from 'zod';
import { closingChanges } from '../domain/dealClosing.js';
import { isRank, rankBetween } from '../domain/rank.js';
import { effectiveProbability, timeInStages } from '../domain/stageTime.js';
import { derivedId } from '../store/ids.js';
import type { Store, WriteTx } from '../store/store.js';
import type { Reader } from '../store/readQuery.js';
import { createAccountIn } from './accounts.js';
import { createContactIn } from './contacts.js';
import { defaultCurrency } from './fieldRules.js';
import {
  getRecord,
  insertRecordIn,
  liveRecord,
  patchRecordIn,
  setRowDeletedIn,
} from './recordRows.js';
import { learnFromOpportunityStage } from './scoring.js';

type Values = Record<string, unknown>;

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
      opportunity.account_id = createAccountIn(tx, { ...input.newAccount, owner_id });
    if (input.newContact)
      opportunity.contact_id = createContactIn(tx, {
        ...input.newContact,
        account_id: opportunity.account_id ?? null,
        owner_id,
      });
    return getRecord(tx, 'opportunities', createOpportunityIn(tx, opportunity));
  });
}

/** A new opportunity inside a transaction: in its stage (the first open one unless given)
 * at the bottom of the column, closed if that stage is won or lost, its amount in the
 * team's currency unless it says otherwise, and its history started. `id`: a derived id,
 * for an opportunity every device must create alike (a conversion). */
export function createOpportunityIn(tx: WriteTx, input: Values, id?: string): string {
  const values = { ...input };
  const stageId = (values.stage_id as string | undefined) ?? firstOpenStageId(tx);
  delete values.stage_id;
  const stage = liveStage(tx, stageId);
  values.stage_position = positionAtEnd(tx, stageId);
  closeOrReopen(tx, null, stage.kind, {}, values);
  defaultCurrency(tx, values, 'amount');
  const created = insertRecordIn(tx, 'opportunities', values, id);
  // The first entry's id follows from the opportunity's: an opportunity created alike on
  // two devices (a conversion) has one history, not two starts.
  recordStageChange(
    tx,
    created,
    null,
    stageId,
    values,
    derivedId('leadbook.stage-history.start', created),
  );
  return created;
}

/** Edits an opportunity; true when something changed. Every path that changes the stage
 * — a card moved on the board, the stage chosen in the detail, an update through the API —
 * comes here: a closed stage closes the deal (a lost one says why), an open one reopens
 * it, the change is recorded, and a lead it came from is learned from. */
export function updateOpportunityIn(tx: WriteTx, id: string, input: Values): boolean {
  const before = liveRecord(tx, 'opportunities', id);
  const patch = { ...input };
  const from = stageOf(before.stage_position);
  const to = stageOf(patch.stage_position);
  if (to) {
    const stage = liveStage(tx, to);
    if (!isRank((patch.stage_position as string).slice(to.length + 1)))
      throw new ApiError('BAD_INPUT', 'stage_position has an invalid rank', [
        { path: 'stage_position', message: 'invalid rank' },
      ]);
    if (to !== from) {
      const fromKind = from
        ? (tx.first(tx.qb.selectFrom('stages').select('kind').where('id', '=', from))?.kind ?? null)
        : null;
      closeOrReopen(tx, fromKind, stage.kind, before, patch);
    }
  }
  if (patch.amount != null && before.currency == null) defaultCurrency(tx, patch, 'amount');
  const changed = patchRecordIn(tx, 'opportunities', id, patch);
  if (to && to !== from) {
    recordStageChange(tx, id, from, to, { ...before, ...patch });
    // Lost (or reopened): the lead it came from counts as lost now, and the scoring model
    // learns it at once.
    learnFromOpportunityStage(tx, { id, lead_id: patch.lead_id ?? before.lead_id }, from, to);
  }
  return changed;
}

export function setOpportunityDeletedIn(tx: WriteTx, id: string, deleted: boolean): boolean {
  return setRowDeletedIn(tx, 'opportunities', id, deleted).changed;
}

/** The first open stage in board order: where a new opportunity starts by default. */
function firstOpenStageId(r: Reader): string {
  const stage = r.first(
    r.qb
      .selectFrom('stages')
      .select('id')
      .where('deleted_at', 'is', null)
      .where('kind', '=', 'open')
      .orderBy('sort_order')
      .limit(1),
  );
  if (!stage) throw new ApiError('CONFLICT', 'no open pipeline stage is configured');
  return stage.id;
}

/** A position at the bottom of the stage's column. */
export function positionAtEnd(r: Reader, stageId: string): string {
  const last = r.first(
    r.qb
      .selectFrom('opportunities')
      .select('stage_position')
      .where('stage_id', '=', stageId)
      .orderBy('stage_position', 'desc')
      .limit(1),
  );
  const lastRank = last?.stage_position ? last.stage_position.slice(stageId.length + 1) : null;
  // A malformed rank (only possible from a buggy peer) must not block new deals.
  return `${stageId}:${rankBetween(lastRank !== null && isRank(lastRank) ? lastRank : null, null)}`;
}

const stageOf = (position: unknown): string | null =>
  typeof position === 'string' && position.includes(':')
    ? position.slice(0, position.indexOf(':'))
    : null;

function liveStage(r: Reader, stageId: string) {
  const stage = r.first(
    r.qb.selectFrom('stages').selectAll().where('id', '=', stageId).where('deleted_at', 'is', null),
  );
  if (!stage)
    throw new ApiError('BAD_INPUT', 'stage does not exist', [
      { path: 'stage_id', message: 'unknown stage' },
    ]);
  return stage;
}

function recordStageChange(
  tx: WriteTx,
  opportunityId: string,
  from: string | null,
  to: string,
  values: Values,
  id?: string,
) {
  tx.insert(
    'stage_history',
    {
      opportunity_id: opportunityId,
      from_stage_id: from,
      to_stage_id: to,
      changed_at: tx.now,
      user_id: tx.author,
      amount: (values.amount as number | null | undefined) ?? null,
      currency: (values.currency as string | null | undefined) ?? null,
    },
    id,
  );
}

/** Entering a closed stage closes the deal, an open one reopens it (domain/dealClosing). */
function closeOrReopen(
  tx: WriteTx,
  fromKind: string | null,
  kind: string | null,
  current: { closed_at?: unknown; lost_reason?: unknown },
  patch: Values,
): void {
  const outcome = closingChanges(fromKind, kind, current, patch, tx.now);
  if (outcome.needsReason)
    throw new ApiError('BAD_INPUT', 'say why the deal was lost', [
      { path: 'lost_reason', message: 'is required when the deal is lost' },
    ]);
  Object.assign(patch, outcome.set);
}
