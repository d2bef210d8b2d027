// Create/update/delete/restore/get/list for every CRUD entity: one use case = one
// transaction; entity-specific rules hook in through `entityRules`.
import {
  ApiError,
  crudEntities,
  type CrudEntity,
  type EntityRows,
  type ListQuery,
  type ListResult,
} from '../contract/index.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { entityRules } from './entityRules.js';
import { listRows } from './listQuery.js';
import { assertReferences } from './references.js';

export function getRecord<E extends CrudEntity>(r: Reader, entity: E, id: string): EntityRows[E] {
  const table = crudEntities[entity].table;
  const row = r.first(r.qb.selectFrom(table).selectAll().where('id', '=', id));
  if (!row) throw new ApiError('NOT_FOUND', `${entity} ${id} not found`);
  return row as unknown as EntityRows[E];
}

export function listRecords<E extends CrudEntity>(
  store: Store,
  entity: E,
  input: ListQuery,
): ListResult<EntityRows[E]> {
  return store.read((r) => listRows<EntityRows[E]>(r, crudEntities[entity], input));
}

export function createRecord<E extends CrudEntity>(
  store: Store,
  entity: E,
  input: Record<string, unknown>,
): EntityRows[E] {
  return store.write((tx) => createRecordIn(tx, entity, input));
}

/** The create use case inside an existing transaction (demo data, conversions). */
export function createRecordIn<E extends CrudEntity>(
  tx: WriteTx,
  entity: E,
  input: Record<string, unknown>,
): EntityRows[E] {
  return getRecord(tx, entity, createRecordIdIn(tx, entity, input));
}

/** The same use case answering only the new id: bulk writers (imports) need no read-back
 * of every row they create. */
export function createRecordIdIn(
  tx: WriteTx,
  entity: CrudEntity,
  input: Record<string, unknown>,
  /** A derived id, for rows every device must create alike (a conversion). */
  givenId?: string,
): string {
  const rules = entityRules[entity];
  const values = rules?.beforeCreate ? rules.beforeCreate(tx, { ...input }) : { ...input };
  assertReferences(tx, values);
  const derived = rules?.derivedOnCreate?.(tx, values);
  const id = tx.insert(crudEntities[entity].table, values, givenId, derived);
  rules?.afterCreate?.(tx, id, values);
  return id;
}

export function updateRecord<E extends CrudEntity>(
  store: Store,
  entity: E,
  id: string,
  patch: Record<string, unknown>,
): EntityRows[E] {
  return store.write((tx) => {
    updateRecordIn(tx, entity, id, patch);
    return getRecord(tx, entity, id);
  });
}

/** The update use case inside an existing transaction; true when something changed. */
export function updateRecordIn(
  tx: WriteTx,
  entity: CrudEntity,
  id: string,
  patch: Record<string, unknown>,
): boolean {
  const before = getRecord(tx, entity, id) as unknown as Record<string, unknown>;
  if (before.deleted_at !== null) {
    throw new ApiError('CONFLICT', `${entity} ${id} is deleted; restore it before editing`);
  }
  const rules = entityRules[entity];
  const values = rules?.beforeUpdate ? rules.beforeUpdate(tx, before, { ...patch }) : { ...patch };
  assertReferences(tx, values);
  const changed = tx.update(crudEntities[entity].table, id, values);
  rules?.afterUpdate?.(tx, before, values);
  return changed;
}

export function setDeleted<E extends CrudEntity>(
  store: Store,
  entity: E,
  id: string,
  deleted: boolean,
): EntityRows[E] {
  return store.write((tx) => {
    setDeletedIn(tx, entity, id, deleted);
    return getRecord(tx, entity, id);
  });
}

/** Soft delete or restore inside an existing transaction; true when the row changed. */
export function setDeletedIn(
  tx: WriteTx,
  entity: CrudEntity,
  id: string,
  deleted: boolean,
): boolean {
  const before = getRecord(tx, entity, id) as unknown as Record<string, unknown>;
  const table = crudEntities[entity].table;
  const changed = deleted ? tx.softDelete(table, id) : tx.restore(table, id);
  // Rules that follow a change (a deleted activity no longer warms its lead) hear of it.
  if (changed)
    entityRules[entity]?.afterUpdate?.(tx, before, { deleted_at: deleted ? tx.now : null });
  return changed;
}
