// The mutation path is the only way to write a synced table, and applyChanges refuses
// whole batches it cannot trust.
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ClockDriftError } from '../../src-main/domain/hlc.js';
import {
  InvalidChangeError,
  writeGuardByDefault,
  type Change,
  type Store,
} from '../../src-main/store/store.js';
import { memoryStore } from '../helpers/store.js';

const raw = (store: Store) => (store as unknown as { db: BetterSqlite3.Database }).db;
const count = (store: Store) => store.all(store.qb.selectFrom('leads').select('id')).length;

describe('mutation-path guard', () => {
  it('is on in every test run and in development, off in the shipped app', async () => {
    expect(writeGuardByDefault({})).toBe(false);
    expect(writeGuardByDefault({ LEADBOOK_WRITE_GUARD: '1' })).toBe(true);
    // The test configs set it, so every store a test opens (or a process it starts) guards.
    expect(process.env.LEADBOOK_WRITE_GUARD).toBe('1');
    const shipped = await memoryStore({ writeGuard: false });
    expect(() =>
      raw(shipped).prepare(`INSERT INTO leads (id, name) VALUES ('x', 'y')`).run(),
    ).not.toThrow();
  });

  it('refuses raw inserts, updates of synced columns and deletes on synced tables', async () => {
    const store = await memoryStore();
    const id = store.write((tx) => tx.insert('leads', { name: 'A' }));
    store.write((tx) =>
      tx.insert('opportunities', {
        name: 'O',
        stage_position: '0190a000-0000-7000-8000-00000000000a:V',
      }),
    );
    const db = raw(store);
    expect(() => db.prepare(`INSERT INTO leads (id, name) VALUES ('x', 'sneaky')`).run()).toThrow(
      /mutation path/,
    );
    expect(() => db.prepare(`UPDATE leads SET name = 'sneaky' WHERE id = ?`).run(id)).toThrow(
      /mutation path/,
    );
    expect(() => db.prepare(`DELETE FROM leads`).run()).toThrow(/mutation path/);
    expect(() => db.prepare(`UPDATE opportunities SET stage_position = 'x'`).run()).toThrow(
      /mutation path/,
    );
    // Derived columns are local: writing them directly is allowed.
    db.prepare(`UPDATE leads SET score = 5 WHERE id = ?`).run(id);
    expect(store.changesSince(null)).toHaveLength(2);
  });

  it('read queries cannot write', async () => {
    const store = await memoryStore();
    const qb = store.qb as unknown as { deleteFrom(t: string): { compile(): unknown } };
    expect(() => store.all(qb.deleteFrom('leads') as never)).toThrow(/SELECT/);
  });
});

describe('applyChanges', () => {
  const lead = (hlc: string, fields: Change['fields']): Change => ({
    hlc,
    table: 'leads',
    rowId: '0190a000-0000-7000-8000-000000000001',
    fields,
  });
  const hlcAt = (ms: number, node = 'bbbbbbbbbbbbbbbb') =>
    `${String(ms).padStart(15, '0')}-0000-${node}`;

  it('last writer wins per field, whatever the arrival order', async () => {
    const a = await memoryStore();
    const b = await memoryStore();
    const now = Date.now();
    const changes = [
      lead(hlcAt(now - 3000), { name: 'first', company: 'Acme' }),
      lead(hlcAt(now - 2000, 'cccccccccccccccc'), { name: 'second' }),
      lead(hlcAt(now - 1000), { company: 'Globex' }),
    ];
    a.applyChanges(changes);
    b.applyChanges([...changes].reverse());
    const row = (s: Store) => s.first(s.qb.selectFrom('leads').select(['name', 'company']));
    expect(row(a)).toEqual({ name: 'second', company: 'Globex' });
    expect(row(b)).toEqual(row(a));
  });

  it('a later local edit beats an older remote one, and an older remote one does not undo it', async () => {
    const store = await memoryStore();
    const id = store.write((tx) => tx.insert('leads', { name: 'local' }));
    store.applyChanges([
      {
        hlc: hlcAt(Date.now() - 60_000),
        table: 'leads',
        rowId: id,
        fields: { name: 'stale remote' },
      },
    ]);
    expect(store.first(store.qb.selectFrom('leads').select('name'))).toEqual({ name: 'local' });
  });

  it('refuses a batch from a clock far in the future, applying none of it', async () => {
    const store = await memoryStore();
    const ok = lead(hlcAt(Date.now() - 1000), { name: 'fine' });
    const future = {
      ...lead(hlcAt(Date.now() + 3 * 3600_000), { name: 'future' }),
      rowId: '0190a000-0000-7000-8000-000000000002',
    };
    expect(() => store.applyChanges([ok, future])).toThrow(ClockDriftError);
    expect(count(store)).toBe(0);
    expect(store.changesSince(null)).toHaveLength(0);
  });

  it('refuses malformed changes, applying none of the batch', async () => {
    const store = await memoryStore();
    const ok = lead(hlcAt(Date.now() - 1000), { name: 'fine' });
    for (const bad of [
      { ...ok, hlc: 'yesterday' },
      { ...ok, table: 'leads; DROP TABLE leads' },
      { ...ok, fields: { 'name = 1 --': 'x' } },
      { ...ok, fields: { name: { nested: true } } },
      { ...ok, rowId: '' },
    ]) {
      expect(() => store.applyChanges([ok, bad as Change])).toThrow(InvalidChangeError);
    }
    expect(count(store)).toBe(0);
  });

  it('keeps changes for unknown tables and columns instead of dropping them', async () => {
    const store = await memoryStore();
    const t = hlcAt(Date.now() - 1000);
    const r = store.applyChanges([
      lead(t, { name: 'known', linkedin_url: 'https://example.com/in/x' }),
      { hlc: hlcAt(Date.now() - 500), table: 'quotes', rowId: 'q1', fields: { total: 100 } },
    ]);
    expect(r).toEqual({ applied: 2, duplicates: 0, pendingFields: 2 });
    expect(store.first(store.qb.selectFrom('leads').select('name'))).toEqual({ name: 'known' });
    const pending = store.all(
      store.qb.selectFrom('pending_changes').select(['tbl', 'col', 'value']).orderBy('tbl'),
    );
    expect(pending).toEqual([
      { tbl: 'leads', col: 'linkedin_url', value: '"https://example.com/in/x"' },
      { tbl: 'quotes', col: 'total', value: '100' },
    ]);
    // Still relayed to other devices in full.
    expect(store.changesSince(null).map((c) => c.fields)).toContainEqual({
      name: 'known',
      linkedin_url: 'https://example.com/in/x',
    });
    expect(store.replayPending()).toBe(0);
  });

  it('counts duplicates and ignores them', async () => {
    const store = await memoryStore();
    const c = lead(hlcAt(Date.now() - 1000), { name: 'once' });
    expect(store.applyChanges([c]).applied).toBe(1);
    expect(store.applyChanges([c, c])).toEqual({ applied: 0, duplicates: 2, pendingFields: 0 });
  });
});

describe('change authors', () => {
  it('stamps local changes with the device user and carries authors through sync', async () => {
    const a = await memoryStore();
    const b = await memoryStore();
    a.setAuthor('0190a000-0000-7000-8000-0000000000aa');
    const id = a.write((tx) => tx.insert('leads', { name: 'A' }));
    a.setAuthor(null);
    a.write((tx) => tx.update('leads', id, { name: 'B' }));
    const changes = a.changesSince(null);
    expect(changes.map((c) => c.author)).toEqual(['0190a000-0000-7000-8000-0000000000aa', null]);
    b.applyChanges(changes);
    expect(b.changesSince(null).map((c) => c.author)).toEqual(changes.map((c) => c.author));
    expect(() =>
      b.applyChanges([
        { ...changes[0]!, hlc: changes[0]!.hlc.replace(/.$/, 'f'), author: 42 as never },
      ]),
    ).toThrow(InvalidChangeError);
  });
});

describe('bulk writes', () => {
  it('lift the guard only inside their transaction: it is back after success and after failure', async () => {
    const store = await memoryStore();
    const db = raw(store);
    const sneak = () =>
      db.prepare(`INSERT INTO leads (id, name) VALUES (?, 'sneaky')`).run(newSneakId());
    let n = 0;
    const newSneakId = () => `sneak-${n++}`;
    store.writeBulk((tx) => {
      for (let i = 0; i < 3; i++) tx.insert('leads', { name: `L${i}` });
    });
    expect(sneak).toThrow(/mutation path/);
    expect(() =>
      store.writeBulk((tx) => {
        tx.insert('leads', { name: 'rolled back' });
        throw new Error('import failed');
      }),
    ).toThrow('import failed');
    expect(sneak).toThrow(/mutation path/);
    expect(count(store)).toBe(3);
    // Every bulk row went through the mutation path: each has its change-log entry.
    expect(store.changesSince(null).filter((c) => c.table === 'leads')).toHaveLength(3);
  });
});
