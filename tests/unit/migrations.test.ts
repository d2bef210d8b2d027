// Every migration has a test. 0001 creates the whole model; the runner backs up before
// migrating an existing file, keeps the newest five backups, and refuses newer files.
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openStore, DatabaseOpenError } from '../../src-main/store/open.js';
import { openSqlite } from '../../src-main/store/sqlite.js';
import { tempDir } from '../helpers/store.js';

const tablesOf = (file: string) => {
  const db = openSqlite(file, { readonly: true });
  try {
    return (
      db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all() as {
        name: string;
      }[]
    ).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('0001_initial', () => {
  it('creates the whole data model, the change log and the search index', async () => {
    const file = path.join(tempDir(), 'm1.db');
    (await openStore(file)).close();
    const tables = tablesOf(file);
    for (const t of [
      'users',
      'campaigns',
      'accounts',
      'contacts',
      'leads',
      'stages',
      'opportunities',
      'stage_history',
      'activities',
      'assignment_rules',
      'scoring_rules',
      'targets',
      'saved_views',
      'settings',
      'meta',
      'change_log',
      'pending_changes',
      'search_leads',
      'search_contacts',
      'search_accounts',
      'search_opportunities',
    ]) {
      expect(tables, t).toContain(t);
    }
    const db = openSqlite(file);
    const leadCols = (db.prepare(`PRAGMA table_info(leads)`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    for (const c of [
      'budget',
      'authority',
      'need',
      'timeline',
      'score',
      'grade',
      'score_breakdown',
      'predicted_probability',
      'wechat',
    ]) {
      expect(leadCols).toContain(c);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('derives stage_id from the one synced stage_position field', async () => {
    const store = await openStore(':memory:');
    const stage = '0190a000-0000-7000-8000-00000000000a';
    const id = store.write((tx) =>
      tx.insert('opportunities', { name: 'x', stage_position: `${stage}:V` }),
    );
    expect(
      store.first(store.qb.selectFrom('opportunities').select('stage_id').where('id', '=', id)),
    ).toEqual({ stage_id: stage });
  });
});

describe('0007_lead_assignment', () => {
  it("adds the rule that assigned a lead, when, and a rule's daily capacity — keeping data", async () => {
    const file = path.join(tempDir(), 'm7.db');
    const upTo6 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0007'));
    const before = await openStore(file, { migrations: upTo6 });
    const id = before.write((tx) => tx.insert('leads', { name: '老线索', owner_id: 'u1' }));
    before.close();
    const after = await openStore(file, { migrations });
    expect(
      after.first(
        after.qb
          .selectFrom('leads')
          .select(['name', 'owner_id', 'assigned_rule_id', 'assigned_at'])
          .where('id', '=', id),
      ),
    ).toEqual({ name: '老线索', owner_id: 'u1', assigned_rule_id: null, assigned_at: null });
    after.write((tx) =>
      tx.insert('assignment_rules', {
        name: 'r',
        sort_order: 0,
        strategy: 'user',
        daily_capacity: 5,
      }),
    );
    const plan = (after as unknown as { db: BetterSqlite3.Database }).db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT owner_id, count(*) FROM leads WHERE assigned_at >= 0 GROUP BY owner_id`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('leads_assigned_at');
    after.close();
  });
});

describe('0008_report_indexes', () => {
  it('adds the report indexes to a 0007 file, keeping its data, and the funnel reads one', async () => {
    const file = path.join(tempDir(), 'm8.db');
    const upTo7 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0008'));
    const before = await openStore(file, { migrations: upTo7 });
    const id = before.write((tx) =>
      tx.insert('leads', { name: '展会线索', source: 'event', status: 'contacted' }),
    );
    before.close();
    const upTo8 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0009'));
    const after = await openStore(file, { migrations: upTo8 });
    expect(
      after.first(after.qb.selectFrom('leads').select(['name', 'status']).where('id', '=', id)),
    ).toEqual({ name: '展会线索', status: 'contacted' });
    const db = (after as unknown as { db: BetterSqlite3.Database }).db;
    const names = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['leads_report', 'leads_converted', 'stage_history_stays']),
    );
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT source, campaign_id, count(*) FROM leads INDEXED BY leads_report
         WHERE deleted_at IS NULL AND created_at >= 0 GROUP BY source, campaign_id`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX leads_report/);
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    after.close();
  });
});

describe('0009_stage_stays', () => {
  it('gives every history entry of a 0008 file its end and its deal’s outcome, then triggers keep them', async () => {
    const file = path.join(tempDir(), 'm9.db');
    const upTo8 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0009'));
    const before = await openStore(file, { migrations: upTo8 });
    const deal = '0190c000-0000-7000-8000-000000000001';
    const other = '0190c000-0000-7000-8000-000000000002';
    const day = 86_400_000;
    const entry = (opportunity_id: string, to_stage_id: string, changed_at: number) =>
      before.write((tx) => tx.insert('stage_history', { opportunity_id, to_stage_id, changed_at }));
    // Written out of time order, as sync may deliver them; one entry deleted.
    const third = entry(deal, '谈判', 10 * day);
    const first = entry(deal, '初步接触', 1 * day);
    const gone = entry(deal, '报价', 3 * day);
    const second = entry(deal, '需求分析', 4 * day);
    const only = entry(other, '初步接触', 2 * day);
    before.write((tx) => tx.softDelete('stage_history', gone));
    // The deal was won.
    const won = '0190c000-0000-7000-8000-0000000000ff';
    before.write((tx) => {
      tx.insert(
        'stages',
        { name_zh: '赢单', name_en: 'Won', sort_order: 9, probability: 100, kind: 'won' },
        won,
      );
      tx.insert(
        'opportunities',
        { name: '大单', stage_position: `${won}:a`, closed_at: 11 * day },
        deal,
      );
    });
    before.close();

    const after = await openStore(file, { migrations });
    const ends = () =>
      new Map(
        after
          .all(after.qb.selectFrom('stage_history').select(['id', 'left_at']))
          .map((r) => [r.id, r.left_at]),
      );
    // The deleted entry neither ends the first stay nor has an end of its own.
    expect(ends()).toEqual(
      new Map([
        [first, 4 * day],
        [second, 10 * day],
        [third, null],
        [gone, null],
        [only, null],
      ]),
    );
    // A new entry ends the current stay; restoring the deleted one splits the first stay.
    const fourth = after.write((tx) =>
      tx.insert('stage_history', {
        opportunity_id: deal,
        to_stage_id: '成交',
        changed_at: 12 * day,
      }),
    );
    after.write((tx) => tx.restore('stage_history', gone));
    expect(ends()).toEqual(
      new Map([
        [first, 3 * day],
        [gone, 4 * day],
        [second, 10 * day],
        [third, 12 * day],
        [fourth, null],
        [only, null],
      ]),
    );
    // Every entry of the won deal says so; reopening it clears them.
    const outcomes = () =>
      new Map(
        after
          .all(after.qb.selectFrom('stage_history').select(['id', 'deal_outcome']))
          .filter((r) => r.id !== gone)
          .map((r) => [r.id, r.deal_outcome]),
      );
    expect(outcomes()).toEqual(
      new Map([
        [first, 'won'],
        [second, 'won'],
        [third, 'won'],
        [fourth, 'won'],
        [only, null],
      ]),
    );
    after.write((tx) => tx.update('opportunities', deal, { closed_at: null }));
    expect([...outcomes().values()].every((o) => o === null)).toBe(true);
    const db = (after as unknown as { db: BetterSqlite3.Database }).db;
    const names = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['stage_history_ended', 'stage_history_learned']));
    expect(names).not.toContain('stage_history_stays');
    // The learned win rates group the stays in index order: no sort.
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT to_stage_id, (left_at - changed_at) / 86400000, count(*)
           FROM stage_history INDEXED BY stage_history_learned
           WHERE deleted_at IS NULL AND left_at IS NOT NULL AND deal_outcome IS NOT NULL
           GROUP BY to_stage_id, (left_at - changed_at) / 86400000`,
        )
        .all() as { detail: string }[]
    )
      .map((p) => p.detail)
      .join(' ');
    expect(plan).toMatch(/stage_history_learned/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    after.close();
  });
});

describe('0010_activity_report_index', () => {
  it('indexes activities by rep and the moment they happened, keeping a 0009 file’s data', async () => {
    const file = path.join(tempDir(), 'm10.db');
    const upTo9 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0010'));
    const before = await openStore(file, { migrations: upTo9 });
    const id = before.write((tx) =>
      tx.insert('activities', { kind: 'call', subject: '首次电话', occurred_at: 1_000 }),
    );
    before.close();
    const after = await openStore(file, { migrations });
    expect(
      after.first(after.qb.selectFrom('activities').select('subject').where('id', '=', id)),
    ).toEqual({ subject: '首次电话' });
    const db = (after as unknown as { db: BetterSqlite3.Database }).db;
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT count(*) FROM activities a WHERE a.owner_id = ?
             AND a.deleted_at IS NULL
             AND (CASE WHEN a.kind = 'task' THEN a.done_at ELSE coalesce(a.occurred_at, a.done_at, a.created_at) END) >= ?`,
        )
        .all('u', 0) as { detail: string }[]
    )
      .map((p) => p.detail)
      .join(' ');
    expect(plan).toMatch(/activities_logged \(owner_id=\? AND <expr>>\?\)/);
    after.close();
  });
});

describe('0011_sync_arrival', () => {
  it('numbers a 0010 file’s log in HLC order, then every new entry by arrival', async () => {
    const file = path.join(tempDir(), 'm11.db');
    const upTo10 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0011'));
    const before = await openStore(file, { migrations: upTo10 });
    const ids = ['甲', '乙', '丙'].map((name) =>
      before.write((tx) => tx.insert('leads', { name })),
    );
    before.close();
    const after = await openStore(file, { migrations });
    const log = () =>
      after.all(
        after.qb.selectFrom('change_log').select(['hlc', 'seq', 'via', 'row_id']).orderBy('seq'),
      );
    const old = log();
    expect(old.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(old.map((e) => e.row_id)).toEqual(ids);
    expect(old.every((e) => e.via === null)).toBe(true);
    // An entry received from elsewhere with an older HLC still arrives last.
    after.applyChanges(
      [
        {
          hlc: '000000000000005-0000-00000000000000ab',
          table: 'leads',
          rowId: 'x',
          fields: { name: '旧' },
        },
      ],
      { via: 'peer-1' },
    );
    const now = log();
    expect(now[3]).toMatchObject({ seq: 4, row_id: 'x', via: 'peer-1' });
    expect(after.logSince(3, 10).map((e) => e.rowId)).toEqual(['x']);
    expect(after.countWaiting(0, 'peer-1')).toBe(3);
    after.close();
  });
});

describe('0013_import_keeps_everyone and 0014_custom_fields', () => {
  it('give a 0012 file’s leads other phones, source records and custom fields, keeping data', async () => {
    const file = path.join(tempDir(), 'm13.db');
    const upTo12 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0013'));
    const before = await openStore(file, { migrations: upTo12 });
    const id = before.write((tx) => tx.insert('leads', { name: '老客户', phone: '13800138000' }));
    before.close();
    const after = await openStore(file, { migrations });
    const lead = after.first(after.qb.selectFrom('leads').selectAll().where('id', '=', id))!;
    expect([lead.name, lead.phone, lead.other_phones, lead.source_record_id]).toEqual([
      '老客户',
      '13800138000',
      null,
      null,
    ]);
    expect(tablesOf(file)).toEqual(
      expect.arrayContaining(['duplicate_dismissals', 'custom_fields', 'custom_values']),
    );
    // The new columns and tables are written through the mutation path like any other.
    after.write((tx) => {
      tx.update('leads', id, {
        other_phones: '["9"]',
        source_system: 'record id',
        source_record_id: '7',
      });
      const field = tx.insert('custom_fields', { key: 'tier', label: 'Tier', type: 'choice' });
      tx.insert('custom_values', { lead_id: id, field_id: field, value: 'A' });
    });
    expect(after.changesSince(null).map((c) => c.table)).toEqual(
      expect.arrayContaining(['custom_fields', 'custom_values']),
    );
    after.close();
  });
});

describe('migration runner', () => {
  const extra = {
    '9000_test_add_column': {
      up: async (db: Parameters<(typeof migrations)['0001_initial']['up']>[0]) => {
        await sql`ALTER TABLE leads ADD COLUMN test_extra TEXT`.execute(db);
      },
    },
  };

  it('backs up an existing file before migrating it, and keeps the newest five backups', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'app.db');
    const s = await openStore(file, { migrations });
    s.write((tx) => tx.insert('leads', { name: 'before upgrade' }));
    s.close();
    const backups = path.join(dir, 'backups');
    fs.mkdirSync(backups, { recursive: true });
    for (let i = 0; i < 6; i++)
      fs.writeFileSync(path.join(backups, `app-2020-01-0${i + 1}T00-00-00-000Z-old.db`), 'x');

    const upgraded = await openStore(file, { migrations: { ...migrations, ...extra } });
    upgraded.close();
    const files = fs.readdirSync(backups).sort();
    expect(files).toHaveLength(5);
    const newest = files[files.length - 1]!;
    expect(newest).toMatch(/before-9000_test_add_column\.db$/);
    // The backup is the database as it was: old schema, data intact.
    const db = openSqlite(path.join(backups, newest), { readonly: true });
    const cols = (db.prepare('PRAGMA table_info(leads)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).not.toContain('test_extra');
    expect(db.prepare('SELECT name FROM leads').all()).toEqual([{ name: 'before upgrade' }]);
    db.close();
  });

  it('makes no backup for a new file or when nothing is pending', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'new.db');
    (await openStore(file)).close();
    (await openStore(file)).close();
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });

  it('refuses a database written by a newer version, without changing it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'newer.db');
    (await openStore(file, { migrations: { ...migrations, ...extra } })).close();
    const before = fs.readFileSync(file);
    await expect(openStore(file, { migrations })).rejects.toThrow(DatabaseOpenError);
    await expect(openStore(file, { migrations })).rejects.toThrow(/newer version/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'junk.db');
    fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
    await expect(openStore(file)).rejects.toThrow(DatabaseOpenError);
  });
});
