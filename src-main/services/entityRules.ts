// Rules that belong to one entity's writes. Kept small here; bigger use cases (conversion,
// scoring, assignment) get services of their own.
import { ApiError, type CrudEntity } from '../contract/index.js';
import { closingChanges } from '../domain/dealClosing.js';
import { phoneKey } from '../domain/dedupe.js';
import { afterActivityLogged } from './activities.js';
import { isRank, rankBetween } from '../domain/rank.js';
import type { Reader } from '../store/readQuery.js';
import type { WriteTx } from '../store/store.js';
import {
  learnFromLeadChange,
  learnFromOpportunityStage,
  rescoreLeadIn,
  newLeadScore,
} from './scoring.js';
import { derivedId } from '../store/ids.js';
import { readTeamSettings } from './settings.js';

type Values = Record<string, unknown>;
interface EntityRules {
  beforeCreate?(tx: WriteTx, values: Values): Values;
  /** Locally-derived columns of the new row (a lead's score), written with its insert. */
  derivedOnCreate?(tx: WriteTx, values: Values): Record<string, string | number | null>;
  afterCreate?(tx: WriteTx, id: string, values: Values): void;
  beforeUpdate?(tx: WriteTx, before: Values, patch: Values): Values;
  afterUpdate?(tx: WriteTx, before: Values, patch: Values): void;
}

const stageOf = (position: unknown): string | null =>
  typeof position === 'string' && position.includes(':')
    ? position.slice(0, position.indexOf(':'))
    : null;

/** Phone fields must hold a possible number (read with the team's default region):
 * "12345" or "+86 123" is refused with a clear message instead of being stored. */
function assertPhones(tx: WriteTx, values: Values, fields: readonly string[]): void {
  let region: string | undefined;
  for (const field of fields) {
    const value = values[field];
    if (typeof value !== 'string' || value === '') continue;
    region ??= readTeamSettings(tx).phoneRegion;
    if (!phoneKey(value, region)) {
      throw new ApiError('BAD_INPUT', `${field} is not a possible phone number`, [
        { path: field, message: 'is not a possible phone number' },
      ]);
    }
  }
}

function defaultCurrency(tx: WriteTx, values: Values, amountField: string): void {
  if (values[amountField] != null && values.currency == null)
    values.currency = readTeamSettings(tx).currency;
}

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

/** The first open stage in board order: where a new opportunity starts by default. */
export function firstOpenStageId(r: Reader): string {
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

/** An unqualified lead says why (the reason feeds the lost-reason reports). */
function assertDisqualifyReason(status: unknown, reason: unknown): void {
  if (status === 'unqualified' && (typeof reason !== 'string' || reason.trim() === '')) {
    throw new ApiError('BAD_INPUT', 'an unqualified lead needs a reason', [
      { path: 'disqualify_reason', message: 'is required when the lead is unqualified' },
    ]);
  }
}

/** Entering a closed stage closes the deal, an open one reopens it (domain/dealClosing).
 * Every path that changes the stage — a card moved on the board, the stage chosen in the
 * detail, an update through the API — goes through this one rule. */
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

const phoneRules = (fields: readonly string[]): EntityRules => ({
  beforeCreate: (tx, values) => (assertPhones(tx, values, fields), values),
  beforeUpdate: (tx, _before, patch) => (assertPhones(tx, patch, fields), patch),
});

export const entityRules: Partial<Record<CrudEntity, EntityRules>> = {
  contacts: phoneRules(['phone', 'mobile']),
  activities: {
    afterCreate: (tx, _id, values) => {
      afterActivityLogged(tx, values);
      if (typeof values.lead_id === 'string') rescoreLeadIn(tx, values.lead_id);
    },
    // A changed, moved or deleted activity changes its lead's engagement (both leads', if
    // it moved).
    afterUpdate: (tx, before, patch) => {
      for (const lead of new Set([before.lead_id, patch.lead_id]))
        if (typeof lead === 'string') rescoreLeadIn(tx, lead);
    },
  },
  accounts: phoneRules(['phone']),
  leads: {
    beforeCreate(tx, values) {
      assertPhones(tx, values, ['phone', 'mobile']);
      values.status ??= 'new';
      if (values.status === 'converted') {
        throw new ApiError('BAD_INPUT', 'a lead becomes converted only through conversion', [
          { path: 'status', message: 'use convert' },
        ]);
      }
      assertDisqualifyReason(values.status, values.disqualify_reason);
      defaultCurrency(tx, values, 'budget_amount');
      return values;
    },
    beforeUpdate(tx, before, patch) {
      if (before.status === 'converted')
        throw new ApiError('CONFLICT', 'a converted lead is read-only');
      assertPhones(tx, patch, ['phone', 'mobile']);
      if (patch.status === 'converted') {
        throw new ApiError('BAD_INPUT', 'a lead becomes converted only through conversion', [
          { path: 'status', message: 'use convert' },
        ]);
      }
      if (patch.status !== undefined || patch.disqualify_reason !== undefined) {
        assertDisqualifyReason(
          patch.status ?? before.status,
          patch.disqualify_reason !== undefined
            ? patch.disqualify_reason
            : before.disqualify_reason,
        );
      }
      if (patch.budget_amount != null && before.currency == null)
        defaultCurrency(tx, patch, 'budget_amount');
      // An owner chosen by hand: no rule assigned the lead any more.
      if (
        patch.owner_id !== undefined &&
        patch.owner_id !== before.owner_id &&
        patch.assigned_rule_id === undefined
      ) {
        patch.assigned_rule_id = null;
        patch.assigned_at = patch.owner_id ? tx.now : null;
      }
      return patch;
    },
    // Every change to a lead can change its score (derived; never synced).
    derivedOnCreate: (tx, values) => newLeadScore(tx, values),
    afterUpdate: (tx, before, patch) => {
      learnFromLeadChange(tx, before, { ...before, ...patch });
      rescoreLeadIn(tx, before.id as string);
    },
  },
  opportunities: {
    beforeCreate(tx, values) {
      const stageId = (values.stage_id as string | undefined) ?? firstOpenStageId(tx);
      delete values.stage_id;
      const stage = liveStage(tx, stageId);
      values.stage_position = positionAtEnd(tx, stageId);
      closeOrReopen(tx, null, stage.kind, {}, values);
      defaultCurrency(tx, values, 'amount');
      return values;
    },
    afterCreate(tx, id, values) {
      // The first entry's id follows from the opportunity's: an opportunity created alike
      // on two devices (a conversion) has one history, not two starts.
      recordStageChange(
        tx,
        id,
        null,
        stageOf(values.stage_position)!,
        values,
        derivedId('leadbook.stage-history.start', id),
      );
    },
    beforeUpdate(tx, before, patch) {
      const to = stageOf(patch.stage_position);
      if (to) {
        const stage = liveStage(tx, to);
        if (!isRank((patch.stage_position as string).slice(to.length + 1))) {
          throw new ApiError('BAD_INPUT', 'stage_position has an invalid rank', [
            { path: 'stage_position', message: 'invalid rank' },
          ]);
        }
        const from = stageOf(before.stage_position);
        if (to !== from) {
          const fromKind = from
            ? (tx.first(tx.qb.selectFrom('stages').select('kind').where('id', '=', from))?.kind ??
              null)
            : null;
          closeOrReopen(tx, fromKind, stage.kind, before, patch);
        }
      }
      if (patch.amount != null && before.currency == null) defaultCurrency(tx, patch, 'amount');
      return patch;
    },
    afterUpdate(tx, before, patch) {
      const from = stageOf(before.stage_position);
      const to = stageOf(patch.stage_position);
      if (to && to !== from) {
        recordStageChange(tx, before.id as string, from, to, { ...before, ...patch });
        // Lost (or reopened): the lead it came from counts as lost now, and the scoring
        // model learns it at once.
        learnFromOpportunityStage(
          tx,
          { id: before.id as string, lead_id: patch.lead_id ?? before.lead_id },
          from,
          to,
        );
      }
    },
  },
};
