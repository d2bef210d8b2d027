// What a lead becomes, decided without a database: account and contact matching, the
// values carried over, the expected close date from the BANT timeline.
import { describe, expect, it } from 'vitest';
import {
  accountMatchReasons,
  companyDomain,
  contactMatchReasons,
  contactValues,
  expectedCloseDate,
  opportunityName,
  opportunityValues,
  websiteDomain,
  type ConvertibleLead,
} from '../../src-main/domain/conversion.js';

const lead = (over: Partial<ConvertibleLead> = {}): ConvertibleLead => ({
  id: 'L1',
  name: '王伟',
  company: '华为技术有限公司',
  title: '采购总监',
  email: 'wangwei@huawei.com',
  phone: '138 0013 8000',
  mobile: null,
  wechat: null,
  website: null,
  industry: '通信',
  country: '中国',
  region: '广东省',
  city: '深圳',
  address: null,
  source: 'event',
  campaign_id: 'C1',
  owner_id: 'U1',
  family_name: '王',
  given_name: '伟',
  timeline: 'lt_3m',
  budget: 'confirmed',
  budget_amount: 50_000_000,
  currency: 'CNY',
  next_step: '样品测试',
  next_step_date: '2026-12-01',
  notes: null,
  ...over,
});

describe('conversion matching', () => {
  it('matches an account by name without legal form, or by the business email domain', () => {
    expect(accountMatchReasons(lead(), { name: '华为技术', domain: null })).toEqual(['name']);
    expect(
      accountMatchReasons(lead({ company: 'Huawei' }), { name: 'X', domain: 'huawei.com' }),
    ).toEqual(['domain']);
    expect(
      accountMatchReasons(lead(), { name: '华为技术（深圳）有限公司', domain: 'huawei.com' }),
    ).toEqual(['name', 'domain']);
    // A free-mail domain says nothing about the company.
    expect(
      accountMatchReasons(lead({ company: null, email: 'a@qq.com' }), {
        name: 'Q',
        domain: 'qq.com',
      }),
    ).toEqual([]);
    expect(
      accountMatchReasons(lead({ company: 'Siemens AG', email: null }), {
        name: 'Siemens',
        domain: null,
      }),
    ).toEqual(['name']);
  });

  it('matches a contact by email (any case) or by the phone in E.164 (any format)', () => {
    const none = { email: null, phone: null, mobile: null };
    expect(contactMatchReasons(lead(), { ...none, email: 'WangWei@Huawei.com ' }, 'CN')).toEqual([
      'email',
    ]);
    expect(contactMatchReasons(lead(), { ...none, mobile: '+86 13800138000' }, 'CN')).toEqual([
      'phone',
    ]);
    expect(contactMatchReasons(lead(), { ...none, phone: '13800138001' }, 'CN')).toEqual([]);
  });

  it('reads domains from emails and websites', () => {
    expect(companyDomain('A@Example.COM')).toBe('example.com');
    expect(companyDomain('a@gmail.com')).toBeNull();
    expect(websiteDomain('https://www.Siemens.com/de')).toBe('siemens.com');
    expect(websiteDomain('localhost')).toBeNull();
  });
});

describe('conversion mapping', () => {
  it('keeps a number that is not a possible phone in the contact notes', () => {
    const c = contactValues(lead({ phone: '12345', mobile: '13900139000' }), 'A', 'CN');
    expect([c.phone, c.mobile, c.notes]).toEqual([null, '13900139000', '12345']);
  });

  const today = new Date(2026, 10, 27, 12).getTime();
  it('takes the expected close from the middle of the BANT timeline window', () => {
    expect(expectedCloseDate('lt_3m', today)).toBe('2027-01-11');
    expect(expectedCloseDate('m3_6', today)).toBe('2027-04-11');
    expect(expectedCloseDate('m6_12', today)).toBe('2027-08-24');
    expect(expectedCloseDate(null, today)).toBe('2027-02-25');
  });

  it('names the opportunity after the company and the need, and carries the lead over', () => {
    const values = opportunityValues(lead(), { accountId: 'A', contactId: 'P' }, today);
    expect(values).toMatchObject({
      name: '华为技术有限公司 · 样品测试',
      amount: 50_000_000,
      currency: 'CNY',
      owner_id: 'U1',
      source: 'event',
      campaign_id: 'C1',
      lead_id: 'L1',
      account_id: 'A',
      contact_id: 'P',
      expected_close_date: '2027-01-11',
    });
    // No budget given: no amount.
    expect(
      opportunityValues(lead({ budget_amount: null }), { accountId: 'A', contactId: 'P' }, today)
        .amount,
    ).toBeNull();
    expect(opportunityName(lead({ company: null, next_step: null, notes: '要报价\n第二行' }))).toBe(
      '王伟 · 要报价',
    );
  });
});
