// Export as the UI asks for it (F11): a list as the user sees it — filters, search, sort —
// or everything, for every entity, as CSV (UTF-8 with BOM or GB18030), .xlsx or JSON.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { exportableEntities } from '../../src-main/contract/index.js';
import { memoryApi } from '../helpers/api.js';

const bytes = (content: string) => Buffer.from(content, 'base64');
/** exceljs declares its own `Buffer` (an ArrayBuffer): hand it the decoded bytes' buffer. */
async function workbookOf(content: string): Promise<ExcelJS.Workbook> {
  const b = bytes(content);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return book;
}

describe('data.export', () => {
  it('exports the rows of a filtered, sorted list in its order, or all of them', async () => {
    const { api } = await memoryApi();
    for (const [name, source] of [
      ['张三', 'event'],
      ['李四', 'web_form'],
      ['王五', 'event'],
      ['=HYPERLINK("http://evil")', 'event'],
    ] as const)
      await api.call('leads.create', { name, source });
    const list = await api.call('data.export', {
      entity: 'leads',
      format: 'json',
      list: { filters: { source: ['event'] }, sort: { field: 'name', dir: 'desc' } },
    });
    const rows = JSON.parse(bytes(list.content).toString('utf8')) as { name: string }[];
    expect(list.rows).toBe(3);
    expect(rows.map((r) => r.name)).toEqual(
      ['张三', '王五', '=HYPERLINK("http://evil")'].sort().reverse(),
    );
    expect(list.fileName).toMatch(/^leadbook-leads-\d{4}-\d{2}-\d{2}\.json$/);
    const searched = await api.call('data.export', {
      entity: 'leads',
      format: 'csv',
      list: { q: 'zs' },
    });
    expect(searched.rows).toBe(1);
    const csv = bytes(searched.content).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true); // Excel opens Chinese UTF-8 with the BOM
    expect(csv).toContain('张三');
    const all = await api.call('data.export', { entity: 'leads', format: 'csv' });
    expect(all.rows).toBe(4);
    // A formula-like cell is neutralised on the way out.
    expect(bytes(all.content).toString('utf8')).toContain('"\t=HYPERLINK(""http://evil"")"');
    const gb = await api.call('data.export', {
      entity: 'leads',
      format: 'csv',
      encoding: 'gb18030',
    });
    expect(iconv.decode(bytes(gb.content), 'gb18030')).toContain('李四');
  });

  it('exports every entity as .xlsx with text cells', async () => {
    const { api } = await memoryApi();
    const account = await api.call('accounts.create', { name: '华为技术有限公司' });
    await api.call('contacts.create', {
      name: '王伟',
      account_id: account.id,
      phone: '010 8888 6666',
    });
    for (const entity of exportableEntities) {
      const file = await api.call('data.export', { entity, format: 'xlsx' });
      const book = await workbookOf(file.content);
      const sheet = book.worksheets[0]!;
      expect(sheet.name).toBe(entity);
      expect(sheet.rowCount - 1).toBe(file.rows);
      expect(file.mime).toContain('spreadsheetml');
    }
    const contacts = await api.call('data.export', { entity: 'contacts', format: 'xlsx' });
    const book = await workbookOf(contacts.content);
    const header = book.worksheets[0]!.getRow(1).values as string[];
    const phone = book.worksheets[0]!.getRow(2).getCell(header.indexOf('phone')).value;
    expect(phone).toBe('010 8888 6666'); // text: the leading zero stays
  });

  it('refuses a list that is not a list of that entity, and nothing else happens', async () => {
    const { api } = await memoryApi();
    await expect(
      api.call('data.export', { entity: 'leads', list: { filters: { nonsense: ['x'] } } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      api.call('data.export', { entity: 'leads', list: { sort: { field: 'password' } } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(api.call('data.export', { entity: 'secrets' as 'leads' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
