// One query per purpose: the list query every entity's `list` procedure uses.
import { sql } from 'kysely';
import type { ReadonlyKysely } from 'kysely/readonly';
import {
  entityColumns,
  type CrudEntityDef,
  type ListQuery,
  type ListResult,
} from '../contract/index.js';
import { toFtsQuery } from '../domain/searchText.js';
import type { Reader } from '../store/readQuery.js';
import { customValuesOf, listCustomFields } from './customValues.js';

type AnyDb = Record<string, Record<string, unknown>>;

export function listRows<R>(r: Reader, def: CrudEntityDef, input: ListQuery): ListResult<R> {
  const qb = r.qb as unknown as ReadonlyKysely<AnyDb>;
  const table: string = def.table;
  const empty = {
    rows: [],
    total: input.withTotal ? 0 : null,
    offset: input.offset,
    limit: input.limit,
  };
  const match = input.q && def.searchable ? toFtsQuery(input.q) : null;
  if (input.q && def.searchable && match === null) return empty;

  let base = qb.selectFrom(table);
  if (match !== null) {
    // Start from the full-text matches (usually few) and join the rows to them on the
    // integer rowid the search table shares with its entity. CROSS JOIN fixes that order:
    // otherwise SQLite may walk the whole table in sort order and test each row against
    // the matches, which is 100× slower on 100 000 leads.
    const fts = `search_${table}`;
    base = qb
      .selectFrom(fts)
      .crossJoin(table)
      .where(sql<boolean>`${sql.ref(`${table}.rowid`)} = ${sql.ref(`${fts}.rowid`)}`)
      .where(sql<boolean>`${sql.table(fts)} MATCH ${match}`) as unknown as typeof base;
  } else if (input.q) {
    // Entities outside the full-text index: a plain substring match on their label.
    const label =
      'name' in def.fields.shape ? 'name' : 'subject' in def.fields.shape ? 'subject' : 'id';
    base = base.where(
      sql<boolean>`${sql.ref(label)} LIKE ${`%${input.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`,
    );
  }
  const col = (c: string) => `${table}.${c}`;
  if (input.deleted === 'exclude') base = base.where(col('deleted_at'), 'is', null);
  else if (input.deleted === 'only') base = base.where(col('deleted_at'), 'is not', null);
  for (const [field, values] of Object.entries(input.filters ?? {})) {
    if (!values || !def.filters.includes(field)) continue;
    const nonNull = values.filter((v) => v !== null);
    const wantsNull = nonNull.length !== values.length;
    base = base.where((eb) =>
      eb.or([
        ...(nonNull.length ? [eb(col(field), 'in', nonNull)] : []),
        ...(wantsNull ? [eb(col(field), 'is', null)] : []),
      ]),
    );
  }
  // Custom fields (leads): each filter is one indexed lookup of the values' lead ids.
  const customInput = (input as { custom?: Record<string, string[]> }).custom ?? {};
  const rangeInput =
    (input as { customRange?: Record<string, { min?: number | string; max?: number | string }> })
      .customRange ?? {};
  const filtersCustom = Object.keys(customInput).length + Object.keys(rangeInput).length > 0;
  // The definitions are read only when a filter or the sort names a custom field.
  const customFields =
    def.custom && (filtersCustom || input.sort?.field.startsWith('cf.')) ? listCustomFields(r) : [];
  for (const [key, values] of Object.entries(customInput)) {
    const field = customFields.find((f) => f.key === key);
    if (!field) return empty;
    base = base.where(
      sql.ref(col('id')),
      'in',
      sql`(SELECT lead_id FROM custom_values WHERE field_id = ${field.id} AND deleted_at IS NULL AND value IN (${sql.join(values)}))`,
    );
  }
  for (const [key, { min, max }] of Object.entries(rangeInput)) {
    const field = customFields.find((f) => f.key === key);
    if (!field) return empty;
    // Numbers compare as numbers; dates (YYYY-MM-DD) compare as their text.
    const v = field.type === 'number' ? sql`CAST(value AS REAL)` : sql.ref('value');
    const bounds = [
      ...(min !== undefined ? [sql`${v} >= ${min}`] : []),
      ...(max !== undefined ? [sql`${v} <= ${max}`] : []),
    ];
    base = base.where(
      sql.ref(col('id')),
      'in',
      sql`(SELECT lead_id FROM custom_values WHERE field_id = ${field.id} AND deleted_at IS NULL${bounds.length ? sql` AND ${sql.join(bounds, sql` AND `)}` : sql``})`,
    );
  }
  if (input.created_from !== undefined)
    base = base.where(col('created_at'), '>=', input.created_from);
  if (input.created_to !== undefined) base = base.where(col('created_at'), '<', input.created_to);
  const overdueBefore = (input as { overdue_before?: number }).overdue_before;
  const overdue = def.taskLink !== undefined && overdueBefore !== undefined;
  // Which tables the count reads: a cached total must drop when any of them changes.
  const countTables = [
    table,
    ...(overdue ? ['activities'] : []),
    ...(filtersCustom ? ['custom_values'] : []),
  ];
  // The rows a page is read from; the count always uses `base`. They differ only for
  // "has an overdue task", which has two equivalent forms with different costs (below).
  let pageBase = base;
  if (overdue) {
    const link = sql.ref(`activities.${def.taskLink!}`);
    const open = sql`activities.kind = 'task' AND activities.done_at IS NULL AND activities.deleted_at IS NULL AND activities.due_at < ${overdueBefore}`;
    // Form 1, from the tasks: the open tasks due before today, off their own partial
    // index (forced: SQLite would otherwise pick the general done_at index and read every
    // activity), then each of their rows by id. Cost grows with the number of matches.
    base = base.where(
      sql.ref(col('id')),
      'in',
      sql`(SELECT ${link} FROM activities INDEXED BY activities_open_task_due WHERE ${open} AND ${link} IS NOT NULL)`,
    );
    // Form 2, from the list: walk the sort order and ask each row's own partial index
    // whether it has an overdue task. Cost grows with how far the page is and how rare
    // matches are. Chosen when it walks fewer than about four rows per match (a probe is
    // several times cheaper than a lookup by id): the first pages of a big overdue set.
    const matches = r.count(
      base.select((eb) => eb.fn.countAll<number>().as('n')),
      countTables,
    );
    const live = r.count(
      qb
        .selectFrom(table)
        .where('deleted_at', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n')),
      table,
    );
    const walk = matches === 0 ? Infinity : ((input.offset + input.limit) * live) / matches;
    pageBase =
      walk < 4 * matches
        ? pageBase.where(
            sql<boolean>`EXISTS (SELECT 1 FROM activities INDEXED BY activities_open_task_lead WHERE ${link} = ${sql.ref(col('id'))} AND ${open})`,
          )
        : base;
  }

  const columns = entityColumns(def);
  const sortField =
    input.sort && columns.includes(input.sort.field) ? input.sort.field : 'created_at';
  // Sorting by a custom field reads each row's value (numbers as numbers); rows without one
  // sort as empty.
  const customSort =
    input.sort && input.sort.field.startsWith('cf.')
      ? customFields.find((f) => `cf.${f.key}` === input.sort!.field)
      : undefined;
  const sortExpr = customSort
    ? sql`(SELECT ${customSort.type === 'number' ? sql`CAST(value AS REAL)` : sql.ref('value')} FROM custom_values WHERE lead_id = ${sql.ref(col('id'))} AND field_id = ${customSort.id} AND deleted_at IS NULL)`
    : sql.ref(col(sortField));
  const dir = input.sort?.dir ?? (input.sort ? 'asc' : 'desc');
  // Deferred join: page through ids first — for indexed sorts that walk touches only the
  // index, so jumping to row 90 000 of a scrolled list stays cheap — then read the page.
  // A search's first page counts its matches in the same pass (a window count): the
  // matches are all visited for sorting anyway, so this halves a broad search. Without a
  // search the page stops early on its index, and the total comes from a count that is
  // cached until the table changes.
  const countInline = input.withTotal && input.offset === 0 && match !== null;
  const countQuery = base.select((eb) => eb.fn.countAll<number>().as('n'));
  // A page past the middle is read from the other end, in reverse order: the walk to it
  // is at most half the list (the count is cached, so knowing where the middle is costs
  // nothing after the first page).
  let offset = input.offset;
  let limit = input.limit;
  let flip = false;
  const known = input.offset > 0 && match === null ? r.count(countQuery, countTables) : null;
  if (known !== null && input.offset > known / 2) {
    const end = Math.min(known, input.offset + input.limit);
    flip = true;
    limit = Math.max(0, end - input.offset);
    offset = known - end;
  }
  const pageDir = flip ? (dir === 'asc' ? 'desc' : 'asc') : dir;
  const idRows =
    limit === 0
      ? []
      : (r.all(
          pageBase
            .select(col('id'))
            .$if(countInline, (q) => q.select(sql<number>`count(*) OVER ()`.as('n')))
            .orderBy(sortExpr, pageDir)
            .orderBy(col('id'), pageDir)
            .limit(limit)
            .offset(offset),
        ) as { id: string; n?: number }[]);
  if (flip) idRows.reverse();
  const ids = idRows.map((row) => row.id);
  const byId = new Map(
    (ids.length ? r.all(qb.selectFrom(table).selectAll().where('id', 'in', ids)) : []).map(
      (row) => [(row as { id: string }).id, row as R],
    ),
  );
  const rows = ids.map((id) => byId.get(id)!).filter(Boolean);
  if (def.custom && ids.length) {
    const values = customValuesOf(r, ids);
    for (const row of rows as unknown as { id: string; custom?: Record<string, string> }[])
      row.custom = values.get(row.id) ?? {};
  }
  let total: number | null = null;
  if (countInline) total = idRows[0]?.n ?? 0;
  else if (input.withTotal) total = known ?? r.count(countQuery, countTables);
  return { rows, total, offset: input.offset, limit: input.limit };
}
