// The sync core's central promise: replicas that make arbitrary concurrent edits, then
// exchange their change logs in any order, partially, with duplicates and skewed clocks,
// end with identical synced tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../src-main/contract/index.js';
import type { Change, Store } from '../../src-main/store/store.js';
import { syncedColumnsOf } from '../../src-main/store/syncSchema.js';
import { memoryStore } from '../helpers/store.js';

const STAGE_A = '0190a000-0000-7000-8000-00000000000a';
const STAGE_B = '0190a000-0000-7000-8000-00000000000b';

type Op =
  | { kind: 'insertLead'; replica: number; name: string; company: string; status: string }
  | {
      kind: 'insertOpp';
      replica: number;
      name: string;
      stage: number;
      rank: string;
      amount: number;
    }
  | { kind: 'update'; replica: number; pick: number; field: number; value: string; amount: number }
  | { kind: 'delete'; replica: number; pick: number }
  | { kind: 'restore'; replica: number; pick: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'sync'; from: number; to: number; keep: boolean[]; dup: number; order: number[] };

const REPLICAS = 3;
const replica = fc.integer({ min: 0, max: REPLICAS - 1 });
const text = fc.string({ minLength: 1, maxLength: 8 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('insertLead' as const),
      replica,
      name: fc.oneof(text, fc.constantFrom('张三', '李四', '王五')),
      company: text,
      status: fc.constantFrom('new', 'contacted', 'qualified'),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('insertOpp' as const),
    replica,
    name: text,
    stage: fc.integer({ min: 0, max: 1 }),
    rank: fc.stringMatching(/^[0-9A-Za-z]{0,3}[1-9A-Za-z]$/),
    amount: fc.integer({ min: 0, max: 1_000_000 }),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      replica,
      pick: fc.nat(),
      field: fc.nat(),
      value: fc.oneof(text, fc.constant('')),
      amount: fc.integer({ min: 0, max: 1_000_000 }),
    }),
    weight: 4,
  },
  fc.record({ kind: fc.constant('delete' as const), replica, pick: fc.nat() }),
  fc.record({ kind: fc.constant('restore' as const), replica, pick: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
  {
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      from: replica,
      to: replica,
      keep: fc.array(fc.boolean(), { maxLength: 40 }),
      dup: fc.integer({ min: 0, max: 3 }),
      order: fc.array(fc.nat(), { maxLength: 40 }),
    }),
    weight: 3,
  },
);

function shuffle<T>(items: T[], order: number[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (order[i % Math.max(order.length, 1)] ?? i) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function snapshot(store: Store): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of Object.keys(syncedTables) as (keyof typeof syncedTables)[]) {
    const cols = ['id', ...syncedColumnsOf(table)];
    out[table] = store.all(
      store.qb
        .selectFrom(table)
        .select(cols as never[])
        .orderBy('id' as never),
    );
  }
  out.opportunities_stage = store.all(
    store.qb.selectFrom('opportunities').select(['id', 'stage_id']).orderBy('id'),
  );
  return out;
}

function rowsOf(
  store: Store,
  table: 'leads' | 'opportunities',
): { id: string; deleted_at: number | null }[] {
  return store.all(store.qb.selectFrom(table).select(['id', 'deleted_at']).orderBy('id'));
}

async function run(ops: Op[], skews: number[]) {
  let time = 1_750_000_000_000;
  const stores = await Promise.all(
    skews.map((skew) => memoryStore({ now: () => time + skew, clock: { now: () => time + skew } })),
  );
  const sent = stores.map(() => [] as Change[]);
  const updatable = ['name', 'company', 'status', 'email', 'notes'] as const;
  for (const o of ops) {
    switch (o.kind) {
      case 'tick':
        time += o.ms;
        break;
      case 'insertLead':
        stores[o.replica]!.write((tx) =>
          tx.insert('leads', { name: o.name, company: o.company, status: o.status }),
        );
        break;
      case 'insertOpp':
        stores[o.replica]!.write((tx) =>
          tx.insert('opportunities', {
            name: o.name,
            stage_position: `${o.stage ? STAGE_B : STAGE_A}:${o.rank}`,
            amount: o.amount,
          }),
        );
        break;
      case 'update':
      case 'delete':
      case 'restore': {
        const s = stores[o.replica]!;
        const table = o.pick % 2 === 0 ? 'leads' : 'opportunities';
        const rows = rowsOf(s, table);
        if (!rows.length) break;
        const row = rows[o.pick % rows.length]!;
        s.write((tx) => {
          if (o.kind === 'delete') tx.softDelete(table, row.id);
          else if (o.kind === 'restore') tx.restore(table, row.id);
          else if (table === 'leads') {
            const field = updatable[o.field % updatable.length]!;
            tx.update('leads', row.id, {
              [field]: field === 'status' ? 'qualified' : o.value || null,
            });
          } else if (o.field % 2) {
            tx.update('opportunities', row.id, { amount: o.amount });
          } else {
            tx.update('opportunities', row.id, {
              stage_position: `${STAGE_B}:${o.value.replace(/[^0-9A-Za-z]/g, '') || 'V'}1`,
            });
          }
        });
        break;
      }
      case 'sync': {
        if (o.from === o.to) break;
        const all = stores[o.from]!.changesSince(null);
        const partial = all.filter((_, i) => o.keep[i % Math.max(o.keep.length, 1)] ?? true);
        const withDups = [...partial, ...partial.slice(0, o.dup)];
        stores[o.to]!.applyChanges(shuffle(withDups, o.order));
        sent[o.from]!.push(...partial);
        break;
      }
    }
  }
  // Full exchange: every replica hears every other's log, in a scrambled order, twice.
  for (let round = 0; round < 2; round++) {
    for (let to = 0; to < stores.length; to++) {
      for (let from = 0; from < stores.length; from++) {
        if (from === to) continue;
        const changes = stores[from]!.changesSince(null);
        stores[to]!.applyChanges(shuffle(changes, [round + from * 7 + to * 13, 3, 5, 11]));
      }
    }
  }
  return stores;
}

describe('sync convergence (property)', () => {
  it('every replica ends identical after a full exchange', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: -30 * 60_000, max: 30 * 60_000 }), {
          minLength: REPLICAS,
          maxLength: REPLICAS,
        }),
        async (ops, skews) => {
          const stores = await run(ops, skews);
          const first = snapshot(stores[0]!);
          for (const s of stores.slice(1)) expect(snapshot(s)).toEqual(first);
          // Search documents follow the merged rows on every replica.
          for (const s of stores) {
            for (const t of ['leads', 'opportunities'] as const) {
              const docs = s.first(
                s.qb.selectFrom(`search_${t}`).select((eb) => eb.fn.countAll<number>().as('n')),
              );
              expect(docs!.n).toBe(rowsOf(s, t).length);
            }
          }
          for (const s of stores) s.close();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('applying the same changes twice or in reverse order gives the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const [a] = await run(ops, [0, 0, 0]);
        const changes = a!.changesSince(null);
        const forward = await memoryStore();
        forward.applyChanges(changes);
        forward.applyChanges(changes);
        const backward = await memoryStore();
        for (const c of [...changes].reverse()) backward.applyChanges([c]);
        expect(snapshot(backward)).toEqual(snapshot(forward));
        expect(snapshot(forward)).toEqual(snapshot(a!));
      }),
      { numRuns: 40 },
    );
  });
});
