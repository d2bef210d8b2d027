import { describe, expect, it } from 'vitest';
import { memoryStore } from '../helpers/store.js';

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
