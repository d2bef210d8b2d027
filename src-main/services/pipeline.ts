// The opportunity board (F7): one column per stage with its cards, count, totals and
// weighted totals per currency; and moving a card, which sets its stage and place (one
// field) from the neighbours it was dropped between, closes it when won or lost (a lost
// deal says why) and reopens it when moved back.
import {
  ApiError,
  type BoardCard,
  type BoardColumn,
  type boardInput,
  type MoneySum,
  type moveInput,
  type OpportunityRow,
} from '../contract/index.js';
import type { z } from 'zod';
import { rankBetween } from '../domain/rank.js';
import { sql } from 'kysely';
import type { Reader } from '../store/readQuery.js';
import type { Store } from '../store/store.js';
import { positionAtEnd, updateOpportunityIn } from './opportunities.js';
import { getRecord } from './recordRows.js';
import { liveStages } from './stages.js';

const DAY = 86_400_000;
const CHUNK = 500;

type Filters = z.output<typeof boardInput>;

function filtered(r: Reader, f: Filters, stageId: string) {
  let q = r.qb
    .selectFrom('opportunities')
    .where('opportunities.deleted_at', 'is', null)
    .where('opportunities.stage_id', '=', stageId);
  if (f.owner_id?.length) q = q.where('opportunities.owner_id', 'in', f.owner_id);
  if (f.campaign_id?.length) q = q.where('opportunities.campaign_id', 'in', f.campaign_id);
  if (f.close_from) q = q.where('opportunities.expected_close_date', '>=', f.close_from);
  if (f.close_to) q = q.where('opportunities.expected_close_date', '<=', f.close_to);
  if (f.amount_min !== undefined) q = q.where('opportunities.amount', '>=', f.amount_min);
  if (f.amount_max !== undefined) q = q.where('opportunities.amount', '<=', f.amount_max);
  return q;
}

const rankOf = (position: string | null) =>
  position ? position.slice(position.indexOf(':') + 1) : null;

export function board(r: Reader, f: Filters, now: number): BoardColumn[] {
  const columns = liveStages(r).map((stage): BoardColumn => {
    const stageDefault = stage.probability ?? 0;
    // One pass over the column's rows for its count and its sums per currency (deals
    // without an amount count, and add nothing).
    const groups = r.all(
      filtered(r, f, stage.id)
        .select([
          'opportunities.currency',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.sum<number | null>('opportunities.amount').as('amount'),
          // Each deal counts with its own probability: the stage's unless overridden.
          sql<
            number | null
          >`sum(opportunities.amount * coalesce(opportunities.probability_override, ${stageDefault}))`.as(
            'weighted',
          ),
        ])
        .groupBy('opportunities.currency'),
    );
    const count = groups.reduce((n, g) => n + Number(g.n), 0);
    const sums = groups.filter((g) => g.amount !== null);
    const total: MoneySum[] = sums.map((s) => ({
      currency: s.currency ?? '',
      amount: Number(s.amount),
    }));
    const weighted = sums.map((s) => ({
      currency: s.currency ?? '',
      // Σ amount × percent, back to minor units once for the column (not per card).
      amount: Math.round(Number(s.weighted) / 100),
    }));
    const withCards = stage.kind === 'open' || f.closedCards;
    const rows = !withCards
      ? []
      : r.all(
          filtered(r, f, stage.id)
            .leftJoin('accounts', 'accounts.id', 'opportunities.account_id')
            .select([
              'opportunities.id',
              'opportunities.name',
              'accounts.name as account_name',
              'opportunities.amount',
              'opportunities.currency',
              'opportunities.expected_close_date',
              'opportunities.owner_id',
              'opportunities.stage_position',
              'opportunities.created_at',
            ])
            .orderBy('opportunities.stage_position')
            .limit(f.limit),
        );
    const cards = rows.map((o): BoardCard => ({
      id: o.id,
      name: o.name ?? '',
      accountName: o.account_name,
      amount: o.amount,
      currency: o.currency,
      expectedClose: o.expected_close_date,
      ownerId: o.owner_id,
      stagePosition: o.stage_position ?? '',
      // Filled in below from the stage history; the card's creation until then.
      daysInStage: Math.floor((now - o.created_at) / DAY),
      stale: false,
      nextActivity: null,
    }));
    return { stage, cards, count, total, weighted };
  });
  // Days in stage and the next open task, for every card shown, a few queries in all.
  const byId = new Map(columns.flatMap((c) => c.cards.map((card) => [card.id, { card, c }])));
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const h of r.all(
      r.qb
        .selectFrom('stage_history')
        .select(['opportunity_id', (eb) => eb.fn.max('changed_at').as('at')])
        .where('opportunity_id', 'in', chunk)
        .where('deleted_at', 'is', null)
        .groupBy('opportunity_id'),
    )) {
      const hit = h.opportunity_id ? byId.get(h.opportunity_id) : undefined;
      if (hit && h.at !== null) hit.card.daysInStage = Math.floor((now - Number(h.at)) / DAY);
    }
    for (const a of r.all(
      r.qb
        .selectFrom('activities')
        // SQLite answers the other columns of the row holding the min().
        .select(['opportunity_id', 'subject', (eb) => eb.fn.min('due_at').as('due')])
        .where('opportunity_id', 'in', chunk)
        .where('kind', '=', 'task')
        // The unary + keeps SQLite from reading every open task through the due-date index
        // (activities_due: ~20 000 rows per chunk, 45 ms at 100 000 leads) instead of this
        // chunk's deals through activities_opportunity (3 ms).
        .where(sql<boolean>`+done_at IS NULL AND +due_at IS NOT NULL`)
        .where('deleted_at', 'is', null)
        .groupBy('opportunity_id'),
    )) {
      const hit = a.opportunity_id ? byId.get(a.opportunity_id) : undefined;
      if (hit && a.due !== null)
        hit.card.nextActivity = { subject: a.subject ?? '', dueAt: Number(a.due) };
    }
  }
  for (const { card, c } of byId.values())
    card.stale =
      c.stage.kind === 'open' &&
      c.stage.stale_days !== null &&
      card.daysInStage > c.stage.stale_days;
  return columns;
}

/** Moves a card: to `stageId`, between the cards it was dropped after and before. */
export function moveOpportunity(store: Store, input: z.output<typeof moveInput>): OpportunityRow {
  return store.write((tx) => {
    const opp = getRecord(tx, 'opportunities', input.id) as OpportunityRow;
    if (opp.deleted_at !== null) throw new ApiError('CONFLICT', 'this opportunity is deleted');
    const stage = liveStages(tx).find((s) => s.id === input.stageId);
    if (!stage)
      throw new ApiError('BAD_INPUT', 'stage does not exist', [
        { path: 'stageId', message: 'unknown stage' },
      ]);
    const neighbour = (id: string | null | undefined, path: string) => {
      if (!id) return null;
      const n = tx.first(
        tx.qb
          .selectFrom('opportunities')
          .select(['stage_id', 'stage_position'])
          .where('id', '=', id)
          .where('deleted_at', 'is', null),
      );
      if (!n || n.stage_id !== stage.id)
        throw new ApiError('BAD_INPUT', `${path} is not a card of that stage`, [
          { path, message: 'not in the target stage' },
        ]);
      return rankOf(n.stage_position);
    };
    const after = neighbour(input.afterId, 'afterId');
    const before = neighbour(input.beforeId, 'beforeId');
    let position: string;
    if (after === null && before === null && !input.afterId && !input.beforeId)
      position = positionAtEnd(tx, stage.id);
    else {
      // Neighbours reordered meanwhile (another device): after the one it followed.
      const ordered = after === null || before === null || after < before;
      position = `${stage.id}:${rankBetween(after, ordered ? before : null)}`;
    }
    const patch: Record<string, unknown> = { stage_position: position };
    if (stage.kind === 'lost' && opp.stage_id !== stage.id) {
      if (!input.lostReason)
        throw new ApiError('BAD_INPUT', 'say why the deal was lost', [
          { path: 'lostReason', message: 'is required' },
        ]);
      patch.lost_reason = input.lostReason;
    }
    // Closing and reopening follow from the stage (updateOpportunityIn: one rule for every path).
    updateOpportunityIn(tx, opp.id, patch);
    return getRecord(tx, 'opportunities', opp.id) as OpportunityRow;
  });
}
