import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open.js';
import { memoryStore, tempDir } from '../helpers/store.js';

describe('store mutation path', () => {
  it('logs one change entry per mutation with every changed field', async () => {
    const store = await memoryStore();
    const id = store.write((tx) =>
      tx.insert('leads', { name: '张三', company: '华为', status: 'new' }),
    );
    store.write((tx) => tx.update('leads', id, { company: '腾讯', name: '张三' }));
    const changes = store.changesSince(null);
    expect(changes).toHaveLength(2);
    expect(changes[0]!.fields).toMatchObject({ name: '张三', company: '华为', status: 'new' });
    expect(Object.keys(changes[1]!.fields).sort()).toEqual(['company', 'updated_at']);
    expect(changes[0]!.hlc < changes[1]!.hlc).toBe(true);
  });

  it('does not log an update that changes nothing', async () => {
    const store = await memoryStore();
    const id = store.write((tx) => tx.insert('leads', { name: 'A' }));
    expect(store.write((tx) => tx.update('leads', id, { name: 'A' }))).toBe(false);
    expect(store.changesSince(null)).toHaveLength(1);
  });

  it('rolls back every write of a failed use case, change log included', async () => {
    const store = await memoryStore();
    expect(() =>
      store.write((tx) => {
        tx.insert('leads', { name: 'kept?' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.changesSince(null)).toHaveLength(0);
    expect(store.all(store.qb.selectFrom('leads').selectAll())).toHaveLength(0);
  });

  it('rejects columns that are not synced (derived columns go through setDerived)', async () => {
    const store = await memoryStore();
    expect(() => store.write((tx) => tx.insert('leads', { name: 'x', score: 5 }))).toThrow(
      /not a synced column/,
    );
    const id = store.write((tx) => tx.insert('leads', { name: 'x' }));
    store.write((tx) => tx.setDerived('leads', id, { score: 80, grade: 'hot' }));
    expect(store.changesSince(null)).toHaveLength(1);
    expect(store.first(store.qb.selectFrom('leads').select(['score', 'grade']))).toEqual({
      score: 80,
      grade: 'hot',
    });
  });

  it('refuses a write transaction object used after its transaction ended', async () => {
    const store = await memoryStore();
    let leaked: Parameters<Parameters<typeof store.write>[0]>[0] | undefined;
    store.write((tx) => {
      leaked = tx;
    });
    expect(() => leaked!.insert('leads', { name: 'late' })).toThrow(/already ended/);
  });
});

describe('values derived from columns', () => {
  const STAGE = '0190d000-0000-7000-8000-00000000000a';
  const OTHER = '0190d000-0000-7000-8000-00000000000b';

  it('a value read from a column survives edits of other columns, and no edit of its own', async () => {
    const store = await memoryStore();
    const peer = await memoryStore();
    let computed = 0;
    // What a report would compute from the stages of the deals.
    const stagesOfDeals = () =>
      store.derived('test:stages', ['opportunities.stage_position'], () => {
        computed++;
        return store
          .all(
            store.qb.selectFrom('opportunities').select('stage_id').where('deleted_at', 'is', null),
          )
          .map((r) => r.stage_id)
          .sort();
      });
    const id = store.write((tx) =>
      tx.insert('opportunities', { name: 'A', stage_position: `${STAGE}:a` }),
    );
    expect(stagesOfDeals()).toEqual([STAGE]);
    expect(computed).toBe(1);

    store.write((tx) => tx.update('opportunities', id, { next_step: '寄样品' }));
    store.write((tx) => tx.setDerived('opportunities', id, { predicted_probability: 0.4 }));
    expect(stagesOfDeals()).toEqual([STAGE]);
    expect(computed).toBe(1); // other columns: kept

    store.write((tx) => tx.update('opportunities', id, { stage_position: `${OTHER}:a` }));
    expect(stagesOfDeals()).toEqual([OTHER]);
    expect(computed).toBe(2); // its column: recomputed

    store.write((tx) => tx.insert('opportunities', { name: 'B', stage_position: `${STAGE}:b` }));
    expect(stagesOfDeals()).toEqual([STAGE, OTHER].sort());
    expect(computed).toBe(3); // a new row: recomputed

    // A row merged from another device may change any column.
    peer.write((tx) => tx.insert('opportunities', { name: 'C', stage_position: `${OTHER}:c` }));
    store.applyChanges(peer.changesSince(null));
    expect(stagesOfDeals()).toEqual([STAGE, OTHER, OTHER].sort());
    expect(computed).toBe(4);

    // Computed inside a transaction that rolls back: not kept.
    expect(() =>
      store.write((tx) => {
        tx.update('opportunities', id, { stage_position: `${STAGE}:z` });
        expect(stagesOfDeals()).toEqual([STAGE, STAGE, OTHER].sort());
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(stagesOfDeals()).toEqual([STAGE, OTHER, OTHER].sort());
    store.close();
    peer.close();
  });

  it('refuses to key a value on a column nobody writes (a generated one)', async () => {
    const store = await memoryStore();
    expect(() => store.derived('test:gen', ['opportunities.stage_id'], () => 1)).toThrow(
      /not a written column/,
    );
    expect(store.derived('test:derived', ['leads.score'], () => 2)).toBe(2);
    store.close();
  });

  it('another connection writing the file drops values read from any column', async () => {
    const file = path.join(tempDir(), 'cols.db');
    const store = await openStore(file);
    const other = await openStore(file);
    const id = store.write((tx) =>
      tx.insert('opportunities', { name: 'A', stage_position: `${STAGE}:a` }),
    );
    const read = () =>
      store.read((r) =>
        r.derived('test:stage', ['opportunities.stage_position'], () =>
          r.first(r.qb.selectFrom('opportunities').select('stage_id').where('id', '=', id)),
        ),
      );
    expect(read()).toEqual({ stage_id: STAGE });
    other.write((tx) => tx.update('opportunities', id, { stage_position: `${OTHER}:a` }));
    expect(read()).toEqual({ stage_id: OTHER });
    other.close();
    store.close();
  });
});
