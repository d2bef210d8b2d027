// Merging the full-text indexes (after bulk writes) changes how they are laid out, never
// what they find: searches and duplicate lookups answer the same before and after, and
// writes after the merge are indexed as before.
import { describe, expect, it } from 'vitest';
import { findDuplicates } from '../../src-main/services/duplicates.js';
import { createRecord, listRecords, updateRecord } from '../../src-main/services/records.js';
import type { Store } from '../../src-main/store/store.js';
import { memoryStore } from '../helpers/store.js';

const names = (store: Store, q: string) =>
  listRecords(store, 'leads', { q, limit: 50, offset: 0, deleted: 'exclude', withTotal: true })
    .rows.map((r) => r.name)
    .sort();

describe('optimizeSearchIndex', () => {
  it('finds the same before and after, and keeps indexing later writes', async () => {
    const store = await memoryStore();
    // Many small transactions: many index segments, as typing leads in one by one makes.
    for (let i = 0; i < 60; i++)
      createRecord(store, 'leads', {
        name: `张${i}`,
        email: `z${i}@bytedance.com`,
        company: '字节跳动',
      });
    const ouyang = createRecord(store, 'leads', { name: '欧阳娜娜', phone: '+86 139 1234 5678' });
    const queries = ['oyn', '张1', 'bytedance', '13912345678', 'zijie'];
    const before = queries.map((q) => names(store, q));
    const dupBefore = store.read((r) => findDuplicates(r, { email: 'Z7@bytedance.com' }));
    store.optimizeSearchIndex();
    expect(queries.map((q) => names(store, q))).toEqual(before);
    expect(store.read((r) => findDuplicates(r, { email: 'Z7@bytedance.com' }))).toEqual(dupBefore);
    expect(before[0]).toEqual(['欧阳娜娜']);
    updateRecord(store, 'leads', ouyang.id, { name: '司马娜娜' });
    expect(names(store, 'oyn')).toEqual([]);
    expect(names(store, 'smnn')).toEqual(['司马娜娜']);
  });
});
