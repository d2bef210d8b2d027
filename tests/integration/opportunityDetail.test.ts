// The opportunity detail through the API: the probability it counts with (the stage's
// unless overridden, on the board too), the timeline of stage changes (who, amount at that
// moment), activities and field changes, time in each stage, closing rules on every path
// that changes the stage, and creating a deal directly with a new account and contact.
import { describe, expect, it, vi } from 'vitest';
import { defaultStageId } from '../../src-main/services/defaults.js';
import { memoryApi } from '../helpers/api.js';

const HOUR = 3_600_000;

describe('opportunity detail', () => {
  it('says where the probability comes from and weighs the board with the override', async () => {
    const { api } = await memoryApi();
    const a = await api.call('opportunities.create', {
      name: 'A',
      amount: 1_000_000,
      currency: 'CNY',
      stage_id: defaultStageId('quote'),
    });
    await api.call('opportunities.create', {
      name: 'B',
      amount: 2_000_000,
      currency: 'CNY',
      stage_id: defaultStageId('quote'),
    });
    let detail = await api.call('opportunities.detail', { id: a.id });
    expect(detail.probability).toEqual({ value: 50, overridden: false, stageDefault: 50 });
    const quote = () =>
      api
        .call('opportunities.board', {})
        .then((cols) => cols.find((c) => c.stage.id === defaultStageId('quote'))!);
    expect((await quote()).weighted).toEqual([{ currency: 'CNY', amount: 1_500_000 }]);
    await api.call('opportunities.update', { id: a.id, patch: { probability_override: 90 } });
    detail = await api.call('opportunities.detail', { id: a.id });
    expect(detail.probability).toEqual({ value: 90, overridden: true, stageDefault: 50 });
    // 10 000 × 90 % + 20 000 × 50 % = 19 000 (in minor units ×100).
    expect((await quote()).weighted).toEqual([{ currency: 'CNY', amount: 1_900_000 }]);
    await expect(
      api.call('opportunities.update', { id: a.id, patch: { probability_override: 101 } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await api.call('opportunities.update', { id: a.id, patch: { probability_override: null } });
    expect((await api.call('opportunities.detail', { id: a.id })).probability.overridden).toBe(
      false,
    );
  });

  it('shows stage changes with who and the amount, activities and field changes, and time in stages', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-01T09:00:00Z'));
      const { api } = await memoryApi();
      const rep = await api.call('users.create', { name: '李娜' });
      await api.call('device.update', { currentUserId: rep.id });
      const account = await api.call('accounts.create', { name: '华为技术' });
      const o = await api.call('opportunities.create', {
        name: '华为 · 展台',
        amount: 500_000,
        currency: 'CNY',
        account_id: account.id,
      });
      vi.setSystemTime(new Date('2026-11-03T09:00:00Z'));
      await api.call('opportunities.move', { id: o.id, stageId: defaultStageId('quote') });
      await api.call('opportunities.update', { id: o.id, patch: { amount: 800_000 } });
      await api.call('activities.create', {
        kind: 'call',
        subject: '确认报价',
        opportunity_id: o.id,
        occurred_at: Date.now(),
      });
      vi.setSystemTime(new Date('2026-11-03T15:00:00Z'));
      await api.call('opportunities.move', { id: o.id, stageId: defaultStageId('initial') });
      vi.setSystemTime(new Date('2026-11-04T15:00:00Z'));
      await api.call('opportunities.move', { id: o.id, stageId: defaultStageId('quote') });
      vi.setSystemTime(new Date('2026-11-05T15:00:00Z'));
      await api.call('opportunities.move', {
        id: o.id,
        stageId: defaultStageId('lost'),
        lostReason: '没有预算',
      });
      vi.setSystemTime(new Date('2026-11-25T15:00:00Z'));

      const items = await api.call('opportunities.timeline', { id: o.id });
      const stages = items.filter((i) => i.kind === 'stage');
      // Newest first; each with who moved it and the amount at that moment.
      expect(stages.map((s) => [s.from_stage_id, s.to_stage_id, s.user_name, s.amount])).toEqual([
        [defaultStageId('quote'), defaultStageId('lost'), '李娜', 800_000],
        [defaultStageId('initial'), defaultStageId('quote'), '李娜', 800_000],
        [defaultStageId('quote'), defaultStageId('initial'), '李娜', 800_000],
        [defaultStageId('initial'), defaultStageId('quote'), '李娜', 500_000],
        [null, defaultStageId('initial'), '李娜', 500_000],
      ]);
      expect(items.some((i) => i.kind === 'activity' && i.activity.subject === '确认报价')).toBe(
        true,
      );
      const changes = items.flatMap((i) => (i.kind === 'change' ? i.changes : []));
      expect(changes).toContainEqual({ field: 'amount', from: 500_000, to: 800_000 });
      expect(changes).toContainEqual({ field: 'lost_reason', from: null, to: '没有预算' });
      // The stage entries say it better than the raw position does.
      expect(changes.some((c) => c.field === 'stage_position' || c.field === 'closed_at')).toBe(
        false,
      );
      const created = items.find((i) => i.kind === 'change' && i.action === 'created');
      expect(created?.kind === 'change' && created.changes).toContainEqual({
        field: 'account_id',
        from: null,
        to: account.id,
        fromLabel: null,
        toLabel: '华为技术',
      });

      const detail = await api.call('opportunities.detail', { id: o.id });
      // 初步接触 2 days + 1 day, 报价 6 h + 1 day, 丢单: closed, the clock stopped.
      expect(detail.timeInStage).toEqual([
        { stageId: defaultStageId('initial'), ms: 72 * HOUR, entries: 2, current: false },
        { stageId: defaultStageId('quote'), ms: 30 * HOUR, entries: 2, current: false },
        { stageId: defaultStageId('lost'), ms: 0, entries: 1, current: true },
      ]);
      expect(detail.accountName).toBe('华为技术');
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes and reopens on every path that changes the stage', async () => {
    const { api } = await memoryApi();
    const o = await api.call('opportunities.create', { name: 'X' });
    const lostPosition = `${defaultStageId('lost')}:a0`;
    // An update that moves the deal to lost without a reason is refused, nothing changes.
    await expect(
      api.call('opportunities.update', { id: o.id, patch: { stage_position: lostPosition } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'lost_reason' }] });
    expect((await api.call('opportunities.get', { id: o.id })).stage_id).toBe(
      defaultStageId('initial'),
    );
    expect(await api.call('opportunities.history', { id: o.id })).toHaveLength(1);
    const lost = await api.call('opportunities.update', {
      id: o.id,
      patch: { stage_position: lostPosition, lost_reason: '联系不上' },
    });
    expect(lost.closed_at).toBeTypeOf('number');
    const won = await api.call('opportunities.move', { id: o.id, stageId: defaultStageId('won') });
    expect([won.lost_reason, typeof won.closed_at]).toEqual([null, 'number']);
    const reopened = await api.call('opportunities.move', {
      id: o.id,
      stageId: defaultStageId('needs'),
    });
    expect([reopened.lost_reason, reopened.closed_at]).toEqual([null, null]);
    // Created straight into won: closed at once; into lost only with a reason.
    const wonDeal = await api.call('opportunities.create', {
      name: 'W',
      stage_id: defaultStageId('won'),
    });
    expect(wonDeal.closed_at).toBeTypeOf('number');
    await expect(
      api.call('opportunities.create', { name: 'L', stage_id: defaultStageId('lost') }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('creates a deal directly with a new account and contact, all or nothing', async () => {
    const { api } = await memoryApi();
    const rep = await api.call('users.create', { name: '张强' });
    await api.call('device.update', { currentUserId: rep.id });
    const o = await api.call('opportunities.createDirect', {
      opportunity: { name: '老客户增购', amount: 300_000, currency: 'CNY' },
      newAccount: { name: '上海电气' },
      newContact: { name: '王经理', email: 'wang@shanghai-electric.com', phone: null },
    });
    expect(o.owner_id).toBe(rep.id);
    expect(o.stage_id).toBe(defaultStageId('initial'));
    const account = await api.call('accounts.get', { id: o.account_id! });
    const contact = await api.call('contacts.get', { id: o.contact_id! });
    expect([account.name, contact.name, contact.account_id]).toEqual([
      '上海电气',
      '王经理',
      account.id,
    ]);
    const before = await api.call('app.status', {});
    // A bad contact email refuses the whole thing: no account, no deal.
    await expect(
      api.call('opportunities.createDirect', {
        opportunity: { name: 'Y' },
        newAccount: { name: '新客户' },
        newContact: { name: '赵', email: 'not-an-email' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    // An existing account and a new one at once is refused before anything is written.
    await expect(
      api.call('opportunities.createDirect', {
        opportunity: { name: 'Z', account_id: account.id },
        newAccount: { name: '另一个' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'newAccount' }] });
    // A new contact fails its phone check inside the transaction: the account goes too.
    await expect(
      api.call('opportunities.createDirect', {
        opportunity: { name: 'Q' },
        newAccount: { name: '回滚客户' },
        newContact: { name: '钱', phone: '12345' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect((await api.call('app.status', {})).counts).toEqual(before.counts);
    expect((await api.call('accounts.list', { q: '回滚客户' })).total).toBe(0);
  });
});
