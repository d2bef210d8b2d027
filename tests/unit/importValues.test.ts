// Reading cells of other programs' exports: empty markers, phone cells with several
// numbers and extensions, email cells with several addresses, dates, and the headers each
// program writes.
import { describe, expect, it } from 'vitest';
import { mapHeaders } from '../../src-main/domain/importMapping.js';
import {
  readCell,
  readDate,
  readEmailCell,
  readPhoneCell,
} from '../../src-main/domain/importValues.js';

describe('empty markers', () => {
  it.each([
    'null',
    'NULL',
    '#N/A',
    'N/A',
    'n/a',
    '-',
    '--',
    'none',
    '(blank)',
    '无',
    '空',
    '不详',
    ' \t ',
  ])('%j reads as empty', (cell) => expect(readCell(cell).value).toBe(''));
  it('keeps real values, and "none" as a BANT answer', () => {
    expect(readCell('Nulla Ltd').value).toBe('Nulla Ltd');
    expect(readCell('NA').value).toBe('NA'); // North America, not "n/a"
    expect(readCell('none', 'budget').value).toBe('none');
    expect(readCell('#N/A')).toEqual({ value: '', marker: '#N/A' });
  });
});

describe('phone cells', () => {
  it.each<[string, string[], string[]?]>([
    ['702-544-7834 / 818-257-2525', ['702-544-7834', '818-257-2525']],
    ['702-509-0990 or 702-509-0808', ['702-509-0990', '702-509-0808']],
    ['13800138000、13900139000', ['13800138000', '13900139000']],
    ['13600136000 或 13500135000', ['13600136000', '13500135000']],
    ['13800138000 13900139000', ['13800138000', '13900139000']],
    ['0711/123456', ['0711/123456']], // one German number with its area code
    ['+49 711 123456; +49 171 2345678', ['+49 711 123456', '+49 171 2345678']],
    ['tel:+1-418-656-9254;ext=102', ['+1-418-656-9254 x102']],
    ['+1 212 555 0123 ext. 45', ['+1 212 555 0123 x45']],
    ['010-62345678转123', ['010-62345678 x123']],
    ['555-1234,,22', ['555-1234 x22']],
    ['+44 7700 900123p22', ['+44 7700 900123 x22']],
    ['+44 20 7946 0958w3', ['+44 20 7946 0958 x3']],
    ['9', ['9']],
    ['Tel: +86 21 5555 1234 (office)', ['+86 21 5555 1234']],
    ['4Tech-gt - on facebook', [], ['4Tech-gt - on facebook']],
  ])('%j', (cell, numbers, unreadable = []) => {
    const read = readPhoneCell(cell);
    expect(read.numbers).toEqual(numbers);
    expect(read.unreadable).toEqual(unreadable);
  });
  it('keeps SIP addresses and emails typed into a phone column', () => {
    expect(readPhoneCell('sip:sally@voip.example, 9')).toMatchObject({
      numbers: ['9'],
      addresses: ['sip:sally@voip.example'],
    });
    expect(readPhoneCell('ann@x.example').emails).toEqual(['ann@x.example']);
  });
});

describe('email cells', () => {
  it.each<[string, string[], string[]?]>([
    ['a@x.example; b@y.example', ['a@x.example', 'b@y.example']],
    ['John Smith <JOHN@x.example>', ['john@x.example']],
    ['mailto:ann@x.example', ['ann@x.example']],
    ['a@x.example, a@x.example', ['a@x.example']],
    ['not-an-email', [], ['not-an-email']],
  ])('%j', (cell, emails, unreadable = []) => {
    expect(readEmailCell(cell)).toEqual({ emails, unreadable });
  });
});

describe('dates', () => {
  it.each([
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['2026年3月5日', '2026-03-05'],
    ['5.3.2026', '2026-03-05'],
    ['3/5/2026', '2026-03-05'],
    ['25/3/2026', '2026-03-25'],
    ['2026-03-05T10:00:00Z', '2026-03-05'],
    ['2026-02-31', null],
    ['next week', null],
  ])('%j → %j', (text, date) => expect(readDate(text)).toBe(date));
});

describe('headers of every source', () => {
  const targets = (headers: string[]) => mapHeaders(headers).mapping;
  it('Salesforce labels and API names', () => {
    expect(
      targets([
        'Lead ID',
        'First Name',
        'Last Name',
        'Company',
        'Email',
        'Lead Owner',
        'Lead Status',
      ]),
    ).toEqual([
      'source_record_id',
      'given_name',
      'family_name',
      'company',
      'email',
      'owner_id',
      'status',
    ]);
    expect(
      targets(['Id', 'FirstName', 'LastName', 'MobilePhone', 'LeadSource', 'OwnerId', 'Title']),
    ).toEqual([
      'source_record_id',
      'given_name',
      'family_name',
      'mobile',
      'source',
      'owner_id',
      'title',
    ]);
  });
  it('Odoo technical names, with /id suffixes', () => {
    expect(
      targets([
        'id',
        'name',
        'contact_name',
        'partner_name',
        'email_from',
        'function',
        'stage_id/id',
        'user_id/id',
      ]),
    ).toEqual([
      'source_record_id',
      'note',
      'name',
      'company',
      'email',
      'title',
      'status',
      'owner_id',
    ]);
  });
  it('Outlook: Job Title beats Title (Mr/Ms); second phones and emails are other ones', () => {
    expect(
      targets([
        'Title',
        'First Name',
        'Job Title',
        'Business Phone',
        'Business Phone 2',
        'Mobile Phone',
        'E-mail Address',
        'E-mail 2 Address',
      ]),
    ).toEqual([
      'note',
      'given_name',
      'title',
      'phone',
      'other_phones',
      'mobile',
      'email',
      'other_emails',
    ]);
  });
  it('Google Contacts: label columns are left out', () => {
    expect(
      targets([
        'Name',
        'E-mail 1 - Label',
        'E-mail 1 - Value',
        'Phone 1 - Type',
        'Phone 1 - Value',
        'Phone 2 - Value',
        'Organization 1 - Name',
      ]),
    ).toEqual(['name', null, 'email', null, 'phone', 'other_phones', 'company']);
  });
  it('Pipedrive "Person - " prefixes and its organization', () => {
    expect(
      targets([
        'Person - Name',
        'Person - Email - Work',
        'Person - Phone - Mobile',
        'Organization - Name',
        'Person - Owner',
      ]),
    ).toEqual(['name', 'email', 'mobile', 'company', 'owner_id']);
  });
  it('Thunderbird zh-CN, WeChat Work and DingTalk', () => {
    expect(
      targets([
        '名',
        '姓',
        '显示名称',
        '主要电子邮件',
        '次要电子邮件',
        '工作电话',
        '移动电话号码',
        '单位',
      ]),
    ).toEqual([
      'given_name',
      'family_name',
      'name',
      'email',
      'other_emails',
      'phone',
      'mobile',
      'company',
    ]);
    expect(targets(['姓名', '企业名称', '职务', '手机', '企业邮箱', '添加人'])).toEqual([
      'name',
      'company',
      'title',
      'mobile',
      'email',
      'owner_id',
    ]);
    expect(
      targets(['客户名称', '联系人', '联系人电话', '客户编号', '负责人', '客户来源', '客户状态']),
    ).toEqual(['company', 'name', 'phone', 'source_record_id', 'owner_id', 'source', 'status']);
  });
  it('a nickname never names the lead; WeChat Work’s 客户名称 is the customer beside 企业名称', () => {
    expect(targets(['First Name', 'Last Name', 'Nickname'])).toEqual([
      'given_name',
      'family_name',
      'note',
    ]);
    expect(targets(['客户名称', '添加人', '企业名称', '电话'])).toEqual([
      'name',
      'owner_id',
      'company',
      'phone',
    ]);
    expect(targets(['客户名称', '联系人'])).toEqual(['company', 'name']);
  });
  it('a history’s outcome: Converted, IsConverted, Odoo’s probability', () => {
    expect(targets(['Prospect ID', 'Converted'])).toEqual(['source_record_id', 'outcome']);
    expect(targets(['Id', 'IsConverted', 'Status'])).toEqual([
      'source_record_id',
      'outcome',
      'status',
    ]);
    expect(targets(['id', 'probability', 'stage_id'])).toEqual([
      'source_record_id',
      'outcome',
      'status',
    ]);
  });
  it('says which headers it did not recognise', () => {
    expect(mapHeaders(['Name', 'Shoe size', 'Create Date']).unrecognized).toEqual([
      'Shoe size',
      'Create Date',
    ]);
  });
});
