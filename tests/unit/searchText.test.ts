import { describe, expect, it } from 'vitest';
import {
  buildSearchDoc,
  searchableTables,
  searchDocColumns,
  searchDocInputFor,
  toFtsQuery,
} from '../../src-main/domain/searchText.js';

describe('search text', () => {
  it('builds a document only from the columns a re-index reads', () => {
    for (const table of searchableTables) {
      const read = new Set<string>();
      const row = new Proxy({} as Record<string, unknown>, {
        get: (_t, key) => {
          if (typeof key === 'string') read.add(key);
          return 'x';
        },
      });
      searchDocInputFor(table, row);
      expect([...read].sort(), table).toEqual([...searchDocColumns[table]].sort());
    }
  });

  it('indexes Han text as bigrams and single characters, and names with their pinyin', () => {
    const doc = buildSearchDoc({
      names: ['张三', '北京字节跳动'],
      text: ['li.wei@acme.com'],
      phones: ['+86 138-0013-8000'],
    });
    expect(doc.body).toContain('张三');
    expect(doc.body).toContain('字节');
    expect(doc.han1.split(' ')).toContain('张');
    expect(doc.pinyin.split(' ')).toEqual(
      expect.arrayContaining(['zhangsan', 'zs', 'beijingzijietiaodong', 'bjzjtd']),
    );
    expect(doc.pinyin_mid.split(' ')).toEqual(expect.arrayContaining(['zijietiaodong', 'zjtd']));
    expect(doc.body.split(' ')).toEqual(
      expect.arrayContaining(['liweiacmecom', 'acmecom', '8613800138000', '13800138000']),
    );
  });

  it('gives person names whole-name pinyin only, and company names every tail', () => {
    const person = buildSearchDoc({ names: ['王子怡'], text: [], phones: [] }).pinyin.split(' ');
    expect(person).toEqual(expect.arrayContaining(['wang', 'zi', 'yi', 'wangziyi', 'wzy']));
    expect(person).not.toContain('zy');
    const company = buildSearchDoc({ names: ['深圳华为技术'], text: [], phones: [] });
    expect(company.pinyin.split(' ')).toEqual(
      expect.arrayContaining(['shenzhenhuaweijishu', 'szhwjs']),
    );
    expect(company.pinyin_mid.split(' ')).toEqual(
      expect.arrayContaining(['huaweijishu', 'hwjs', 'jishu', 'zhwjs']),
    );
    // Person names have no mid-name forms at all.
    expect(buildSearchDoc({ names: ['欧阳娜娜'], text: [], phones: [] }).pinyin_mid).not.toBe('');
    expect(buildSearchDoc({ names: ['张三'], text: [], phones: [] }).pinyin_mid).toBe('');
  });

  it('quotes every token so typed text can never be FTS5 syntax', () => {
    expect(toFtsQuery('") OR * NEAR(')).toBe(
      '{body pinyin} : "or"* AND {body pinyin pinyin_mid} : "near"*',
    );
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('***')).toBeNull();
  });

  it('maps words to the right columns', () => {
    expect(toFtsQuery('张')).toBe('han1 : "张"');
    expect(toFtsQuery('张三丰')).toBe('body : "张三 三丰"');
    // Two letters search names from their start; three or more also mid-company-name.
    expect(toFtsQuery('zs acme')).toBe(
      '{body pinyin} : "zs"* AND {body pinyin pinyin_mid} : "acme"*',
    );
    expect(toFtsQuery('z')).toBe('{body pinyin} : "z"');
    expect(toFtsQuery('li.wei@acme')).toBe('body : "liweiacme"*');
  });
});
