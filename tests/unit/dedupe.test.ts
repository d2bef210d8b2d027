import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  companyKey,
  duplicateReasons,
  nameKey,
  normalizeEmail,
  phoneKey,
} from '../../src-main/domain/dedupe.js';

describe('duplicate keys', () => {
  it('phones match in E.164 whatever the format', () => {
    const forms = [
      '+86 138-0013-8000',
      '13800138000',
      '138 0013 8000',
      '+86 (138) 0013 8000',
      '0086 138 0013 8000',
    ];
    for (const f of forms) expect(phoneKey(f, 'CN')?.e164, f).toBe('+8613800138000');
    expect(phoneKey('010-8888 6666', 'CN')).toEqual({
      e164: '+861088886666',
      national: '1088886666',
    });
    expect(phoneKey('+49 30 123456', 'CN')?.e164).toBe('+4930123456');
    expect(phoneKey('12', 'CN')).toBeNull();
    expect(phoneKey('call me', 'CN')).toBeNull();
  });

  it('names match across Chinese characters, pinyin and spacing', () => {
    expect(nameKey('张三')).toBe('zhangsan');
    expect(nameKey('Zhang San')).toBe('zhangsan');
    expect(nameKey(' zhang-san ')).toBe('zhangsan');
    expect(nameKey('Anna Schmidt')).not.toBe(nameKey('Schmidt Anna'));
  });

  it('company names match without their legal form', () => {
    expect(companyKey('华为技术有限公司')).toBe(companyKey('华为技术'));
    expect(companyKey('阿里巴巴（中国）有限公司')).toBe(companyKey('阿里巴巴'));
    expect(companyKey('Acme, Inc.')).toBe(companyKey('ACME'));
    expect(companyKey('Siemens AG')).toBe(companyKey('siemens'));
    expect(companyKey('Globex')).not.toBe(companyKey('Acme'));
    expect(companyKey('有限公司')).toBeTruthy(); // never reduced to nothing
  });

  it('emails compare case-insensitively', () => {
    expect(normalizeEmail(' Zhang@Example.CN ')).toBe('zhang@example.cn');
    expect(normalizeEmail('not an email')).toBeNull();
  });

  it('explains why two records look alike', () => {
    const draft = {
      name: 'Zhang San',
      company: '华为技术',
      phone: '+86 138-0013-8000',
      email: 'ZS@huawei.com',
    };
    expect(
      duplicateReasons(
        draft,
        {
          name: '张三',
          company: '华为技术有限公司',
          mobile: '13800138000',
          email: 'zs@huawei.com',
        },
        'CN',
      ),
    ).toEqual(['email', 'phone', 'name_company']);
    expect(
      duplicateReasons(draft, { name: '李四', company: '腾讯', phone: '13900000000' }, 'CN'),
    ).toEqual([]);
  });

  it('keys never throw on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        nameKey(s);
        companyKey(s);
        normalizeEmail(s);
        phoneKey(s, 'CN');
      }),
    );
  });
});
