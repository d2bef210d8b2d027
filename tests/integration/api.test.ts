import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-main/contract/index.js';
import { memoryApi } from '../helpers/api.js';

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('API contract (in-process)', () => {
  it('creates, gets, updates, deletes and restores a lead', async () => {
    const { api } = await memoryApi();
    const lead = await api.call('leads.create', {
      name: '张三',
      company: '华为技术',
      email: 'Zhang@Example.com',
    });
    expect(lead.status).toBe('new');
    expect(lead.email).toBe('zhang@example.com');
    const updated = await api.call('leads.update', { id: lead.id, patch: { title: '采购经理' } });
    expect(updated.title).toBe('采购经理');
    await api.call('leads.delete', { id: lead.id });
    expect((await api.call('leads.list', {})).total).toBe(0);
    expect((await api.call('leads.list', { deleted: 'only' })).total).toBe(1);
    await api.call('leads.restore', { id: lead.id });
    expect((await api.call('leads.get', { id: lead.id })).deleted_at).toBeNull();
  });

  it('lists with filters, sort and paging', async () => {
    const { api } = await memoryApi();
    for (let i = 0; i < 25; i++) {
      await api.call('leads.create', {
        name: `Lead ${String(i).padStart(2, '0')}`,
        source: i % 2 ? 'event' : 'web_form',
        status: i % 5 === 0 ? 'qualified' : 'new',
      });
    }
    const page = await api.call('leads.list', {
      filters: { source: ['event'] },
      sort: { field: 'name', dir: 'desc' },
      limit: 5,
      offset: 5,
    });
    expect(page.total).toBe(12);
    expect(page.rows.map((r) => r.name)).toEqual([
      'Lead 13',
      'Lead 11',
      'Lead 09',
      'Lead 07',
      'Lead 05',
    ]);
    const q = await api.call('leads.list', {
      filters: { status: ['qualified'], source: ['web_form'] },
    });
    expect(q.rows.map((r) => r.name).sort()).toEqual(['Lead 00', 'Lead 10', 'Lead 20']);
  });

  it('totals follow every write and survive rolled-back writes', async () => {
    const { api, server } = await memoryApi();
    for (let i = 0; i < 5; i++) await api.call('leads.create', { name: `L${i}` });
    // Offset 0 counts inline; later pages use the per-table-version count cache.
    const total = async () => {
      const first = (await api.call('leads.list', { limit: 2 })).total;
      const later = (await api.call('leads.list', { limit: 2, offset: 2 })).total;
      expect(later).toBe(first);
      return first;
    };
    expect(await total()).toBe(5);
    const extra = await api.call('leads.create', { name: 'L5' });
    expect(await total()).toBe(6);
    await api.call('leads.delete', { id: extra.id });
    expect(await total()).toBe(5);
    await rejection(
      api.call('leads.create', { name: 'bad', owner_id: '00000000-0000-7000-8000-000000000000' }),
    );
    expect(await total()).toBe(5);
    expect((await api.call('leads.list', { limit: 2, filters: { status: ['new'] } })).total).toBe(
      5,
    );
    void server;
  });

  it('finds Chinese names by characters, pinyin initials and full pinyin', async () => {
    const { api } = await memoryApi();
    await api.call('leads.create', { name: '张三', company: '北京字节跳动' });
    await api.call('leads.create', { name: '张伟', company: '上海市场' });
    await api.call('leads.create', {
      name: 'John Smith',
      company: 'Acme',
      email: 'john@acme.io',
      phone: '+86 138 0013 8000',
    });
    const names = async (q: string) =>
      (await api.call('leads.list', { q })).rows.map((r) => r.name);
    expect(await names('张三')).toEqual(['张三']);
    expect((await names('张')).sort()).toEqual(['张三', '张伟'].sort());
    expect(await names('字节跳动')).toEqual(['张三']);
    expect(await names('市场')).toEqual(['张伟']);
    expect(await names('zw')).toEqual(['张伟']);
    expect(await names('zs')).toEqual(['张三']);
    expect(await names('zhangsan')).toEqual(['张三']);
    expect(await names('zijie')).toEqual(['张三']);
    expect(await names('acme')).toEqual(['John Smith']);
    expect(await names('john@acme')).toEqual(['John Smith']);
    expect(await names('13800138000')).toEqual(['John Smith']);
    expect(await names('"); DROP TABLE leads; --')).toEqual([]);
    const hits = await api.call('search.all', { q: 'zs' });
    expect(hits).toEqual([expect.objectContaining({ entity: 'leads', title: '张三' })]);
  });

  it('keeps search in step with updates and deletes', async () => {
    const { api } = await memoryApi();
    const lead = await api.call('leads.create', { name: '李四' });
    await api.call('leads.update', { id: lead.id, patch: { name: '王五' } });
    expect((await api.call('leads.list', { q: 'ls' })).total).toBe(0);
    expect((await api.call('leads.list', { q: 'ww' })).total).toBe(1);
    await api.call('leads.delete', { id: lead.id });
    expect(await api.call('search.all', { q: 'ww' })).toEqual([]);
  });

  it('rejects bad input with {code, message, issues} and changes nothing', async () => {
    const { api } = await memoryApi();
    const cases: [string, unknown][] = [
      ['leads.create', { name: '' }],
      ['leads.create', { name: 'x', email: 'not-an-email' }],
      ['leads.create', { name: 'x', budget_amount: 12.5 }],
      ['leads.create', { name: 'x', unknown_field: 1 }],
      ['leads.create', { name: 'x', status: 'converted' }],
      ['leads.create', { name: 'x', owner_id: '00000000-0000-7000-8000-000000000000' }],
      ['leads.list', { sort: { field: 'password' } }],
      ['leads.list', { limit: 100000 }],
      ['leads.update', { id: 'nope', patch: {} }],
      ['opportunities.create', { name: 'deal', amount: -1 }],
      ['leads.create', { name: 'x', phone: '12345' }],
      ['leads.create', { name: 'x', mobile: '+86 123' }],
      ['leads.create', { name: 'x'.repeat(10_000) }],
      ['contacts.create', { name: 'x', phone: '999' }],
      ['activities.create', { kind: 'task', subject: 'call back', due_at: Date.UTC(20000, 0, 1) }],
    ];
    for (const [name, input] of cases) {
      const err = await rejection(api.call(name as 'leads.create', input as never));
      expect(err.code, `${name} ${JSON.stringify(input)}`).toBe('BAD_INPUT');
      expect(err.message.length).toBeGreaterThan(5);
      expect(Array.isArray(err.issues)).toBe(true);
    }
    expect((await api.call('leads.list', {})).total).toBe(0);
    expect((await api.call('contacts.list', {})).total).toBe(0);
    expect((await api.call('activities.list', {})).total).toBe(0);
    const lead = await api.call('leads.create', { name: 'ok', phone: '+86 138 0013 8000' });
    const badPatch = await rejection(
      api.call('leads.update', { id: lead.id, patch: { mobile: '123' } }),
    );
    expect(badPatch.issues).toEqual([
      { path: 'mobile', message: 'is not a possible phone number' },
    ]);
    expect((await api.call('leads.get', { id: lead.id })).mobile).toBeNull();
    const unknown = await rejection(api.call('leads.drop' as 'leads.list', {}));
    expect(unknown.code).toBe('UNKNOWN_PROCEDURE');
    const missing = await rejection(
      api.call('leads.get', { id: '00000000-0000-7000-8000-000000000000' }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('places a new opportunity in the first open stage and records the history', async () => {
    const { api } = await memoryApi();
    const stages = await api.call('stages.list', { sort: { field: 'sort_order', dir: 'asc' } });
    expect(stages.rows.map((s) => `${s.name_zh} ${s.probability}`)).toEqual([
      '初步接触 10',
      '需求分析 25',
      '报价 50',
      '谈判 75',
      '成交 100',
      '丢单 0',
    ]);
    const opp = await api.call('opportunities.create', { name: 'Big deal', amount: 1_000_000 });
    expect(opp.stage_id).toBe(stages.rows[0]!.id);
    expect(opp.currency).toBe('CNY');
    const second = await api.call('opportunities.create', {
      name: 'Next',
      stage_id: stages.rows[0]!.id,
    });
    expect(second.stage_position! > opp.stage_position!).toBe(true);
    const moved = await api.call('opportunities.update', {
      id: opp.id,
      patch: { stage_position: `${stages.rows[2]!.id}:a0` },
    });
    expect(moved.stage_id).toBe(stages.rows[2]!.id);
    const history = await api.call('opportunities.history', { id: opp.id });
    expect(history.map((h) => [h.from_stage_id, h.to_stage_id])).toEqual([
      [null, stages.rows[0]!.id],
      [stages.rows[0]!.id, stages.rows[2]!.id],
    ]);
  });

  it('emits change events after commits', async () => {
    const { api } = await memoryApi();
    const events: string[][] = [];
    const off = api.onEvent((e) => e.type === 'changed' && events.push(e.tables));
    await api.call('leads.create', { name: 'A' });
    await rejection(api.call('leads.create', { name: '' }));
    off();
    await api.call('leads.create', { name: 'B' });
    expect(events).toEqual([['leads']]);
  });

  it('settings: defaults, update, validation', async () => {
    const { api } = await memoryApi();
    expect(await api.call('settings.get', {})).toMatchObject({
      currency: 'CNY',
      phoneRegion: 'CN',
      teamName: '',
    });
    expect((await api.call('settings.get', {})).lostReasons).toHaveLength(5);
    expect((await rejection(api.call('settings.update', { lostReasons: ['ok', ' '] }))).code).toBe(
      'BAD_INPUT',
    );
    expect((await api.call('settings.update', { currency: 'EUR' })).currency).toBe('EUR');
    expect((await rejection(api.call('settings.update', { currency: 'euro' }))).code).toBe(
      'BAD_INPUT',
    );
    expect((await api.call('settings.get', {})).currency).toBe('EUR');
  });
});

describe('paging (property)', () => {
  it('pages at every offset, in every sort and direction, concatenate to the full ordered list', async () => {
    const { default: fc } = await import('fast-check');
    const { api } = await memoryApi();
    const companies = ['Acme', null, 'Globex', 'acme', null, 'Initech', '华为'];
    for (let i = 0; i < 37; i++) {
      await api.call('leads.create', {
        name: `L${(i * 17) % 37}`,
        company: companies[i % companies.length],
        source: i % 3 ? 'event' : 'referral',
      });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('name', 'company', 'created_at', 'source'),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        async (field, dir, limit, filtered) => {
          const base = {
            sort: { field, dir },
            ...(filtered ? { filters: { source: ['event'] } } : {}),
          };
          const all = (await api.call('leads.list', { ...base, limit: 1000 })).rows.map(
            (r) => r.id,
          );
          const paged: string[] = [];
          for (let offset = 0; offset < all.length + limit; offset += limit) {
            const page = await api.call('leads.list', { ...base, limit, offset });
            expect(page.total).toBe(all.length);
            paged.push(...page.rows.map((r) => r.id));
          }
          expect(paged).toEqual(all);
        },
      ),
      { numRuns: 30 },
    );
  });
});
