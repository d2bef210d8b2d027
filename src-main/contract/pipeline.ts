// The opportunity board (F7): columns of cards with their totals, and moving a card —
// its stage and its place in the column are one field, set by the service from the
// neighbours it was dropped between.
import { z } from 'zod';
import type { StageRow } from './entities.js';
import { idSchema } from './fields.js';

const day = z.iso.date('must be a date YYYY-MM-DD');

export const boardInput = z.strictObject({
  owner_id: z.array(idSchema).max(100).optional(),
  campaign_id: z.array(idSchema).max(100).optional(),
  /** Expected close within [from, to] (inclusive). */
  close_from: day.optional(),
  close_to: day.optional(),
  /** Amount in minor units, within [min, max]. */
  amount_min: z.int().min(0).optional(),
  amount_max: z.int().min(0).optional(),
  /** Cards per column at most (the board stays smooth with 2 000 in all). */
  limit: z.int().min(1).max(5000).default(2000),
  /** Cards of won and lost stages too. The board shows those stages as drop zones with a
   * count and a total only, so it leaves them out: a year of closed deals is most of the
   * table, and reading their cards made the board ten times slower. The list view asks. */
  closedCards: z.boolean().default(false),
});
export type BoardInput = z.input<typeof boardInput>;

export interface MoneySum {
  currency: string;
  /** Minor units. */
  amount: number;
}

export interface BoardCard {
  id: string;
  name: string;
  accountName: string | null;
  amount: number | null;
  currency: string | null;
  expectedClose: string | null;
  ownerId: string | null;
  stagePosition: string;
  /** Whole days since the card entered its stage (from the stage history). */
  daysInStage: number;
  /** Longer in the stage than its "stale after" limit. */
  stale: boolean;
  nextActivity: { subject: string; dueAt: number } | null;
}

export interface BoardColumn {
  stage: StageRow;
  cards: BoardCard[];
  /** All matching cards, also those beyond the limit. */
  count: number;
  /** Sums per currency (amounts are never added across currencies). */
  total: MoneySum[];
  /** Σ amount × probability (the stage's, or the deal's override), per currency. */
  weighted: MoneySum[];
}

export const moveInput = z.strictObject({
  id: idSchema,
  stageId: idSchema,
  /** The card it was dropped after (null/absent: at the top). */
  afterId: idSchema.nullable().optional(),
  /** The card it was dropped before (null/absent: at the bottom). */
  beforeId: idSchema.nullable().optional(),
  /** Required when the target stage is a lost one. */
  lostReason: z.string().trim().min(1).max(500).optional(),
});

/** Time a deal spent in one stage (domain/stageTime.ts). */
export interface StageTime {
  stageId: string;
  /** Milliseconds spent in the stage, over every time the deal was in it. */
  ms: number;
  /** How many times the deal entered the stage. */
  entries: number;
  /** The deal is in this stage now (and the clock still runs, unless it is closed). */
  current: boolean;
}
