import { describe, expect, it } from 'vitest';
import { parseBadgePayload, parseContactText } from '../../src-main/domain/contactText.js';

describe('parseContactText (paste into quick capture)', () => {
  it('reads a vCard 3.0 with folded lines, escapes and a mobile', () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:张;三;;;',
      'FN:张三',
      'ORG:北京字节跳动科技有限公司;市场部',
      'TITLE:采购总监',
      'TEL;TYPE=WORK,VOICE:010-8888 1234',
      'TEL;TYPE=CELL:+86 138 0013 8000',
      'EMAIL;TYPE=INTERNET:zhangsan@example.cn',
      'ADR;TYPE=WORK:;;中关村大街 1\\, 海淀区;北京;;100080;中国',
      'NOTE:long note that is',
      '  folded',
      'END:VCARD',
    ].join('\r\n');
    expect(parseContactText(card)).toEqual({
      name: '张三',
      family_name: '张',
      given_name: '三',
      company: '北京字节跳动科技有限公司 市场部',
      title: '采购总监',
      phone: '010-8888 1234',
      mobile: '+86 138 0013 8000',
      email: 'zhangsan@example.cn',
      address: '中关村大街 1, 海淀区 北京 100080 中国',
      // The card's note is kept (unfolded) rather than dropped.
      notes: 'long note that is folded',
    });
  });

  it('decodes vCard 2.1 quoted-printable with a charset and builds a Western name', () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N:Müller;Anna',
      'ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller =',
      'GmbH',
      'TEL;CELL:+49 170 1234567',
      'END:VCARD',
    ].join('\n');
    expect(parseContactText(card)).toMatchObject({
      name: 'Anna Müller',
      company: 'Müller GmbH',
      phone: '+49 170 1234567',
    });
  });

  it('reads a MECARD from a badge QR code', () => {
    expect(
      parseContactText('MECARD:N:Li,Wei;ORG:Acme Inc.;TEL:+8613900139000;EMAIL:wei@acme.com;;'),
    ).toEqual({
      name: 'Wei Li',
      family_name: 'Li',
      given_name: 'Wei',
      company: 'Acme Inc.',
      phone: '+8613900139000',
      email: 'wei@acme.com',
    });
  });

  it('reads a WeChat card copied as labelled text', () => {
    const text =
      '姓名：王芳\n公司：上海云图信息技术有限公司\n职位：IT 经理\n手机：13912345678\n微信：wangfang_88\n邮箱：Wang.Fang@yuntu.com';
    expect(parseContactText(text)).toEqual({
      name: '王芳',
      company: '上海云图信息技术有限公司',
      title: 'IT 经理',
      phone: '13912345678',
      wechat: 'wangfang_88',
      email: 'Wang.Fang@yuntu.com',
    });
  });

  it('reads an email signature without labels', () => {
    const text = [
      'Best regards,',
      'John Smith',
      'Head of Procurement',
      'Globex Corporation Ltd.',
      'T: +44 20 7946 0958 | M: +44 7700 900123',
      'john.smith@globex.co.uk | www.globex.co.uk',
    ].join('\n');
    const draft = parseContactText(text);
    expect(draft).toMatchObject({
      name: 'John Smith',
      title: 'Head of Procurement',
      company: 'Globex Corporation Ltd.',
      email: 'john.smith@globex.co.uk',
      website: 'www.globex.co.uk',
    });
    expect([draft.phone, draft.mobile].sort()).toEqual(['+44 20 7946 0958', '+44 7700 900123']);
  });

  it('places nothing it cannot recognise', () => {
    expect(parseContactText('下周三再联系，带样品\n12')).toEqual({});
    expect(parseContactText('')).toEqual({});
  });
});

describe('parseBadgePayload (a badge QR code read by the camera)', () => {
  it('reads a MECARD or vCard payload as the contact', () => {
    expect(
      parseBadgePayload(
        'MECARD:N:Schmidt,Anna;ORG:Siemens AG;TEL:+4930123456;EMAIL:a.schmidt@siemens.com;;',
      ),
    ).toMatchObject({ company: 'Siemens AG', email: 'a.schmidt@siemens.com' });
    expect(
      parseBadgePayload(
        'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王伟\r\nORG:华为技术有限公司\r\nEND:VCARD',
      ),
    ).toMatchObject({ name: '王伟', company: '华为技术有限公司' });
  });

  it('keeps a URL or an attendee number whole as a note, never guessing a contact from it', () => {
    expect(parseBadgePayload('https://expo.example.com/v/8F3K2Q')).toEqual({
      notes: 'https://expo.example.com/v/8F3K2Q',
    });
    expect(parseBadgePayload('  CIIE2026-0012345 ')).toEqual({ notes: 'CIIE2026-0012345' });
    expect(parseBadgePayload('   ')).toEqual({});
  });
});
