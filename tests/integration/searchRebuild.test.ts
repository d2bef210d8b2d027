// Rebuilding the search index after an upgrade (issue 21) happens beside the index search
// uses: the workspace opens at once, search keeps answering from the old documents, edits
// made meanwhile reach the new index whichever side of the rebuild they fall on, a quit
// half-way resumes at the next start, and the result is the index a rebuild from scratch
// gives.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient, type ApiServer } from '../../src-main/api/router.js';
import { createRecord, listRecords, updateRecord } from '../../src-main/services/records.js';
import { openStore } from '../../src-main/store/open.js';
import type { Store } from '../../src-main/store/store.js';
import { tempDir } from '../helpers/store.js';

const stores: Store[] = [];
const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const s of stores.splice(0)) s.close();
});

const names = (store: Store, q: string) =>
  listRecords(store, 'leads', { q, limit: 50, offset: 0, deleted: 'exclude', withTotal: true })
    .rows.map((r) => r.name)
    .sort();

/** How many live leads a search finds. */
const matching = (store: Store, q: string) =>
  listRecords(store, 'leads', { q, limit: 1, offset: 0, deleted: 'exclude', withTotal: true })
    .total;

/** A file of `n` leads whose search documents are marked as built by older rules. */
async function staleFile(n: number): Promise<string> {
  const file = path.join(tempDir(), 'stale.db');
  const store = await openStore(file);
  store.write((tx) => {
    for (let i = 0; i < n; i++)
      tx.insert('leads', { name: `客户${i}`, company: `公司${i % 13}`, email: `c${i}@example.cn` });
  });
  store.setMeta('search_doc_version', '0');
  store.close();
  return file;
}

async function open(file: string): Promise<Store> {
  const store = await openStore(file, { searchIndex: 'later' });
  stores.push(store);
  return store;
}

describe('rebuilding the search index', () => {
  it('keeps search answering, and puts edits made meanwhile into the new index', async () => {
    const file = await staleFile(5000);
    const builder = await open(file);
    const app = await open(file);
    expect(app.searchIndexCurrent()).toBe(false);
    builder.startSearchRebuild();
    builder.rebuildSearchPage('leads', 2000); // rows 1–2000 are in the new index
    // Search still answers, from the old documents.
    expect(names(app, 'c4321@example.cn')).toEqual(['客户4321']);
    // An edit of a row the rebuild has passed, one it has not reached, and a new lead.
    const [passed, ahead] = ['c10@example.cn', 'c4000@example.cn'].map(
      (email) =>
        listRecords(app, 'leads', {
          q: email,
          limit: 1,
          offset: 0,
          deleted: 'exclude',
          withTotal: false,
        }).rows[0]!,
    );
    updateRecord(app, 'leads', passed!.id, { name: '改名甲' });
    updateRecord(app, 'leads', ahead!.id, { name: '改名乙' });
    createRecord(app, 'leads', { name: '新来的', email: 'new@example.cn' });
    while (builder.rebuildSearchPage('leads', 2000).count);
    // The leads are done; the other tables still run: a lead typed now must still reach
    // the new index.
    createRecord(app, 'leads', { name: '最后一个', email: 'last@example.cn' });
    for (const t of ['contacts', 'accounts', 'opportunities'] as const)
      while (builder.rebuildSearchPage(t, 2000).count);
    builder.finishSearchRebuild();
    expect(app.searchIndexCurrent()).toBe(true);
    expect(names(app, 'gmj')).toEqual(['改名甲']);
    expect(names(app, '改名乙')).toEqual(['改名乙']);
    expect(names(app, '新来的')).toEqual(['新来的']);
    expect(names(app, 'zhyg')).toEqual(['最后一个']);
    // The old names are gone; every lead is found once.
    expect(names(app, 'c10@example.cn')).toEqual(['改名甲']);
    expect(names(app, '客户4321')).toEqual(['客户4321']);
    expect(matching(app, 'example')).toBe(5002);
  });

  it('resumes after a quit half-way, and ends with every lead found once', async () => {
    const file = await staleFile(6000);
    const first = await open(file);
    first.startSearchRebuild();
    first.rebuildSearchPage('leads', 1000);
    first.close();
    stores.splice(stores.indexOf(first), 1);
    const again = await open(file);
    expect(again.searchIndexCurrent()).toBe(false);
    const marks = again.startSearchRebuild();
    expect(marks.leads).toBeGreaterThanOrEqual(1000); // resumed, not restarted
    expect(again.ensureSearchIndex()).toBe(5000); // the rest, across the tables
    expect(names(again, '客户2999')).toEqual(['客户2999']);
    expect(names(again, 'c1500@example.cn')).toEqual(['客户1500']);
  });

  it('two connections rebuilding at once (a command run beside the app) end with one good index', async () => {
    const file = await staleFile(6000);
    const a = await open(file);
    const b = await open(file);
    a.startSearchRebuild();
    b.startSearchRebuild(); // resumes a's rebuild: the same new tables
    // Pages taken in turn: each starts where the other's ended.
    let indexed = 0;
    for (let turn = 0; turn < 40; turn++) {
      const page = (turn % 2 ? b : a).rebuildSearchPage('leads', 500);
      indexed += page.count;
    }
    for (const t of ['contacts', 'accounts', 'opportunities'] as const) a.rebuildSearchPage(t, 500);
    expect(indexed).toBe(6000);
    a.finishSearchRebuild();
    b.finishSearchRebuild(); // already swapped: nothing to do, no error
    expect(b.searchIndexCurrent()).toBe(true);
    expect(names(b, '客户5999')).toEqual(['客户5999']);
    expect(matching(b, 'example')).toBe(6000);
  });

  it('a small file is re-indexed as it opens: a worker would cost more than the work', async () => {
    const file = await staleFile(300);
    const store = await open(file);
    expect(store.searchIndexCurrent()).toBe(true);
    expect(names(store, '客户299')).toEqual(['客户299']);
  });

  it('the app opens at once and rebuilds in a worker; search works meanwhile', async () => {
    const file = await staleFile(20_000);
    const server = await openLeadbook(file, {}, { background: true });
    servers.push(server);
    const api = createInProcessClient(server);
    const state = await api.call('search.indexState', {});
    expect(state.rebuilding).toBe(true);
    expect(state.total).toBeGreaterThanOrEqual(20_000);
    const hit = await api.call('leads.list', { q: 'c19999@example.cn', limit: 5 });
    expect(hit.rows.map((r) => r.name)).toEqual(['客户19999']);
    await api.call('leads.create', { name: '刚录入', email: 'typed@example.cn' });
    let s = state;
    while (s.rebuilding) {
      await new Promise((r) => setTimeout(r, 50));
      s = await api.call('search.indexState', {});
    }
    expect(s.failed).toBe(false);
    expect((await api.call('leads.list', { q: 'glr', limit: 5 })).rows.map((r) => r.name)).toEqual([
      '刚录入',
    ]);
    expect((await api.call('leads.list', { q: '客户19999', limit: 5 })).rows).toHaveLength(1);
  });
});
