// The rows behind every CRUD entity, read and written without any entity's own rules.
// This is the bottom of the write use cases: leads.ts, activities.ts, opportunities.ts,
// accounts.ts and contacts.ts put their entity's rules around these calls, in the order
// they read; records.ts offers every entity's use cases to the API. Nothing here calls
// back up into them.
import { ApiError, crudEntities, type CrudEntity, type EntityRows } from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { WriteTx } from '../store/store.js';
import { assertReferences } from './references.js';

type Values = Record<string, unknown>;

export function getRecord<E extends CrudEntity>(r: Reader, entity: E, id: string): EntityRows[E] {
  const table = crudEntities[entity].table;
  const row = r.first(r.qb.selectFrom(table).selectAll().where('id', '=', id));
  if (!row) throw new ApiError('NOT_FOUND', `${entity} ${id} not found`);
  return row as unknown as EntityRows[E];
}

/** The row an edit starts from. A deleted row is restored before it is edited. */
export function liveRecord(tx: WriteTx, entity: CrudEntity, id: string): Values {
  const before = getRecord(tx, entity, id) as unknown as Values;
  if (before.deleted_at !== null)
    throw new ApiError('CONFLICT', `${entity} ${id} is deleted; restore it before editing`);
  return before;
}

/** Writes a new row once its entity's rules have run: every reference must name a live
 * row. `derived` holds columns computed on this device (a lead's score), never synced. */
export function insertRecordIn(
  tx: WriteTx,
  entity: CrudEntity,
  values: Values,
  /** A derived id, for rows every device must create alike (a conversion). */
  id?: string,
  derived?: Record<string, string | number | null>,
): string {
  assertReferences(tx, values);
  return tx.insert(crudEntities[entity].table, values, id, derived);
}

/** Writes a checked patch; true when something changed. */
export function patchRecordIn(tx: WriteTx, entity: CrudEntity, id: string, patch: Values): boolean {
  assertReferences(tx, patch);
  return tx.update(crudEntities[entity].table, id, patch);
}

/** Soft delete or restore; the row as it was, and whether it changed. */
export function setRowDeletedIn(
  tx: WriteTx,
  entity: CrudEntity,
  id: string,
  deleted: boolean,
): { before: Values; changed: boolean } {
  const before = getRecord(tx, entity, id) as unknown as Values;
  const table = crudEntities[entity].table;
  const changed = deleted ? tx.softDelete(table, id) : tx.restore(table, id);
  return { before, changed };
}
