// Converting a lead through the API: one transaction that finds or creates the account
// and contact, creates the opportunity, links the activities and marks the lead; refusals
// change nothing; the same lead converted on two offline laptops is one opportunity.
import { describe, expect, it } from 'vitest';
import type { LeadbookApi } from '../../src-main/contract/index.js';
import { convertLead } from '../../src-main/services/conversion.js';
import { defaultStageId, ensureDefaults } from '../../src-main/services/defaults.js';
import { createRecord } from '../../src-main/services/records.js';
import { memoryApi } from '../helpers/api.js';
import { memoryStore } from '../helpers/store.js';

const counts = async (api: LeadbookApi) => ({
  accounts: (await api.call('accounts.list', {})).total,
  contacts: (await api.call('contacts.list', {})).total,
  opportunities: (await api.call('opportunities.list', {})).total,
});

describe('one-click conversion', () => {
  it('creates account, contact and opportunity, links activities, and locks the lead', async () => {
    const { api } = await memoryApi();
    const rep = await api.call('users.create', { name: '张伟' });
    const lead = await api.call('leads.create', {
      name: '王伟',
      company: '华为技术有限公司',
      email: 'wangwei@huawei.com',
      phone: '13800138000',
      owner_id: rep.id,
      source: 'event',
      budget: 'confirmed',
      budget_amount: 50_000_000,
      timeline: 'lt_3m',
      next_step: '样品测试',
    });
    const call = await api.call('activities.create', {
      kind: 'call',
      subject: '展位交流',
      lead_id: lead.id,
      occurred_at: Date.now(),
    });
    const task = await api.call('activities.create', {
      kind: 'task',
      subject: '寄样品',
      lead_id: lead.id,
      due_at: Date.now() + 86_400_000,
    });
    const result = await api.call('leads.convert', { id: lead.id });
    expect(result).toMatchObject({
      accountCreated: true,
      contactCreated: true,
      activitiesLinked: 2,
    });
    const opp = result.opportunity;
    expect(opp).toMatchObject({
      name: '华为技术有限公司 · 样品测试',
      amount: 50_000_000,
      currency: 'CNY',
      owner_id: rep.id,
      source: 'event',
      lead_id: lead.id,
      account_id: result.accountId,
      contact_id: result.contactId,
      stage_id: defaultStageId('initial'),
    });
    expect(opp.expected_close_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const account = await api.call('accounts.get', { id: result.accountId });
    expect([account.name, account.domain]).toEqual(['华为技术有限公司', 'huawei.com']);
    const contact = await api.call('contacts.get', { id: result.contactId });
    expect([contact.name, contact.account_id, contact.lead_id]).toEqual([
      '王伟',
      account.id,
      lead.id,
    ]);
    for (const a of [call, task]) {
      const after = await api.call('activities.get', { id: a.id });
      expect([after.opportunity_id, after.contact_id, after.lead_id]).toEqual([
        opp.id,
        contact.id,
        lead.id,
      ]);
    }
    const converted = await api.call('leads.get', { id: lead.id });
    expect(converted).toMatchObject({
      status: 'converted',
      converted_opportunity_id: opp.id,
      converted_account_id: account.id,
      converted_contact_id: contact.id,
    });
    expect(converted.converted_at).toBeTypeOf('number');
    // One stage-history entry: the opportunity starting in its first stage.
    expect(await api.call('opportunities.history', { id: opp.id })).toHaveLength(1);
    // Read-only now; converting again is refused and changes nothing.
    await expect(
      api.call('leads.update', { id: lead.id, patch: { name: 'x' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const before = await counts(api);
    await expect(api.call('leads.convert', { id: lead.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await counts(api)).toEqual(before);
  });

  it('finds the existing account and contact, and asks when several match', async () => {
    const { api } = await memoryApi();
    const huawei = await api.call('accounts.create', { name: '华为技术', domain: 'huawei.com' });
    const person = await api.call('contacts.create', {
      name: '王伟',
      account_id: huawei.id,
      mobile: '+86 138 0013 8000',
    });
    const lead = await api.call('leads.create', {
      name: '王先生',
      company: '华为技术有限公司',
      phone: '13800138000',
    });
    expect(await api.call('leads.conversionCandidates', { id: lead.id })).toMatchObject({
      accounts: [{ id: huawei.id, reasons: ['name'] }],
      contacts: [{ id: person.id, reasons: ['phone'], accountName: '华为技术' }],
    });
    const result = await api.call('leads.convert', { id: lead.id });
    expect(result).toMatchObject({
      accountId: huawei.id,
      contactId: person.id,
      accountCreated: false,
      contactCreated: false,
    });
    // Two accounts of the same company: one click refuses (nothing changes); the dialog's
    // choice converts.
    await api.call('accounts.create', { name: '华为技术有限公司（深圳）' });
    const second = await api.call('leads.create', { name: '李娜', company: '华为技术' });
    const before = await counts(api);
    await expect(api.call('leads.convert', { id: second.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      issues: [{ path: 'account' }],
    });
    expect(await counts(api)).toEqual(before);
    expect((await api.call('leads.get', { id: second.id })).status).toBe('new');
    const chosen = await api.call('leads.convert', {
      id: second.id,
      account: huawei.id,
      contact: 'new',
    });
    expect([chosen.accountId, chosen.contactCreated]).toEqual([huawei.id, true]);
    // A free-mail address never matches a company by domain.
    const gmail = await api.call('leads.create', { name: 'Tom', email: 'tom@gmail.com' });
    expect((await api.call('leads.conversionCandidates', { id: gmail.id })).accounts).toEqual([]);
  });

  it('refuses a deleted lead, a missing one and an unknown choice, changing nothing', async () => {
    const { api } = await memoryApi();
    const gone = await api.call('leads.create', { name: 'Gone' });
    await api.call('leads.delete', { id: gone.id });
    await expect(api.call('leads.convert', { id: gone.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      api.call('leads.convert', { id: '01900000-0000-7000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const lead = await api.call('leads.create', { name: 'Anna' });
    await expect(
      api.call('leads.convert', { id: lead.id, account: '01900000-0000-7000-8000-000000000001' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', issues: [{ path: 'account' }] });
    await expect(
      api.call('leads.convert', { id: lead.id, account: 'whatever' as never }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await counts(api)).toEqual({ accounts: 0, contacts: 0, opportunities: 0 });
  });

  it('refuses a lead without a name (one that arrived so from another device)', async () => {
    const store = await memoryStore();
    ensureDefaults(store);
    const id = store.write((tx) => tx.insert('leads', { name: ' ', status: 'new' }));
    expect(() => convertLead(store, { id, account: 'auto', contact: 'auto' })).toThrow(
      /needs a name/,
    );
  });

  it('converting the same lead on two offline laptops gives one opportunity after sync', async () => {
    const a = await memoryStore();
    const b = await memoryStore();
    ensureDefaults(a);
    ensureDefaults(b);
    const lead = createRecord(a, 'leads', {
      name: '王伟',
      company: '华为技术有限公司',
      email: 'wangwei@huawei.com',
    });
    createRecord(a, 'activities', { kind: 'call', subject: 'x', lead_id: lead.id });
    b.applyChanges(a.changesSince(null));
    // Both laptops, offline, convert it.
    const onA = convertLead(a, { id: lead.id, account: 'auto', contact: 'auto' });
    const onB = convertLead(b, { id: lead.id, account: 'auto', contact: 'auto' });
    expect(onB.opportunity.id).toBe(onA.opportunity.id);
    a.applyChanges(b.changesSince(null));
    b.applyChanges(a.changesSince(null));
    for (const s of [a, b]) {
      const n = (table: 'opportunities' | 'accounts' | 'contacts' | 'stage_history') =>
        s.all(s.qb.selectFrom(table).select('id').where('deleted_at', 'is', null)).length;
      expect([n('opportunities'), n('accounts'), n('contacts'), n('stage_history')]).toEqual([
        1, 1, 1, 1,
      ]);
    }
    const rows = (s: typeof a) =>
      s.all(s.qb.selectFrom('opportunities').selectAll().where('deleted_at', 'is', null));
    expect(rows(b)).toEqual(rows(a));
    const leadOn = (s: typeof a) =>
      s.first(
        s.qb
          .selectFrom('leads')
          .select(['status', 'converted_opportunity_id', 'converted_contact_id'])
          .where('id', '=', lead.id),
      );
    expect(leadOn(b)).toEqual(leadOn(a));
    expect(leadOn(a)).toMatchObject({
      status: 'converted',
      converted_opportunity_id: onA.opportunity.id,
    });
  });
});
