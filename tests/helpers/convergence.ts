// The convergence property, shared by the SQLite and PostgreSQL runs: 3–5 laptops (real
// store files, the real engine) make random edits with skewed clocks — leads, edits,
// deletes and restores, conversions of the same lead on two laptops, card moves — and
// sync at random moments through a proxy that drops requests, delays, and loses responses
// after the server committed; the server restarts mid-run. After a final full sync every
// laptop's synced tables are identical, every entry any laptop wrote is on the server, and
// a lead converted on two laptops is one opportunity.
import fc from 'fast-check';
import { expect } from 'vitest';
import { convertLead } from '../../src-main/services/conversion.js';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { moveOpportunity } from '../../src-main/services/pipeline.js';
import { createRecord, setDeleted, updateRecord } from '../../src-main/services/records.js';
import type { Store } from '../../src-main/store/store.js';
import {
  startSyncServer,
  type RunningSyncServer,
  type SyncServerOptions,
} from '../../src-server/server.js';
import { startFaultProxy } from './faultProxy.js';
import { tempDir } from './store.js';
import { openLaptop, serverHlcs, syncedSnapshot, type Laptop } from './sync.js';

type Op =
  | { kind: 'lead'; laptop: number; name: string; company: string; email: boolean }
  | { kind: 'edit'; laptop: number; pick: number; field: number; value: string }
  | { kind: 'delete' | 'restore'; laptop: number; pick: number }
  | { kind: 'convertBoth'; a: number; b: number; pick: number }
  | { kind: 'move'; laptop: number; pick: number; stage: number }
  | { kind: 'sync'; laptop: number }
  | { kind: 'restart' };

const MAX_LAPTOPS = 5;
const laptopIx = fc.nat({ max: MAX_LAPTOPS - 1 });
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.constantFrom('张三', '李四', '王伟', '华为', '字节跳动', 'Acme GmbH'),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('lead' as const),
      laptop: laptopIx,
      name: text,
      company: text,
      email: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      laptop: laptopIx,
      pick: fc.nat(),
      field: fc.nat(),
      value: text,
    }),
    weight: 4,
  },
  fc.record({
    kind: fc.constantFrom('delete' as const, 'restore' as const),
    laptop: laptopIx,
    pick: fc.nat(),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('convertBoth' as const),
      a: laptopIx,
      b: laptopIx,
      pick: fc.nat(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      laptop: laptopIx,
      pick: fc.nat(),
      stage: fc.nat({ max: 5 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), laptop: laptopIx }), weight: 5 },
  { arbitrary: fc.constant({ kind: 'restart' as const }), weight: 1 },
);

const STAGES = ['initial', 'needs', 'quote', 'negotiation', 'won', 'lost'];
const EDIT_FIELDS = ['status', 'company', 'notes', 'next_step', 'title'] as const;

const liveIds = (
  store: Store,
  table: 'leads' | 'opportunities',
  includeDeleted = false,
): string[] =>
  store
    .read((r) => {
      let q = r.qb.selectFrom(table).select('id');
      if (!includeDeleted) q = q.where('deleted_at', 'is', null);
      return r.all(q.orderBy('id'));
    })
    .map((x) => x.id);

const attempt = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    // Refused by the rules (a converted lead is read-only, a deleted deal cannot move…):
    // a user would see the message; the property only needs what was written.
  }
};

export interface ConvergenceOptions {
  numRuns: number;
  /** A fresh server store per run: the SQLite file, or a new PostgreSQL database. */
  serverStore: (run: number) => Promise<Pick<SyncServerOptions, 'dataFile' | 'databaseUrl'>>;
  seed?: number;
}

export async function checkConvergence(options: ConvergenceOptions): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 3, max: MAX_LAPTOPS }),
      fc.array(fc.integer({ min: -25 * 60_000, max: 25 * 60_000 }), {
        minLength: MAX_LAPTOPS,
        maxLength: MAX_LAPTOPS,
      }),
      fc.array(opArb, { minLength: 10, maxLength: 45 }),
      fc.integer({ min: 1, max: 2 ** 30 }),
      async (count, skews, ops, proxySeed) => {
        run++;
        const storeOptions = await options.serverStore(run);
        let server: RunningSyncServer = await startSyncServer({
          host: '127.0.0.1',
          port: 0,
          ...storeOptions,
        });
        const proxy = await startFaultProxy(() => server.url, proxySeed);
        proxy.setFaultRate(0.3);
        const dir = tempDir('leadbook-conv-');
        const laptops: Laptop[] = [];
        try {
          for (let i = 0; i < count; i++) {
            const { token } = await server.store.createToken({ user: `rep${i}` });
            const skew = skews[i]!;
            laptops.push(
              await openLaptop(`l${i}`, proxy.url, token, {
                dir,
                store: { clock: { now: () => Date.now() + skew }, now: () => Date.now() + skew },
                engine: { pushBatch: 7, pullBatch: 9, applyBatch: 4, client: { timeoutMs: 5_000 } },
              }),
            );
          }
          const at = (i: number) => laptops[i % count]!;
          for (const op of ops) {
            switch (op.kind) {
              case 'lead':
                attempt(() =>
                  createRecord(at(op.laptop).store, 'leads', {
                    name: op.name,
                    company: op.company,
                    ...(op.email
                      ? { email: `${op.name.length}x${op.company.length}@example.com` }
                      : {}),
                  }),
                );
                break;
              case 'edit': {
                const s = at(op.laptop).store;
                const ids = liveIds(s, 'leads');
                if (!ids.length) break;
                const field = EDIT_FIELDS[op.field % EDIT_FIELDS.length]!;
                const value =
                  field === 'status'
                    ? ['new', 'contacted', 'qualified'][op.value.length % 3]!
                    : op.value;
                attempt(() =>
                  updateRecord(s, 'leads', ids[op.pick % ids.length]!, { [field]: value }),
                );
                break;
              }
              case 'delete':
              case 'restore': {
                const s = at(op.laptop).store;
                const ids = liveIds(s, 'leads', op.kind === 'restore');
                if (ids.length)
                  attempt(() =>
                    setDeleted(s, 'leads', ids[op.pick % ids.length]!, op.kind === 'delete'),
                  );
                break;
              }
              case 'convertBoth': {
                // The same lead converted on two laptops (each offline since their last sync).
                const a = at(op.a).store;
                const ids = liveIds(a, 'leads');
                if (!ids.length) break;
                const id = ids[op.pick % ids.length]!;
                attempt(() => convertLead(a, { id, account: 'auto', contact: 'auto' }));
                const b = at(op.b).store;
                if (b !== a && liveIds(b, 'leads').includes(id))
                  attempt(() => convertLead(b, { id, account: 'auto', contact: 'auto' }));
                break;
              }
              case 'move': {
                const s = at(op.laptop).store;
                const ids = liveIds(s, 'opportunities');
                if (!ids.length) break;
                const key = STAGES[op.stage % STAGES.length]!;
                attempt(() =>
                  moveOpportunity(s, {
                    id: ids[op.pick % ids.length]!,
                    stageId: defaultStageId(key),
                    ...(key === 'lost' ? { lostReason: '价格' } : {}),
                  }),
                );
                break;
              }
              case 'sync':
                await at(op.laptop)
                  .engine.syncOnce()
                  .catch(() => undefined);
                break;
              case 'restart':
                await server.close();
                server = await startSyncServer({ host: '127.0.0.1', port: 0, ...storeOptions });
                break;
            }
          }
          // The network heals: full syncs until nothing moves.
          proxy.setFaultRate(0);
          for (let round = 0; round < 3; round++)
            for (const l of laptops) await l.engine.syncOnce();

          const first = syncedSnapshot(laptops[0]!.store);
          for (const l of laptops.slice(1)) expect(syncedSnapshot(l.store)).toEqual(first);
          const onServer = new Set(
            await serverHlcs(
              server.url,
              (await server.store.createToken({ user: 'auditor' })).token,
            ),
          );
          for (const l of laptops) {
            const written = l.store.read((r) =>
              r.all(r.qb.selectFrom('change_log').select('hlc').where('origin', '=', 'local')),
            );
            for (const { hlc } of written) expect(onServer.has(hlc), `${l.name} ${hlc}`).toBe(true);
            expect(l.engine.status()!.waiting).toBe(0);
          }
          const converted = (
            first.leads as { id: string; converted_opportunity_id: string | null }[]
          ).filter((x) => x.converted_opportunity_id);
          const opps = first.opportunities as { id: string; lead_id: string | null }[];
          for (const lead of converted) {
            if (process.env.DEBUG_CONV && opps.filter((o) => o.lead_id === lead.id).length !== 1)
              console.log(
                JSON.stringify({
                  lead: lead.id,
                  want: lead.converted_opportunity_id,
                  opps: opps.map((o) => [o.id, o.lead_id]),
                }),
              );
            expect(opps.filter((o) => o.lead_id === lead.id)).toHaveLength(1);
          }
        } finally {
          for (const l of laptops) await l.close();
          await proxy.close();
          await server.close();
        }
      },
    ),
    {
      numRuns: options.numRuns,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      endOnFailure: true,
    },
  );
}
