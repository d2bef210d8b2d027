import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRowStream, ImportFileError, parseTable } from '../../src-main/domain/importFile.js';

/** A CSV text with one line-break style, cells that may be quoted and hold the delimiter,
 * quotes and line breaks, blank lines, and Chinese text. */
const csvText = fc
  .record({
    newline: fc.constantFrom('\n', '\r\n'),
    delimiter: fc.constantFrom(',', ';', '\t'),
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.array(
      fc.array(
        fc.oneof(
          fc.string({ unit: fc.constantFrom('a', 'b', '张', '三', ' ', '1', '@', '.') }),
          fc.string({ unit: fc.constantFrom('x', '"', ',', ';', '\n', '\t', '王') }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
      { minLength: 0, maxLength: 30 },
    ),
    blankEvery: fc.integer({ min: 0, max: 7 }),
    trailing: fc.boolean(),
  })
  .map(({ newline, delimiter, columns, rows, blankEvery, trailing }) => {
    const cell = (c: string) =>
      /["\n\r,;\t]/.test(c) || c.trim() !== c ? `"${c.replace(/"/g, '""')}"` : c;
    const header = Array.from({ length: columns }, (_, i) => `Col${i}`).join(delimiter);
    const lines = [header];
    rows.forEach((r, i) => {
      if (blankEvery && i % blankEvery === 0) lines.push('');
      lines.push(r.map(cell).join(delimiter));
    });
    return lines.join(newline) + (trailing ? newline : '');
  });

/** The text cut into pieces at the given sizes (one piece per size, the rest last). */
function pieces(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const s of sizes) {
    if (at >= text.length) break;
    out.push(text.slice(at, at + s));
    at += s;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function streamed(text: string, sizes: number[]) {
  const stream = new CsvRowStream();
  const rows = pieces(text, sizes).flatMap((p) => stream.push(p));
  rows.push(...stream.end());
  return { header: stream.columns?.header, delimiter: stream.columns?.delimiter, rows };
}

function whole(text: string) {
  const t = parseTable(text);
  return { header: t.header, delimiter: t.delimiter, rows: t.rows };
}

const outcome = (fn: () => unknown) => {
  try {
    return { ok: fn() };
  } catch (err) {
    if (err instanceof ImportFileError) return { error: err.code };
    throw err;
  }
};

describe('a file read in pieces', () => {
  it('gives the rows, row numbers and header that reading it whole gives, wherever it is cut', () => {
    fc.assert(
      fc.property(
        csvText,
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 40 }),
        (text, sizes) => {
          expect(outcome(() => streamed(text, sizes))).toEqual(outcome(() => whole(text)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a quoted cell with line breaks whole when a piece ends inside it', () => {
    const text = 'Name,Notes\n张三,"line one\nline two\nline three"\n李四,ok\n';
    const { rows } = streamed(text, [14, 3, 5]);
    expect(rows).toEqual([
      { line: 2, cells: ['张三', 'line one\nline two\nline three'] },
      { line: 3, cells: ['李四', 'ok'] },
    ]);
  });

  it('refuses a quote never closed, as reading it whole does', () => {
    expect(() => streamed('Name,Notes\n张三,"open\nmore\n', [8])).toThrow(/never closed/);
  });
});
