// Create/update/delete/restore/list for every CRUD entity, as the API offers them. Each
// entity with rules of its own is written by its use cases (leads.ts, activities.ts,
// opportunities.ts, accounts.ts, contacts.ts); the others (stages' fields, users,
// campaigns, saved views) are written as given. One use case = one transaction. This
// module sits above the use cases: none of them imports it.
import {
  crudEntities,
  type CrudEntity,
  type EntityRows,
  type ListQuery,
  type ListResult,
} from '../contract/index.js';
import type { Store, WriteTx } from '../store/store.js';
import { createAccountIn, updateAccountIn } from './accounts.js';
import { createActivityIn, setActivityDeletedIn, updateActivityIn } from './activities.js';
import { createContactIn, updateContactIn } from './contacts.js';
import { createLeadIn, setLeadDeletedIn, updateLeadIn } from './leads.js';
import { listRows } from './listQuery.js';
import {
  createOpportunityIn,
  setOpportunityDeletedIn,
  updateOpportunityIn,
} from './opportunities.js';
import {
  getRecord,
  insertRecordIn,
  liveRecord,
  patchRecordIn,
  setRowDeletedIn,
} from './recordRows.js';

type Values = Record<string, unknown>;

interface EntityWrites {
  create(tx: WriteTx, input: Values): string;
  update(tx: WriteTx, id: string, patch: Values): boolean;
  setDeleted(tx: WriteTx, id: string, deleted: boolean): boolean;
}

/** An entity with no rules of its own. */
const asGiven = (entity: CrudEntity): EntityWrites => ({
  create: (tx, input) => insertRecordIn(tx, entity, { ...input }),
  update: (tx, id, patch) => (liveRecord(tx, entity, id), patchRecordIn(tx, entity, id, patch)),
  setDeleted: (tx, id, deleted) => setRowDeletedIn(tx, entity, id, deleted).changed,
});

const writes: Record<CrudEntity, EntityWrites> = {
  leads: { create: createLeadIn, update: updateLeadIn, setDeleted: setLeadDeletedIn },
  activities: {
    create: createActivityIn,
    update: updateActivityIn,
    setDeleted: setActivityDeletedIn,
  },
  opportunities: {
    create: createOpportunityIn,
    update: updateOpportunityIn,
    setDeleted: setOpportunityDeletedIn,
  },
  accounts: { ...asGiven('accounts'), create: createAccountIn, update: updateAccountIn },
  contacts: { ...asGiven('contacts'), create: createContactIn, update: updateContactIn },
  stages: asGiven('stages'),
  users: asGiven('users'),
  campaigns: asGiven('campaigns'),
  savedViews: asGiven('savedViews'),
};

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
  input: Values,
): EntityRows[E] {
  return store.write((tx) => createRecordIn(tx, entity, input));
}

/** The create use case of any entity inside an existing transaction. */
export function createRecordIn<E extends CrudEntity>(
  tx: WriteTx,
  entity: E,
  input: Values,
): EntityRows[E] {
  return getRecord(tx, entity, writes[entity].create(tx, input));
}

export function updateRecord<E extends CrudEntity>(
  store: Store,
  entity: E,
  id: string,
  patch: Values,
): EntityRows[E] {
  return store.write((tx) => {
    writes[entity].update(tx, id, patch);
    return getRecord(tx, entity, id);
  });
}

export function setDeleted<E extends CrudEntity>(
  store: Store,
  entity: E,
  id: string,
  deleted: boolean,
): EntityRows[E] {
  return store.write((tx) => {
    writes[entity].setDeleted(tx, id, deleted);
    return getRecord(tx, entity, id);
  });
}
