import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { companyKey } from '../../src-main/domain/dedupe.js';
import { buildSearchDoc, companyFtsQuery } from '../../src-main/domain/searchText.js';

// The same FTS5 table the store keeps (migration 0003).
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE docs USING fts5(body, han1, pinyin, pinyin_mid, content = '',
  contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`);
afterAll(() => db.close());
const insert = db.prepare(
  'INSERT INTO docs (rowid, body, han1, pinyin, pinyin_mid) VALUES (?, ?, ?, ?, ?)',
);
const match = db.prepare('SELECT rowid FROM docs WHERE docs MATCH ?').pluck();
let rowid = 0;
function indexed(company: string): number {
  const doc = buildSearchDoc({ names: [company], text: [], phones: [] });
  insert.run(++rowid, doc.body, doc.han1, doc.pinyin, doc.pinyin_mid);
  return rowid;
}

describe('looking a company up for duplicates', () => {
  it('finds the same company written with or without its legal form, and leaves out generic words', () => {
    const full = indexed('北京字节跳动科技有限公司');
    const short = indexed('北京字节跳动');
    const other = indexed('北京百度网讯科技有限公司');
    const query = companyFtsQuery('北京字节跳动科技有限公司')!;
    expect(query).not.toMatch(/有限|公司|科技|技有/);
    expect(match.all(query)).toEqual(expect.arrayContaining([full, short]));
    expect(match.all(query)).not.toContain(other);
    // Only generic words: the whole name, as a phrase.
    expect(companyFtsQuery('上海科技有限公司')).toContain('"上海 海科 科技');
  });

  it('always finds a record with the same company key (any name, Chinese or not)', () => {
    let checked = 0;
    const company = fc.string({
      unit: fc.constantFrom(
        '华',
        '为',
        '技',
        '术',
        '有',
        '限',
        '公',
        '司',
        '科',
        '贸',
        '易',
        'a',
        'B',
        '7',
        ' ',
        '.',
      ),
      minLength: 1,
      maxLength: 14,
    });
    fc.assert(
      fc.property(
        company,
        fc.constantFrom('', '有限公司', '股份有限公司', ' Co., Ltd.', '集团'),
        fc.boolean(),
        (a, suffix, upper) => {
          // The same company as another file or rep writes it.
          const b = `${upper ? a.toUpperCase() : a}${suffix}`;
          const query = companyFtsQuery(a);
          if (!query || companyKey(a) === null || companyKey(a) !== companyKey(b)) return;
          checked++;
          const id = indexed(b);
          expect(match.all(query)).toContain(id);
        },
      ),
      { numRuns: 400 },
    );
    expect(checked).toBeGreaterThan(100);
  });
});
