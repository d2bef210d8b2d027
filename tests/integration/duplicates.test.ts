import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/contract/index.js';
import { memoryApi } from '../helpers/api.js';

describe('live duplicate lookup (leads.duplicates)', () => {
  it('finds the same person typed differently, and says why', async () => {
    const { api } = await memoryApi();
    const zhang = await api.call('leads.create', {
      name: '张三',
      company: '华为技术有限公司',
      phone: '+86 138-0013-8000',
      email: 'ZS@huawei.com',
    });
    await api.call('leads.create', { name: '李四', company: '腾讯', phone: '13900000000' });
    const other = await api.call('leads.create', {
      name: '王五',
      company: '华为技术',
      phone: '010-8888 6666',
    });

    const byPhone = await api.call('leads.duplicates', { phone: '13800138000' });
    expect(byPhone.map((m) => [m.name, m.reasons])).toEqual([['张三', ['phone']]]);
    expect(
      (await api.call('leads.duplicates', { phone: '+86 10 8888 6666' })).map((m) => m.id),
    ).toEqual([other.id]);
    expect(
      (await api.call('leads.duplicates', { email: 'zs@HUAWEI.com' })).map((m) => m.id),
    ).toEqual([zhang.id]);
    // Across scripts: the index holds the pinyin of 张三, the keys compare it.
    const byName = await api.call('leads.duplicates', { name: 'Zhang San', company: '华为技术' });
    expect(byName.map((m) => [m.id, m.reasons])).toEqual([[zhang.id, ['name_company']]]);
    const sameName = await api.call('leads.duplicates', { name: '张三', company: '华为技术' });
    expect(sameName.map((m) => [m.id, m.reasons])).toEqual([[zhang.id, ['name_company']]]);
    // One letter off in pinyin (zhangshan / zhangsan), same company: said as "similar".
    const typo = await api.call('leads.duplicates', { name: '张山', company: '华为技术' });
    expect(typo.map((m) => [m.id, m.reasons])).toEqual([[zhang.id, ['similar_name']]]);
    const typoLatin = await api.call('leads.duplicates', {
      name: 'Zhang Shan',
      company: '华为技术',
    });
    expect(typoLatin.map((m) => [m.id, m.reasons])).toEqual([[zhang.id, ['similar_name']]]);
    expect(
      await api.call('leads.duplicates', { phone: '13800138000', exclude_id: zhang.id }),
    ).toEqual([]);
    expect(await api.call('leads.duplicates', { email: 'zs@huawei', phone: '12' })).toEqual([]);

    await api.call('leads.delete', { id: zhang.id });
    expect(await api.call('leads.duplicates', { phone: '13800138000' })).toEqual([]);
  });

  it('also finds contacts, with their account as the company', async () => {
    const { api } = await memoryApi();
    const account = await api.call('accounts.create', { name: 'Siemens AG' });
    const contact = await api.call('contacts.create', {
      name: 'Anna Schmidt',
      account_id: account.id,
      mobile: '+49 30 123456',
    });
    const found = await api.call('leads.duplicates', {
      name: 'anna schmidt',
      company: 'Siemens',
      phone: '+49 (0)30 123456',
    });
    expect(found).toEqual([
      expect.objectContaining({
        entity: 'contacts',
        id: contact.id,
        company: 'Siemens AG',
        reasons: ['phone', 'name_company'],
      }),
    ]);
  });

  it('rejects oversized input with BAD_INPUT', async () => {
    const { api } = await memoryApi();
    await expect(api.call('leads.duplicates', { name: 'x'.repeat(201) })).rejects.toBeInstanceOf(
      ApiError,
    );
  });
});
