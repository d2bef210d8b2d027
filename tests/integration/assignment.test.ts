// Assignment rules through the API: captured and imported leads go where the first
// matching rule sends them, each records the rule, round-robin turns survive a restart,
// a selection can be reassigned, and a bad configuration changes nothing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';
import type { AssignmentConfigInput, LeadbookApi } from '../../src-main/contract/index.js';
import { memoryApi } from '../helpers/api.js';
import { tempDir } from '../helpers/store.js';

async function team(api: LeadbookApi) {
  const [a, b, c] = await Promise.all(
    ['张伟', '李娜', 'Tom'].map((name) => api.call('users.create', { name })),
  );
  return { a: a!.id, b: b!.id, c: c!.id };
}

const boothPool = (
  pool: string[],
  extra: Partial<AssignmentConfigInput['rules'][number]> = {},
) => ({
  name: '展会线索轮流分配',
  conditions: [{ field: 'source' as const, op: 'equals' as const, value: 'event' }],
  strategy: 'round_robin' as const,
  pool,
  ...extra,
});

const capture = (api: LeadbookApi, name: string, extra: Record<string, unknown> = {}) =>
  api.call('leads.create', { name, source: 'event', ...extra });

const csv = (rows: string[]) => Buffer.from(['name,source', ...rows].join('\n')).toString('base64');

describe('assignment rules', () => {
  it('sends captured leads round-robin through a pool and records the rule', async () => {
    const { api } = await memoryApi();
    const { a, b } = await team(api);
    const config = await api.call('assignment.updateConfig', { rules: [boothPool([a, b])] });
    const ruleId = config.rules[0]!.id;
    const first = await capture(api, '王一');
    const second = await capture(api, '王二');
    const third = await capture(api, '王三');
    expect([first.owner_id, second.owner_id, third.owner_id]).toEqual([a, b, a]);
    expect(first.assigned_rule_id).toBe(ruleId);
    expect(first.assigned_at).toBeTypeOf('number');
    // A lead the rule does not match falls to the default owner, else to this laptop's
    // user, else to nobody.
    expect((await api.call('leads.create', { name: '网来', source: 'web_form' })).owner_id).toBe(
      null,
    );
    await api.call('device.update', { currentUserId: b });
    const mine = await api.call('leads.create', { name: '网来二', source: 'web_form' });
    expect([mine.owner_id, mine.assigned_rule_id]).toEqual([b, null]);
    // An owner given explicitly is kept.
    expect((await capture(api, '指定', { owner_id: b })).owner_id).toBe(b);
    // Chosen by hand later: no rule assigned it any more.
    const moved = await api.call('leads.update', { id: first.id, patch: { owner_id: b } });
    expect([moved.owner_id, moved.assigned_rule_id]).toEqual([b, null]);
  });

  it('keeps the round-robin turn across a restart', async () => {
    const file = path.join(tempDir(), 'rr.db');
    let server = await openLeadbook(file);
    let api = createInProcessClient(server);
    const { a, b, c } = await team(api);
    await api.call('assignment.updateConfig', { rules: [boothPool([a, b, c])] });
    expect((await capture(api, '一')).owner_id).toBe(a);
    expect((await capture(api, '二')).owner_id).toBe(b);
    await server.close();
    server = await openLeadbook(file);
    api = createInProcessClient(server);
    expect((await capture(api, '三')).owner_id).toBe(c);
    expect((await capture(api, '四')).owner_id).toBe(a);
    await server.close();
  });

  it('balances least-loaded pools, honours daily capacity and skips inactive reps', async () => {
    const { api } = await memoryApi();
    const { a, b, c } = await team(api);
    // 张伟 already has two open leads, 李娜 one.
    for (const [name, owner] of [
      ['老一', a],
      ['老二', a],
      ['老三', b],
    ] as const)
      await api.call('leads.create', { name, owner_id: owner, source: 'web_form' });
    await api.call('assignment.updateConfig', {
      rules: [
        {
          name: 'Least loaded, 1 a day',
          conditions: [],
          strategy: 'least_loaded',
          pool: [a, b, c],
          dailyCapacity: 1,
        },
      ],
      defaultOwnerId: a,
    });
    await api.call('users.update', { id: c, patch: { active: false } });
    // Tom is inactive: 李娜 (1 open) before 张伟 (2 open); then 李娜 is full for today.
    expect((await capture(api, 'n1')).owner_id).toBe(b);
    expect((await capture(api, 'n2')).owner_id).toBe(a);
    // Everyone in the pool is full: the default owner catches the rest.
    const rest = await capture(api, 'n3');
    expect([rest.owner_id, rest.assigned_rule_id]).toEqual([a, null]);
  });

  it('takes the first rule that matches, including by grade', async () => {
    const { api } = await memoryApi();
    const { a, b, c } = await team(api);
    await api.call('assignment.updateConfig', {
      rules: [
        {
          name: 'Hot leads to the senior rep',
          conditions: [{ field: 'grade', op: 'equals', value: 'hot' }],
          strategy: 'user',
          userId: a,
        },
        {
          name: 'Shanghai',
          conditions: [{ field: 'region', op: 'in', value: ['上海', 'Shanghai'] }],
          strategy: 'user',
          userId: b,
        },
        { name: 'Everyone else', conditions: [], strategy: 'user', userId: c },
      ],
    });
    const hot = await api.call('leads.create', {
      name: '热',
      region: '上海',
      budget: 'confirmed',
      authority: 'decision_maker',
      need: 'clear',
      timeline: 'lt_3m',
    });
    expect(hot.grade).toBe('hot');
    expect(hot.owner_id).toBe(a);
    expect((await api.call('leads.create', { name: '沪', region: 'shanghai' })).owner_id).toBe(b);
    expect((await api.call('leads.create', { name: '京', region: '北京' })).owner_id).toBe(c);
    // Trying a sample lead tells which rule would decide, and takes nobody's turn.
    const config = await api.call('assignment.getConfig', {});
    const trial = await api.call('assignment.test', {
      config,
      lead: { name: 'x', region: 'Shanghai' },
    });
    expect(trial).toEqual({ ownerId: b, ruleIndex: 1, matches: [false, true, true] });
  });

  it('assigns an import as one balanced batch, and reassigns a selection', async () => {
    const { api } = await memoryApi();
    const { a, b, c } = await team(api);
    await api.call('assignment.updateConfig', { rules: [boothPool([a, b, c])] });
    const report = await api.call('imports.run', {
      fileName: 'booth.csv',
      content: csv(['甲,展会', '乙,展会', '丙,展会', '丁,展会', '戊,展会', '己,展会', 'Web,网站']),
    });
    expect(report.created).toBe(7);
    const leads = (await api.call('leads.list', { limit: 100 })).rows;
    const owners = leads.filter((l) => l.source === 'event').map((l) => l.owner_id);
    expect([a, b, c].map((u) => owners.filter((o) => o === u).length)).toEqual([2, 2, 2]);
    // The turn carried on after the import: the next capture goes to 张伟 again.
    expect((await capture(api, '下一个')).owner_id).toBe(a);
    // Not on import when switched off.
    await api.call('assignment.updateConfig', { rules: [boothPool([a, b, c])], onImport: false });
    await api.call('imports.run', { fileName: 'b2.csv', content: csv(['庚,展会']) });
    const geng = (await api.call('leads.list', { q: '庚' })).rows[0]!;
    expect(geng.owner_id).toBe(null);
    // Reassign by rules: everything from the booth to Tom now.
    const config = await api.call('assignment.updateConfig', {
      rules: [{ name: 'Tom', conditions: [], strategy: 'user', userId: c }],
    });
    const gone = leads.find((l) => l.name === '甲')!;
    await api.call('leads.delete', { id: gone.id });
    const ids = [...leads.map((l) => l.id), geng.id];
    const result = await api.call('leads.reassign', { ids });
    expect(result).toEqual({ changed: 5, unchanged: 2, skipped: 1 });
    const after = await api.call('leads.get', { id: geng.id });
    expect([after.owner_id, after.assigned_rule_id]).toEqual([c, config.rules[0]!.id]);
  });

  it('refuses a bad configuration with a clear message and keeps the rules in force', async () => {
    const { api } = await memoryApi();
    const { a, b } = await team(api);
    const good = await api.call('assignment.updateConfig', { rules: [boothPool([a, b])] });
    const bad: [string, unknown][] = [
      ['unknown user', { rules: [boothPool([a, 'no-such-user'])] }],
      ['empty pool', { rules: [boothPool([])] }],
      ['rep listed twice', { rules: [boothPool([a, a])] }],
      ['user rule without a user', { rules: [{ name: 'x', conditions: [], strategy: 'user' }] }],
      [
        'unknown field',
        { rules: [{ ...boothPool([a]), conditions: [{ field: 'shoe_size', op: 'equals' }] }] },
      ],
      [
        'regex that does not compile',
        {
          rules: [
            { ...boothPool([a]), conditions: [{ field: 'name', op: 'matches', value: '(' }] },
          ],
        },
      ],
      ['capacity out of range', { rules: [boothPool([a], { dailyCapacity: 0 })] }],
    ];
    for (const [why, config] of bad) {
      const err = await api
        .call('assignment.updateConfig', config as AssignmentConfigInput)
        .catch((e: unknown) => e);
      expect(err, why).toMatchObject({ code: 'BAD_INPUT' });
      expect((err as { issues?: unknown[] }).issues?.length, why).toBeGreaterThan(0);
    }
    expect(await api.call('assignment.getConfig', {})).toEqual(good);
    expect((await capture(api, '仍然轮流')).owner_id).toBe(a);
  });
});
