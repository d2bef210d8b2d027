import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src-main/domain/csv.js';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\t=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+86 138')).toBe('"\t+86 138"');
    expect(csvCell('-2+3')).toBe('"\t-2+3"');
    expect(csvCell('@SUM(A1)')).toBe('"\t@SUM(A1)"');
    expect(csvCell('plain 张三')).toBe('plain 张三');
    expect(csvCell(-5)).toBe('-5');
  });

  it('quotes commas, quotes and newlines; writes a BOM and CRLF', () => {
    const text = toCsv(
      ['a', 'b'],
      [
        { a: 'x,y', b: 'say "hi"\nbye' },
        { a: null, b: 3 },
      ],
    );
    expect(text).toBe('\uFEFFa,b\r\n"x,y","say ""hi""\nbye"\r\n,3\r\n');
  });
});
