// Export → import round-trips every importable field of a lead, whatever its text:
// commas, quotes, newlines, Chinese, formula-like starts, tags, BANT levels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorityLevels,
  budgetLevels,
  leadFields,
  leadSources,
  needLevels,
  timelineLevels,
} from '../../src-main/contract/index.js';
import { importFields, type ColumnTarget } from '../../src-main/domain/importMapping.js';
import { parseTable, decodeBytes } from '../../src-main/domain/importFile.js';
import { readCell } from '../../src-main/domain/importValues.js';
import { exportEntity } from '../../src-main/services/exportData.js';
import { importLeads } from '../../src-main/services/importLeads.js';
import { createRecord, listRecords } from '../../src-main/services/records.js';
import { memoryStore } from '../helpers/store.js';

/** Control characters other than newline: not text a user types into a CRM. */
const isControl = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return (code < 0x20 && ch !== '\n') || code === 0x7f;
};

const text = fc
  .array(
    fc.oneof(
      fc.constantFrom('张', '三', '公司', ',', '"', '\n', ';', '=', '+', '-', '@', ' ', 'é', 'ß'),
      fc.string({ minLength: 1, maxLength: 4 }).filter((s) => ![...s].some((ch) => isControl(ch))),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join('').trim())
  // A cell saying only "-", "null" or "无" reads as empty on import (as other CRMs' exports
  // mean it): such a value cannot come back, by design.
  .filter((s) => s.length > 0 && readCell(s).value !== '');

const lead = fc
  .record(
    {
      company: text,
      title: text,
      email: fc
        .emailAddress()
        .filter((e) => e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)),
      phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`),
      other_phones: fc.uniqueArray(
        fc.integer({ min: 0, max: 99_999_999 }).map((n) => `+86 137 ${String(n).padStart(8, '0')}`),
        { maxLength: 2 },
      ),
      other_emails: fc.uniqueArray(
        fc
          .emailAddress()
          .filter((e) => e.length <= 254 && /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(e)),
        { maxLength: 2 },
      ),
      wechat: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{5,19}$/),
      city: text,
      notes: text,
      tags: fc.uniqueArray(
        text.filter((t) => t.length <= 40 && !t.includes('"')),
        { maxLength: 3 },
      ),
      source: fc.constantFrom(...leadSources),
      status: fc.constantFrom('new', 'contacted', 'qualified', 'unqualified'),
      budget: fc.constantFrom(...budgetLevels),
      authority: fc.constantFrom(...authorityLevels),
      need: fc.constantFrom(...needLevels),
      timeline: fc.constantFrom(...timelineLevels),
      next_step: text,
      next_step_date: fc.constantFrom('2026-12-01', '2027-02-28'),
      disqualify_reason: text,
    },
    { requiredKeys: ['email'] },
    // Another email equal to the email is one address, kept once by design.
  )
  .filter((d) => !d.other_emails?.includes(d.email));

describe('export → import', () => {
  it('round-trips every importable field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lead, { minLength: 1, maxLength: 6 }), async (drafts) => {
        const from = await memoryStore();
        drafts.forEach((d, i) =>
          // Parsed as the API parses a create, then through the same use case.
          createRecord(
            from,
            'leads',
            leadFields.parse({
              ...d,
              name: `Lead ${i}`,
              ...(d.status === 'unqualified'
                ? { disqualify_reason: d.disqualify_reason ?? 'x' }
                : {}),
            }),
          ),
        );
        const csv = exportEntity(from, 'leads', 'csv').text;
        const header = parseTable(decodeBytes(Buffer.from(csv)).text).header;
        // A user maps Leadbook's own export by its column names; the rest is left out.
        const mapping: ColumnTarget[] = header.map((h) =>
          (importFields as readonly string[]).includes(h) ? (h as ColumnTarget) : null,
        );
        const to = await memoryStore();
        const report = await importLeads(to, Buffer.from(csv), {
          fileName: 'leads.csv',
          mapping,
          onDuplicate: 'create',
          allOrNothing: true,
          dryRun: false,
        });
        expect(report.rejected).toEqual([]);
        const rows = (s: typeof from) =>
          listRecords(s, 'leads', {
            limit: 100,
            offset: 0,
            deleted: 'exclude',
            withTotal: false,
            sort: { field: 'name', dir: 'asc' },
          }).rows.map((r) =>
            Object.fromEntries(
              importFields.map((f) => [f, (r as unknown as Record<string, unknown>)[f] ?? null]),
            ),
          );
        expect(rows(to)).toEqual(rows(from));
      }),
      { numRuns: 40 },
    );
  });
});
