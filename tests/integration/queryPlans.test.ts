// Guards the speed of the leads list at 100 000 rows by its query plans: a page must be
// read off an index in sort order, never by sorting the whole table (an added index once
// made SQLite do exactly that, 100× slower).
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  boardInput,
  crudEntities,
  listInputSchema,
  type ListInput,
} from '../../src-main/contract/index.js';
import { board } from '../../src-main/services/pipeline.js';
import { listRows } from '../../src-main/services/listQuery.js';
import type { Reader } from '../../src-main/store/readQuery.js';
import type { Store } from '../../src-main/store/store.js';
import { memoryStore } from '../helpers/store.js';

function plansOf(store: Store, input: ListInput): string[] {
  return plansDuring(store, (spy) =>
    listRows(spy, crudEntities.leads, listInputSchema(crudEntities.leads).parse(input)),
  );
}

/** The query plans of everything `read` asks of the store. */
function plansDuring(store: Store, read: (r: Reader) => unknown): string[] {
  const db = (store as unknown as { db: BetterSqlite3.Database }).db;
  const plans: string[] = [];
  const explain = (q: Compilable<unknown>) => {
    const c = q.compile();
    plans.push(
      (
        db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(' | '),
    );
  };
  const spy: Reader = {
    qb: store.qb,
    all: (q) => (explain(q), store.all(q)),
    first: (q) => (explain(q), store.first(q)),
    count: (q, tables) => (explain(q), store.count(q, tables)),
    derived: (key, tables, compute) => store.derived(key, tables, compute),
  };
  read(spy);
  return plans;
}

describe('leads list query plans', () => {
  it.each<[string, ListInput]>([
    ['default order', { limit: 100 }],
    ['a deep page', { limit: 100, offset: 400, withTotal: false }],
    ['sorted by name', { sort: { field: 'name', dir: 'asc' }, limit: 100 }],
    ['sorted by company, descending', { sort: { field: 'company', dir: 'desc' }, limit: 100 }],
    ['filtered by status', { filters: { status: ['contacted'] }, limit: 100 }],
    [
      'filtered by owner',
      { filters: { owner_id: ['0190a000-0000-7000-8000-000000000001'] }, limit: 100 },
    ],
    ['sorted by score', { sort: { field: 'score', dir: 'desc' }, limit: 100 }],
  ])('%s: read in index order, counted on an index', async (_name, input) => {
    const store = await memoryStore();
    store.write((tx) => {
      for (let i = 0; i < 1200; i++)
        tx.insert('leads', {
          name: `L${i}`,
          company: `C${i % 50}`,
          status: i % 3 ? 'new' : 'contacted',
        });
    });
    const plans = plansOf(store, input);
    const pageQuery = plans[0]!;
    expect(pageQuery).toMatch(/USING (COVERING )?INDEX leads_live_/);
    expect(pageQuery).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    for (const p of plans.slice(1)) expect(p).not.toMatch(/SCAN leads$|SCAN leads \|/);
  });

  it.each([
    [
      'few leads have one: from the open tasks, then their leads by id',
      5,
      /SEARCH activities USING (COVERING )?INDEX activities_open_task_due \(due_at<\?\)/,
      /SEARCH leads USING INDEX sqlite_autoindex_leads_1 \(id=\?\)/,
    ],
    [
      'many have one: walk the list in order, ask each lead’s open tasks',
      300,
      /SCAN leads USING INDEX leads_live_created/,
      /activities USING (COVERING )?INDEX activities_open_task_lead \(lead_id=\? AND due_at<\?\)/,
    ],
  ])('"has an overdue task" when %s', async (_name, overdueLeads, first, second) => {
    const store = await memoryStore();
    const now = Date.now();
    store.write((tx) => {
      for (let i = 0; i < 1200; i++) {
        const id = tx.insert('leads', { name: `L${i}` });
        // Calls and notes outnumber tasks, as in real use; they must not be read.
        tx.insert('activities', { kind: 'call', subject: 'c', lead_id: id, occurred_at: now });
        if (i < overdueLeads)
          tx.insert('activities', {
            kind: 'task',
            subject: 't',
            lead_id: id,
            due_at: now - 86_400_000,
          });
      }
    });
    const plans = plansOf(store, { overdue_before: now, limit: 100 });
    const page = plans.find(
      (p) => /ORDER BY|SCAN leads USING INDEX leads_live/.test(p) || plans.length === 1,
    )!;
    expect(plans.join('\n')).toMatch(first);
    expect(plans.join('\n')).toMatch(second);
    expect(page).not.toMatch(/SCAN activities/);
    const result = listRows(
      store as unknown as Reader,
      crudEntities.leads,
      listInputSchema(crudEntities.leads).parse({ overdue_before: now, limit: 100 }),
    );
    expect(result.total).toBe(overdueLeads);
    expect(result.rows).toHaveLength(Math.min(100, overdueLeads));
  });

  it('the board finds each card’s next task by its deal, not by reading every open task', async () => {
    const store = await memoryStore();
    const now = Date.now();
    store.write((tx) => {
      const stage = {
        id: tx.insert('stages', {
          name_zh: '报价',
          name_en: 'Quote',
          sort_order: 1,
          probability: 50,
          kind: 'open',
        }),
      };
      for (let i = 0; i < 300; i++) {
        const lead = tx.insert('leads', { name: `L${i}` });
        // Many open tasks on leads, a few on deals: the due-date index would read them all.
        tx.insert('activities', { kind: 'task', subject: 't', lead_id: lead, due_at: now + i });
        if (i % 10) continue;
        const deal = tx.insert('opportunities', {
          name: `O${i}`,
          stage_position: `${stage.id}:a${i}`,
        });
        tx.insert('activities', { kind: 'task', subject: 'n', opportunity_id: deal, due_at: now });
      }
    });
    const plans = plansDuring(store, (r) => board(r, boardInput.parse({}), now)).filter((p) =>
      p.includes('activities'),
    );
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p).toMatch(/activities USING INDEX activities_opportunity/);
      expect(p).not.toMatch(/activities_due|activities_open_task/);
    }
    const cards = board(store as unknown as Reader, boardInput.parse({}), now).flatMap(
      (c) => c.cards,
    );
    expect(cards).toHaveLength(30);
    expect(cards.every((c) => c.nextActivity?.subject === 'n')).toBe(true);
  });
});
