import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  companyKey,
  duplicateReasons,
  nameDistance,
  nameKey,
  normalizeEmail,
  parsedPhoneKey,
  phoneKey,
  similarNameKeys,
  similarNameKeysOf,
} from '../../src-main/domain/dedupe.js';
import { findDuplicateGroups } from '../../src-main/domain/duplicateGroups.js';

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
    for (const [a, b] of [
      ['Shenzhen Foo Technology Co., Ltd.', 'shenzhen foo technology'],
      ['Bar Trading Co.,Ltd', 'Bar Trading'],
      ['Rossi S.r.l.', 'Rossi'],
      ['Dupont SAS', 'Dupont'],
      ['Philips N.V.', 'Philips'],
      ['Müller GmbH & Co. KG', 'Müller'],
      ['Acme Pty Ltd', 'Acme'],
      ['Fiat S.p.A.', 'fiat'],
    ])
      expect(companyKey(a), a).toBe(companyKey(b));
    // A name merely ending in the letters of a legal form keeps them.
    expect(companyKey('Boag')).toBe('boag');
    expect(companyKey('Visa')).toBe('visa');
    expect(companyKey('Costco')).toBe('costco');
    expect(companyKey('AG')).toBe('ag');
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

  it('reads eleven-digit Chinese mobile numbers as the phone parser does (fast path)', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^[0-9]{9}$/))
      .map(([second, rest]) => `1${second}${rest}`);
    fc.assert(
      fc.property(mobile, (phone) => {
        expect(phoneKey(phone, 'CN')).toEqual(parsedPhoneKey(phone, 'CN'));
      }),
      { numRuns: 2000 },
    );
    // Anything else still goes to the parser: a number from another region, with
    // punctuation, or with the country code.
    for (const [phone, region] of [
      ['13800138000', 'US'],
      ['138-0013-8000', 'CN'],
      ['+86 13800138000', 'CN'],
      ['12800138000', 'CN'],
    ] as const)
      expect(phoneKey(phone, region)).toEqual(parsedPhoneKey(phone, region));
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

/** Plain Levenshtein with adjacent transpositions, the textbook way: the reference. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

describe('similar names (edit distance over pinyin)', () => {
  it('finds one typo at the same company, in pinyin for Chinese names', () => {
    const at = (name: string, company = '北京字节跳动科技有限公司') => ({ name, company });
    // 张三 / 张山: zhangsan / zhangshan, one letter apart.
    expect(duplicateReasons(at('张三'), at('张山'), 'CN')).toEqual(['similar_name']);
    expect(duplicateReasons(at('Jon Smith', 'Acme Inc.'), at('John Smith', 'ACME'), 'CN')).toEqual([
      'similar_name',
    ]);
    expect(duplicateReasons(at('Katharine Lee'), at('Katherine Lee'), 'CN')).toEqual([
      'similar_name',
    ]);
    // Swapped letters count as one typo.
    expect(duplicateReasons(at('Michael Wong'), at('Micheal Wong'), 'CN')).toEqual([
      'similar_name',
    ]);
    // Same name exactly is the stronger reason, not both.
    expect(duplicateReasons(at('张三'), at('Zhang San'), 'CN')).toEqual(['name_company']);
  });

  it('does not call different people similar', () => {
    const at = (name: string, company = '腾讯') => ({ name, company });
    // Another company: never.
    expect(duplicateReasons(at('张三'), at('张山', '阿里巴巴'), 'CN')).toEqual([]);
    // Two letters apart.
    expect(duplicateReasons(at('李娜'), at('李华'), 'CN')).toEqual([]);
    // Too short for one letter to be a typo: li na / lu na.
    expect(similarNameKeys('lina', 'luna')).toBe(false);
    // Labels with numbers are not typos of each other.
    expect(duplicateReasons(at('Visitor 17'), at('Visitor 18'), 'CN')).toEqual([]);
    expect(similarNameKeysOf(at('客户12'))).toEqual([]);
    // No company: a name alone is not evidence.
    expect(duplicateReasons({ name: '张三' }, { name: '张山' }, 'CN')).toEqual([]);
  });

  it('the bounded distance agrees with the textbook one wherever it answers 0 or 1', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const ref = referenceDistance(a, b);
        expect(nameDistance(a, b, 1)).toBe(Math.min(ref, 2));
        expect(nameDistance(a, b, 1)).toBe(nameDistance(b, a, 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('blocking keys never miss a pair one edit apart', () => {
    const letters = fc.constantFrom(...'abcdefghzxy');
    const name = fc.string({ unit: letters, minLength: 5, maxLength: 12 });
    const edit = fc.record({
      kind: fc.constantFrom('insert', 'delete', 'substitute', 'swap'),
      at: fc.nat(),
      letter: letters,
    });
    fc.assert(
      fc.property(name, edit, (a, e) => {
        const i = e.at % a.length;
        const b =
          e.kind === 'insert'
            ? a.slice(0, i) + e.letter + a.slice(i)
            : e.kind === 'delete'
              ? a.slice(0, i) + a.slice(i + 1)
              : e.kind === 'substitute'
                ? a.slice(0, i) + e.letter + a.slice(i + 1)
                : i + 1 < a.length
                  ? a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2)
                  : a;
        if (a === b || b.length < 5) return;
        const ka = new Set(similarNameKeysOf({ name: a, company: 'X' }));
        const shared = similarNameKeysOf({ name: b, company: 'X' }).some((k) => ka.has(k));
        expect(shared).toBe(true);
        expect(similarNameKeys(a, b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('groups similar names at one company for the merge screen, ranked below exact evidence', () => {
    const groups = findDuplicateGroups(
      [
        { id: '1', name: '张三', company: '字节跳动' },
        { id: '2', name: '张山', company: '字节跳动有限公司' },
        { id: '3', name: '王五', company: '腾讯', email: 'w@qq.com' },
        { id: '4', name: 'Wang Wu', company: '腾讯', email: 'W@qq.com' },
        { id: '5', name: '张山', company: '阿里巴巴' },
      ],
      'CN',
    );
    expect(groups.map((g) => [g.ids.sort(), g.reasons])).toEqual([
      [
        ['3', '4'],
        ['email', 'name_company'],
      ],
      [['1', '2'], ['similar_name']],
    ]);
    expect(groups[1]!.confidence).toBeLessThan(groups[0]!.confidence);
  });
});
