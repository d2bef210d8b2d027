// Importing real-looking exports: each kind of source, each encoding, each kind of bad
// input, duplicates, undo — through the import service on a real (in-memory) store.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/contract/index.js';
import { exportEntity } from '../../src-main/services/exportData.js';
import { parseTable } from '../../src-main/domain/importFile.js';
import { autoMapHeaders } from '../../src-main/domain/importMapping.js';
import {
  importLeads,
  importProblems,
  listImports,
  previewImport,
  undoImport,
  type ImportOptions,
} from '../../src-main/services/importLeads.js';
import { listRecords, createRecord } from '../../src-main/services/records.js';
import type { Store } from '../../src-main/store/store.js';
import { memoryStore } from '../helpers/store.js';
import { rejection } from '../helpers/errors.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'import');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const opts = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  fileName: 'test.csv',
  onDuplicate: 'merge',
  allOrNothing: false,
  dryRun: false,
  ...over,
});
const leads = (store: Store) =>
  listRecords(store, 'leads', { limit: 1000, offset: 0, deleted: 'exclude', withTotal: true }).rows;

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('import: sources', () => {
  it('reads a Salesforce export: quoted newlines and quotes, statuses and sources mapped', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('salesforce-leads.csv'), opts());
    expect([r.encoding, r.delimiter, r.rows, r.created, r.rejected]).toEqual([
      'utf-8',
      ',',
      3,
      3,
      [],
    ]);
    const byName = new Map(leads(store).map((l) => [l.name, l]));
    const john = byName.get('John Smith')!;
    expect([john.status, john.source, john.email, john.region]).toEqual([
      'new',
      'event',
      'john.smith@globex.com',
      'CA',
    ]);
    expect(john.notes).toContain('Wants a quote for 200 units, "urgent"');
    expect(john.notes).toContain('Rating: Hot'); // an unknown column goes to the notes
    expect(byName.get('Maria García')!.status).toBe('contacted');
    const wei = byName.get('Wei Li')!;
    expect([wei.status, wei.disqualify_reason, wei.source]).toEqual([
      'unqualified',
      'Closed - Not Converted',
      'referral',
    ]);
  });

  it('reads a HubSpot export with its own value names', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('hubspot-contacts.csv'), opts());
    expect(r.created).toBe(2);
    const anna = leads(store).find((l) => l.name === 'Anna Schmidt')!;
    expect([anna.source, anna.status, anna.company, anna.title]).toEqual([
      'web_form',
      'new',
      'Siemens AG',
      'Head of Procurement',
    ]);
    expect(leads(store).find((l) => l.name === 'Tom Baker')!.status).toBe('contacted');
  });

  it('reads a GB18030 file with Chinese headers (Excel in China)', async () => {
    const store = await memoryStore();
    const bytes = iconv.encode(fixture('zoho-zh.csv').toString('utf8'), 'gb18030');
    const r = await importLeads(store, bytes, opts());
    expect([r.encoding, r.created, r.rejected]).toEqual(['gb18030', 3, []]);
    const zs = leads(store).find((l) => l.name === '张三')!;
    expect([zs.company, zs.source, zs.status, zs.mobile, zs.notes]).toEqual([
      '北京字节跳动科技有限公司',
      'event',
      'new',
      '138 0013 8000',
      '展会上聊过,需要报价',
    ]);
    expect(leads(store).find((l) => l.name === '王芳')!.disqualify_reason).toBe('无效');
  });

  it('reads a semicolon file with a BOM and German headers (badge scanner)', async () => {
    const store = await memoryStore();
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('badge-scanner-de.csv')]);
    const r = await importLeads(store, bytes, opts());
    expect([r.encoding, r.delimiter, r.created]).toEqual(['utf-8', ';', 2]);
    const anna = leads(store).find((l) => l.name === 'Anna Müller')!;
    expect([anna.family_name, anna.given_name, anna.company, anna.mobile]).toEqual([
      'Müller',
      'Anna',
      'Größe GmbH',
      '+49 170 1234567',
    ]);
    expect(anna.notes).toContain('Interesse an Modell X; Rückruf');
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text", tab-separated) and Windows-1252', async () => {
    const store = await memoryStore();
    const tsv = 'Name\tCompany\tEmail\n欧阳娜娜\t腾讯\tnana@qq.com\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf-16le')]);
    expect(await importLeads(store, utf16, opts())).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      created: 1,
    });
    const latin = iconv.encode('Name,Company\nJosé Müller,Café Größe\n', 'win1252');
    expect(await importLeads(store, latin, opts())).toMatchObject({
      encoding: 'windows-1252',
      created: 1,
    });
    expect(
      leads(store)
        .map((l) => l.company)
        .sort(),
    ).toEqual(['Café Größe', '腾讯']);
  });
});

describe('import: bad input', () => {
  it('keeps every row that identifies someone: odd values go to the notes as warnings; only a row with nobody in it is rejected', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('bad-rows.csv'), opts());
    // Row 9 holds only "null" and "#N/A": nothing identifies anyone.
    expect(r.rejected.map(({ row, reason }) => ({ row, reason }))).toEqual([
      { row: 9, reason: 'no identity: no name, email, phone or company' },
    ]);
    expect(
      r.warnings.map(({ row, column, value, kind }) => ({ row, column, value, kind })),
    ).toEqual([
      { row: 5, column: 'Email', value: 'not-an-email', kind: 'email' },
      { row: 7, column: 'Column 5', value: 'extra', kind: 'extra_cells' },
    ]);
    expect(r.emptyMarkers).toEqual([]); // the rejected row's markers are not counted
    expect(r.created).toBe(6);
    const byName = new Map(leads(store).map((l) => [l.name, l]));
    // A company alone identifies a lead; an email that is not one is kept in the notes.
    expect(byName.get('Nameless Inc')?.company).toBe('Nameless Inc');
    expect([byName.get('Bad Mail')?.email, byName.get('Bad Mail')?.notes]).toEqual([
      null,
      'Email: not-an-email',
    ]);
    // A short internal number is read, not refused: not a number the phone field can
    // dial from the team's region, it is one of the lead's other phones.
    expect([byName.get('Bad Phone')?.phone, byName.get('Bad Phone')?.other_phones]).toEqual([
      null,
      '["12345"]',
    ]);
    expect(byName.get('Too Many')?.notes).toBe('Column 5: extra');
    // A formula-like cell is stored as the text it is, and neutralised again on export.
    const formula = byName.get('Formula')!;
    expect(formula.company).toBe('=SUM(A1:A9)');
    expect(exportEntity(store, 'leads', 'csv').text).toContain('"\t=SUM(A1:A9)"');
    // The warned and rejected rows come back as a CSV to fix, with the reason.
    const problems = store.read((rd) => importProblems(rd, r.batchId!));
    expect(problems.fileName).toBe('test-problems.csv');
    const table = parseTable(problems.text);
    expect(table.header).toEqual([
      'Name',
      'Company',
      'Email',
      'Phone',
      'Column 5',
      'Leadbook row',
      'Leadbook problem',
    ]);
    expect(table.rows.map((row) => [row.cells[0], row.cells[5], row.cells[6]])).toEqual([
      ['Bad Mail', '5', 'Email: not an email address; kept in the notes (not-an-email)'],
      ['Too Many', '7', "Column 5: a cell beyond the file's 4 columns; kept in the notes (extra)"],
      ['', '9', 'rejected: no identity: no name, email, phone or company'],
    ]);
    // Imported again, the fixed file's problem columns are left out by themselves.
    expect(autoMapHeaders(table.header).slice(5)).toEqual([null, null]);
  });

  it('with all-or-nothing, one rejected row means nothing is imported', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('bad-rows.csv'), opts({ allOrNothing: true }));
    expect([r.aborted, r.batchId, r.rejected.length]).toEqual([true, null, 1]);
    expect(leads(store)).toEqual([]);
    expect(store.changesSince(null).filter((c) => c.table === 'leads')).toEqual([]);
  });

  it.each<[string, Uint8Array, string]>([
    ['an empty file', new Uint8Array(), 'empty'],
    ['blank lines only', Buffer.from('\n\n  \n'), 'empty'],
    ['a header only', Buffer.from('Name,Email\n'), 'header_only'],
    [
      'a binary file',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'binary',
    ],
    ['an .xlsx saved as .csv', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000'), 'binary'],
    [
      'an unterminated quote',
      Buffer.from('Name,Notes\nA,"never closed\nB,x\n'),
      'unterminated_quote',
    ],
    [
      'thousands of columns',
      Buffer.from(`${Array.from({ length: 3000 }, (_, i) => `c${i}`).join(',')}\nA\n`),
      'too_many_columns',
    ],
    ['a file over the size limit', new Uint8Array(64 * 1024 * 1024 + 1), 'too_large'],
  ])('%s: one clear error, nothing changed', async (_name, bytes, code) => {
    const store = await memoryStore();
    const e = await rejection(importLeads(store, bytes, opts()));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.issues?.[0]).toMatchObject({ path: 'file', code });
    expect(leads(store)).toEqual([]);
    expect(listImports(store)).toEqual([]);
  });
});

describe('import: duplicates, dry run, undo', () => {
  it('finds duplicates within the file and against the database', async () => {
    const store = await memoryStore();
    createRecord(store, 'leads', { name: '张三', phone: '+86 138-0013-8000' });
    const csv = [
      'Name,Company,Email,Mobile',
      '张三,字节跳动,zs@bytedance.com,13800138000', // the existing lead, phone in another format
      'Li Wei,Acme,LI.WEI@acme.com,',
      'Wei Li,Acme Inc.,li.wei@acme.com,', // same email as the row above, name in the other order
      'New Person,Other,np@other.com,',
    ].join('\n');
    const skip = await importLeads(
      store,
      Buffer.from(csv),
      opts({ dryRun: true, onDuplicate: 'skip' }),
    );
    expect(skip.duplicates).toEqual([
      {
        row: 2,
        of: { lead: expect.any(String), name: '张三' },
        reasons: ['phone'],
        kind: 'same',
        differs: [],
        action: 'skipped',
      },
      { row: 4, of: { row: 3 }, reasons: ['email'], kind: 'same', differs: [], action: 'skipped' },
    ]);
    expect([skip.created, skip.skipped, skip.batchId]).toEqual([2, 2, null]);
    expect(leads(store)).toHaveLength(1); // a dry run writes nothing
    const create = await importLeads(store, Buffer.from(csv), opts({ onDuplicate: 'create' }));
    expect([create.created, create.skipped]).toEqual([4, 0]);
  });

  it('a name one typo apart at the same company is only a possible duplicate: created, and counted for review', async () => {
    const store = await memoryStore();
    createRecord(store, 'leads', { name: 'John Smith', company: 'Acme Inc.' });
    createRecord(store, 'leads', { name: '张三', company: '字节跳动有限公司' });
    const csv = [
      'Name,Company,Title',
      'Jon Smith,ACME,CTO', // the existing John Smith, his name mistyped — or someone else
      '张山,字节跳动,产品经理', // 张三 in pinyin one letter off: zhangshan / zhangsan
      'Katharine Lee,Globex,CEO',
      'Katherine Lee,Globex GmbH,CEO', // the row above again
      'Li Na,Acme,Buyer', // too short a name to call "Li Nu" a typo; not a duplicate
    ].join('\n');
    const r = await importLeads(
      store,
      Buffer.from(csv),
      opts({ dryRun: true, onDuplicate: 'skip' }),
    );
    const possible = { kind: 'possible', differs: [], action: 'created' };
    expect(r.duplicates).toEqual([
      expect.objectContaining({
        row: 2,
        of: expect.objectContaining({ name: 'John Smith' }),
        reasons: ['similar_name'],
        ...possible,
      }),
      expect.objectContaining({
        row: 3,
        of: expect.objectContaining({ name: '张三' }),
        reasons: ['similar_name'],
        ...possible,
      }),
      expect.objectContaining({ row: 5, of: { row: 4 }, reasons: ['similar_name'], ...possible }),
    ]);
    expect([r.created, r.skipped, r.possibleDuplicates]).toEqual([5, 0, 3]);
  });

  it('takes the user’s action for single duplicate rows over the file-wide one', async () => {
    const store = await memoryStore();
    const zhang = createRecord(store, 'leads', { name: '张三', phone: '+86 138-0013-8000' });
    const csv = [
      'Name,Company,Email,Mobile,Title',
      '张三,字节跳动,zs@bytedance.com,13800138000,CTO', // the existing 张三
      'Li Wei,Acme,li.wei@acme.com,,Buyer',
      'Wei Li,Acme Inc.,li.wei@acme.com,,Head of Purchasing', // same as the row above
      '张三,,,13800138000,', // 张三 again
    ].join('\n');
    const rowActions = { '2': 'merge', '4': 'create', '5': 'merge' } as const;
    const dry = await importLeads(store, Buffer.from(csv), opts({ dryRun: true, rowActions }));
    expect(dry.duplicates.map((d) => [d.row, d.action])).toEqual([
      [2, 'merged'],
      [4, 'created'],
      [5, 'merged'],
    ]);
    const r = await importLeads(store, Buffer.from(csv), opts({ rowActions }));
    expect([r.created, r.merged, r.skipped]).toEqual([2, 2, 0]);
    const all = leads(store);
    expect(all).toHaveLength(3); // 张三 (merged twice), Li Wei, Wei Li
    const merged = all.find((l) => l.id === zhang.id)!;
    // Row 5 merges into row 2's lead, which is the existing 张三.
    expect([merged.company, merged.email, merged.title]).toEqual([
      '字节跳动',
      'zs@bytedance.com',
      'CTO',
    ]);
    // A row number that is not a number is refused at the boundary.
    const { procedures } = await import('../../src-main/contract/index.js');
    const bad = procedures['imports.run'].input.safeParse({
      fileName: 'x.csv',
      content: Buffer.from(csv).toString('base64'),
      rowActions: { two: 'merge' },
    });
    expect(bad.success).toBe(false);
  });

  it('undoes a whole batch, once', async () => {
    const store = await memoryStore();
    const before = createRecord(store, 'leads', { name: 'Kept' });
    const r = await importLeads(
      store,
      fixture('hubspot-contacts.csv'),
      opts({ fileName: 'hs.csv' }),
    );
    expect(listImports(store)).toMatchObject([
      { id: r.batchId, file: 'hs.csv', counts: { rows: 2, created: 2 }, undoneAt: null },
    ]);
    expect(undoImport(store, r.batchId!)).toEqual({ deleted: 2, restored: 0 });
    expect(leads(store).map((l) => l.id)).toEqual([before.id]);
    expect(refusal(() => undoImport(store, r.batchId!)).code).toBe('CONFLICT');
    expect(listImports(store)[0]!.undoneAt).not.toBeNull();
  });

  it('merges into the existing lead: fills empty fields, keeps and reports differences; undo puts back only untouched fields', async () => {
    const store = await memoryStore();
    const existing = createRecord(store, 'leads', {
      name: '张三',
      company: '字节跳动',
      phone: '+86 138-0013-8000',
      notes: '展会上聊过',
    });
    const csv = [
      'Name,Company,Title,Mobile,City,Notes,Tags',
      '张三,北京字节跳动科技有限公司,采购总监,13800138000,北京,需要报价,VIP',
      '张三,字节跳动,,13800138000,,,样品', // same phone again: merges into the same lead
      '张三丰,字节跳动,,13800138000,,,', // same phone, another name: someone else, kept apart
    ].join('\n');
    const r = await importLeads(store, Buffer.from(csv), opts({ onDuplicate: 'merge' }));
    expect([r.created, r.merged, r.skipped, r.possibleDuplicates]).toEqual([1, 2, 0, 1]);
    expect(r.duplicates.at(-1)).toMatchObject({
      row: 4,
      kind: 'possible',
      differs: expect.arrayContaining(['name']),
    });
    expect(r.conflicts).toEqual([
      { row: 2, field: 'company', kept: '字节跳动', offered: '北京字节跳动科技有限公司' },
    ]);
    const lead = leads(store).find((l) => l.id === existing.id)!;
    expect([lead.id, lead.company, lead.title, lead.mobile, lead.city, lead.notes]).toEqual([
      existing.id,
      '字节跳动',
      '采购总监',
      '13800138000',
      '北京',
      '展会上聊过\n需要报价',
    ]);
    expect(JSON.parse(lead.tags!)).toEqual(['VIP', '样品']);
    // The user edits the city after the import; undo keeps that edit.
    store.write((tx) => tx.update('leads', existing.id, { city: '上海' }));
    expect(undoImport(store, r.batchId!)).toEqual({ deleted: 1, restored: 2 });
    const after = leads(store)[0]!;
    expect([after.title, after.mobile, after.city, after.notes, after.tags]).toEqual([
      null,
      null,
      '上海',
      '展会上聊过',
      null,
    ]);
  });
});

describe('import: vCards', () => {
  it('reads vCard 2.1 (quoted-printable, folded photo), 3.0 (escapes, several cards) and 4.0', async () => {
    const store = await memoryStore();
    const v21 = await importLeads(store, fixture('contacts-v21.vcf'), opts({ fileName: 'a.vcf' }));
    expect([v21.delimiter, v21.rows, v21.created, v21.rejected]).toEqual(['vcard', 2, 2, []]);
    const v30 = await importLeads(store, fixture('contacts-v30.vcf'), opts());
    const v40 = await importLeads(store, fixture('contacts-v40.vcf'), opts());
    expect([v30.created, v40.created]).toEqual([2, 1]);
    const byName = new Map(leads(store).map((l) => [l.name, l]));
    expect([byName.get('张三')!.company, byName.get('张三')!.phone]).toEqual([
      '北京字节跳动科技',
      '+86 138 0013 8000',
    ]);
    expect(byName.get('Anna Schmidt')!.company).toBe('Siemens AG');
    const wei = byName.get('Wei Li')!;
    expect([wei.company, wei.title, wei.address, wei.website]).toEqual([
      'Acme, Inc. Sales',
      'Head of Sales, APAC',
      '1 Market St, Suite 5 San Francisco CA 94105 USA',
      'https://acme.com',
    ]);
    expect([byName.get('王芳')!.wechat, byName.get('王芳')!.phone]).toEqual([
      'wangfang_88',
      '13912345678',
    ]);
    const joerg = byName.get('Jörg Weiß')!;
    expect([joerg.phone, joerg.email, joerg.wechat]).toEqual([
      '+49-171-7654321',
      'j.weiss@baecker.de',
      'joerg_w',
    ]);
  });

  it('decodes a 2.1 card whose quoted-printable text is GB2312 (older Chinese phones)', async () => {
    const store = await memoryStore();
    const qp = (text: string) =>
      [...iconv.encode(text, 'gb2312')]
        .map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
    const card = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      `FN;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:${qp('李雷')}`,
      `ORG;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:${qp('华为技术有限公司')}`,
      'TEL;CELL:13700001111',
      'END:VCARD',
    ].join('\r\n');
    expect((await importLeads(store, Buffer.from(card), opts())).created).toBe(1);
    expect(leads(store).map((l) => [l.name, l.company])).toEqual([['李雷', '华为技术有限公司']]);
  });
});

describe('import: .xlsx', () => {
  it('reads the first sheet of a workbook: numbers, dates, formulas and rich text as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('线索');
    sheet.addRow(['姓名', '公司', '手机', '邮箱', '下一步日期', '备注']);
    sheet.addRow([
      '张三',
      '北京字节跳动科技有限公司',
      13800138000,
      'zs@bytedance.com',
      new Date(Date.UTC(2026, 11, 1)),
      { richText: [{ text: '要' }, { text: '报价', font: { bold: true } }] },
    ]);
    sheet.addRow([]);
    sheet.addRow([
      '李四',
      { formula: 'CONCAT("上海","云图")', result: '上海云图' },
      '13912345678',
      '',
      null,
      '',
    ]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const store = await memoryStore();
    const r = await importLeads(store, bytes, opts({ fileName: 'leads.xlsx' }));
    expect([r.encoding, r.delimiter, r.rows, r.created, r.rejected]).toEqual([
      'xlsx',
      'xlsx',
      2,
      2,
      [],
    ]);
    const zs = leads(store).find((l) => l.name === '张三')!;
    expect([zs.mobile, zs.next_step_date, zs.notes]).toEqual([
      '13800138000',
      '2026-12-01',
      '要报价',
    ]);
    expect(leads(store).find((l) => l.name === '李四')!.company).toBe('上海云图');
  });
});

describe('import: remembered mappings', () => {
  it('maps the next file with the same headers the way the user mapped the last one', async () => {
    const store = await memoryStore();
    const file = (rows: string) => Buffer.from(`Kontakt,Firma,Rating\n${rows}`);
    // "Kontakt" is not a known header: the user maps it to the name and drops "Rating".
    const first = await importLeads(
      store,
      file('Anna,Siemens,A'),
      opts({ mapping: ['name', 'company', null] }),
    );
    expect(first.created).toBe(1);
    const next = await previewImport(store, file('Jörg,Bäcker AG,B'), opts());
    expect(next.mapping.map((m) => m.target)).toEqual(['name', 'company', null]);
    expect(next.created).toBe(1);
    // A file with other headers still gets the automatic mapping (a column of a few
    // distinct values nobody knows becomes a custom field).
    const other = await previewImport(store, Buffer.from('Name,Rating\nX,A'), opts());
    expect(other.mapping.map((m) => m.target)).toEqual(['name', 'custom']);
  });
});

describe('import: value mappings', () => {
  it('shows how each status and source value will be read, and takes the user’s reading', async () => {
    const store = await memoryStore();
    const csv = Buffer.from(
      'Name,Lead Status,Lead Source\nA,Hot Prospect,Booth 12\nB,Open - Not Contacted,Web\nC,Hot Prospect,Web\n',
    );
    const preview = await previewImport(store, csv, opts());
    expect(preview.values).toEqual({
      status: [
        { raw: 'Hot Prospect', value: null },
        { raw: 'Open - Not Contacted', value: 'new' },
      ],
      source: [
        { raw: 'Booth 12', value: 'other' },
        { raw: 'Web', value: 'web_form' },
      ],
    });
    const values = {
      status: { 'Hot Prospect': 'qualified' as const },
      source: { 'Booth 12': 'event' as const },
    };
    const again = await previewImport(store, csv, opts({ values }));
    expect(again.values.status[0]).toEqual({ raw: 'Hot Prospect', value: 'qualified' });
    await importLeads(store, csv, opts({ values }));
    expect(
      leads(store)
        .map((l) => [l.name, l.status, l.source])
        .sort(),
    ).toEqual([
      ['A', 'qualified', 'event'],
      ['B', 'new', 'web_form'],
      ['C', 'qualified', 'web_form'],
    ]);
  });
});
