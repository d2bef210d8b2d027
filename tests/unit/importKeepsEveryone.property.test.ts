// Issue 19's two rules, for any input: a row with anything identifying in it is imported
// (created, updated or merged — never rejected), and two people who differ in email and
// phone are never merged automatically, whatever else they share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src-main/domain/csv.js';
import { readCell } from '../../src-main/domain/importValues.js';
import { importLeads } from '../../src-main/services/importLeads.js';
import { createRecord, listRecords } from '../../src-main/services/records.js';
import { leadFields } from '../../src-main/contract/index.js';
import { memoryStore } from '../helpers/store.js';

const header = ['Name', 'Company', 'Email', 'Phone', 'Mobile', 'Record ID', 'Website', 'Notes'];
/** Columns whose value identifies someone. */
const identifying = new Set([0, 1, 2, 3, 4, 5]);

const junk = fc.oneof(
  fc.constantFrom(
    'null',
    'NULL',
    '#N/A',
    'n/a',
    '-',
    '--',
    '(blank)',
    '无',
    '空',
    '不详',
    '   ',
    '\t',
    '',
  ),
  fc.constantFrom(
    '702-544-7834 / 818-257-2525',
    '4Tech-gt - on facebook',
    'tel:+1-418-656-9254;ext=102',
    'sip:a@b.example',
    '9',
    '555-1234,,22',
    'not-an-email',
    'a@x.example; b@y.example',
    '13800138000、13900139000',
    '=SUM(A1)',
    'x'.repeat(300),
  ),
  fc
    .string({ maxLength: 30 })
    .filter((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\n' && ch !== '\t')),
);

const row = fc.array(junk, { minLength: header.length, maxLength: header.length + 2 });

const hasIdentity = (cells: string[]) =>
  cells.some((c, i) => identifying.has(i) && readCell(c).value !== '');

describe('import keeps every person (property)', () => {
  it('a row with any identifying value is never rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const store = await memoryStore();
        // A first row that names someone keeps the file from being all blank.
        const all = [['Anchor Person', ...Array(header.length - 1).fill('')], ...rows];
        const csv = [csvLine(header), ...all.map((cells) => csvLine(cells))].join('\r\n');
        const r = await importLeads(store, Buffer.from(`\uFEFF${csv}`), {
          fileName: 'p.csv',
          onDuplicate: 'merge',
          allOrNothing: false,
          dryRun: false,
        });
        // Data rows as the file numbers them: row 2 is the anchor; blank rows are skipped.
        const numbered = all
          .map((cells, i) => ({ cells, line: i + 2 }))
          .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
        const rejected = new Set(r.rejected.map((x) => x.row));
        for (const { cells, line } of numbered)
          if (hasIdentity(cells))
            expect(rejected.has(line), `row ${line}: ${JSON.stringify(cells)}`).toBe(false);
        const accounted = r.created + r.updated + r.merged + r.skipped + r.rejected.length;
        expect(accounted).toBe(numbered.length);
      }),
      { numRuns: 60 },
    );
  });

  const person = fc.record({
    name: fc.constantFrom('John Smith', '张伟', 'Maria Gomez', 'Li Wei'),
    company: fc.constantFrom('Acme', 'Initech', '华为技术有限公司', ''),
    emailUser: fc.stringMatching(/^[a-z]{3,10}$/),
    phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `138${String(n).padStart(8, '0')}`),
  });

  it('two people who differ in email and phone are never merged automatically', async () => {
    await fc.assert(
      fc.asyncProperty(person, person, fc.boolean(), async (a, b, bothInFile) => {
        fc.pre(a.emailUser !== b.emailUser && a.phone !== b.phone);
        const store = await memoryStore();
        const cells = (p: typeof a) => [p.name, p.company, `${p.emailUser}@example.com`, p.phone];
        const lines = [csvLine(['Name', 'Company', 'Email', 'Mobile'])];
        if (bothInFile) lines.push(csvLine(cells(a)));
        else
          createRecord(
            store,
            'leads',
            leadFields.parse({
              name: a.name,
              company: a.company || null,
              email: `${a.emailUser}@example.com`,
              mobile: a.phone,
            }),
          );
        lines.push(csvLine(cells(b)));
        const r = await importLeads(store, Buffer.from(lines.join('\n')), {
          fileName: 'two.csv',
          onDuplicate: 'merge',
          allOrNothing: false,
          dryRun: false,
        });
        expect(r.merged + r.updated).toBe(0);
        const leads = listRecords(store, 'leads', {
          limit: 10,
          offset: 0,
          deleted: 'exclude',
          withTotal: false,
        }).rows;
        expect(leads).toHaveLength(2);
      }),
      { numRuns: 80 },
    );
  });
});
