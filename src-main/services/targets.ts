// Sales targets per rep (or the whole team) per month or quarter, edited in Settings and
// read by the forecast. One row per (rep, period): its id follows from them, so the same
// target set on two laptops offline is one row after they sync (the later amount wins).
import type { z } from 'zod';
import type { setTargetInput, TargetRow } from '../contract/index.js';
import { derivedId } from '../store/ids.js';
import type { Reader } from '../store/readQuery.js';
import type { Store } from '../store/store.js';
import { assertReferences } from './references.js';
import { readTeamSettings } from './settings.js';

export const targetId = (userId: string | null, period: string) =>
  derivedId('leadbook.target', `${userId ?? 'team'}:${period}`);

export function listTargets(r: Reader, periods?: readonly string[]): TargetRow[] {
  let q = r.qb.selectFrom('targets').selectAll().where('deleted_at', 'is', null);
  if (periods?.length) q = q.where('period', 'in', [...periods]);
  return r.all(q.orderBy('period').orderBy('user_id')) as TargetRow[];
}

/** Sets a target (amount null: removes it). */
export function setTarget(store: Store, input: z.output<typeof setTargetInput>): TargetRow | null {
  return store.write((tx) => {
    const id = targetId(input.user_id, input.period);
    const existing = tx.first(tx.qb.selectFrom('targets').selectAll().where('id', '=', id));
    if (input.amount === null) {
      if (existing && existing.deleted_at === null) tx.softDelete('targets', id);
      return null;
    }
    const values = {
      user_id: input.user_id,
      period: input.period,
      amount: input.amount,
      currency: input.currency ?? readTeamSettings(tx).currency,
    };
    assertReferences(tx, values);
    if (!existing) tx.insert('targets', values, id);
    else tx.update('targets', id, { ...values, deleted_at: null });
    return tx.first(tx.qb.selectFrom('targets').selectAll().where('id', '=', id)) as TargetRow;
  });
}
