// Reading a spreadsheet export someone hands us: bytes → text → rows. Never assumes UTF-8
// (Excel in China saves GB18030, in Europe Windows-1252), sniffs the delimiter, and gives
// one clear error for files that cannot be a table — before anything is stored.
import chardet from 'chardet';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { parseVCards } from './contactText.js';

export const IMPORT_LIMITS = {
  /** Bigger files are refused: 100 000 leads of a CRM export are ~30 MB. */
  maxBytes: 64 * 1024 * 1024,
  maxColumns: 200,
  maxRows: 500_000,
  /** A file read in pieces from disk (importSource.ts) may be this big. */
  maxStreamedBytes: 2 * 1024 * 1024 * 1024,
  maxStreamedRows: 5_000_000,
} as const;

export type ImportFileErrorCode =
  | 'empty'
  | 'header_only'
  | 'binary'
  | 'too_large'
  | 'too_many_columns'
  | 'too_many_rows'
  | 'unterminated_quote';

export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface DecodedText {
  text: string;
  /** What the bytes were read as: utf-8, utf-16le, utf-16be, gb18030, windows-1252 … */
  encoding: string;
}

/** Bytes → text. A byte-order mark decides; else valid UTF-8 is UTF-8; else the detector's
 * best guess among the encodings spreadsheets really write. */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new ImportFileError('empty', 'the file is empty');
  if (bytes.length > IMPORT_LIMITS.maxBytes)
    throw new ImportFileError(
      'too_large',
      `the file is over ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB; split it`,
    );
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  // NUL bytes in text without a UTF-16 mark: an image, a zip (.xlsx) or a database.
  if (buf.subarray(0, 8192).includes(0))
    throw new ImportFileError(
      'binary',
      'the file is not text (a spreadsheet must be saved as CSV)',
    );
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: fall through to detection.
  }
  const guess = (chardet.detect(buf.subarray(0, 256 * 1024)) ?? '').toLowerCase();
  const encoding = /gb|big5|euc|shift_jis/.test(guess)
    ? guess === 'big5'
      ? 'big5'
      : 'gb18030'
    : 'windows-1252';
  return { text: iconv.decode(buf, encoding), encoding };
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter is read off the header line, outside quotes: headers are short words,
 * while data cells can hold any of the candidates many times over (notes, tag lists). */
export function sniffDelimiter(text: string): string {
  const headerLine = (text.match(/^[^\r\n]*/)?.[0] ?? '').replace(/"(?:[^"]|"")*"/g, '""');
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = headerLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

export interface ParsedTable {
  delimiter: string;
  header: string[];
  /** Data rows with their row number as a spreadsheet shows it (1 = the header). */
  rows: { line: number; cells: string[] }[];
}

/** Text → header + rows. Quoted fields with embedded newlines and quotes, CRLF or LF, and
 * `,` `;` tab `|` as delimiter (sniffed). Fully blank lines are skipped. */
export function parseTable(text: string): ParsedTable {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ImportFileError('empty', 'the file is empty');
  const result = Papa.parse<string[]>(body, { delimiter: sniffDelimiter(body) });
  const quoteError = result.errors.find((e) => e.code === 'MissingQuotes');
  if (quoteError) {
    throw new ImportFileError(
      'unterminated_quote',
      `a quoted field is never closed (row ${(quoteError.row ?? 0) + 1}): the file is cut short or malformed`,
    );
  }
  // Rows are numbered as a spreadsheet shows them (the header is row 1; a quoted cell
  // spanning lines is still one row); blank rows keep their number but are dropped.
  const numbered = result.data.map((cells, i) => ({ line: i + 1, cells }));
  const filled = numbered.filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  const [first, ...data] = filled;
  const header = first?.cells;
  if (!header) throw new ImportFileError('empty', 'the file is empty');
  if (header.length > IMPORT_LIMITS.maxColumns)
    throw new ImportFileError(
      'too_many_columns',
      `the file has ${header.length} columns; at most ${IMPORT_LIMITS.maxColumns} are read`,
    );
  if (data.length === 0)
    throw new ImportFileError('header_only', 'the file has a header but no rows');
  if (data.length > IMPORT_LIMITS.maxRows)
    throw new ImportFileError(
      'too_many_rows',
      `the file has ${data.length} rows; at most ${IMPORT_LIMITS.maxRows} at once`,
    );
  return { delimiter: result.meta.delimiter, header: header.map((h) => h.trim()), rows: data };
}

const VCARD_COLUMNS = [
  'name',
  'family_name',
  'given_name',
  'company',
  'title',
  'email',
  'phone',
  'mobile',
  'wechat',
  'website',
  'address',
  'other_phones',
  'other_emails',
  'notes',
] as const;

/** True for the text of a .vcf file (phone contacts, badge exports). */
export function isVCardText(text: string): boolean {
  return /^\uFEFF?\s*BEGIN:VCARD/i.test(text);
}

/** A .vcf file as a table whose columns are lead fields: card N is row N + 1, as if the
 * file had a header. Photos and other unknown properties are skipped. */
export function vCardTable(text: string): ParsedTable {
  const cards = parseVCards(text);
  if (cards.length === 0) throw new ImportFileError('empty', 'the file has no complete vCard');
  if (cards.length > IMPORT_LIMITS.maxRows)
    throw new ImportFileError(
      'too_many_rows',
      `the file has ${cards.length} cards; at most ${IMPORT_LIMITS.maxRows} at once`,
    );
  return {
    delimiter: 'vcard',
    header: [...VCARD_COLUMNS],
    rows: cards.map((card, i) => ({ line: i + 2, cells: VCARD_COLUMNS.map((c) => card[c] ?? '') })),
  };
}

/** Text that arrives in pieces (a file read a megabyte at a time) → the table's rows, as
 * parseTable would read the whole text: same rows, same numbers, same blank-row rule. A
 * piece is cut after its last line break and parsed; when that cut falls inside a quoted
 * cell (the parser reports the quote unclosed), the text waits for the next piece. So a
 * 1 000 000-row file is never held whole: only the rows of one piece are. */
export class CsvRowStream {
  private pending = '';
  private lines = 0;
  private delimiter: string | null = null;
  private newline: '\r\n' | '\n' | '\r' | null = null;
  private header: string[] | null = null;
  private dataRows = 0;

  constructor(
    private readonly limits: { maxRows: number; maxPendingChars: number } = {
      maxRows: Number.MAX_SAFE_INTEGER,
      maxPendingChars: 16 * 1024 * 1024,
    },
  ) {}

  /** Adds text; answers the complete rows it finished (the header is kept, not answered). */
  push(text: string): { line: number; cells: string[] }[] {
    this.pending += this.lines === 0 && this.pending === '' ? text.replace(/^\uFEFF/, '') : text;
    this.delimiter ??= this.pending.search(/[\r\n]/) >= 0 ? sniffDelimiter(this.pending) : null;
    // A piece ending in "\r" may be half of "\r\n": decided once the next character is in.
    const known = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    this.newline ??= /\r\n/.test(known)
      ? '\r\n'
      : /\n/.test(known)
        ? '\n'
        : /\r/.test(known)
          ? '\r'
          : null;
    if (!this.delimiter || !this.newline) return this.checkPending();
    const cut = this.pending.lastIndexOf(this.newline);
    if (cut < 0) return this.checkPending();
    const part = this.pending.slice(0, cut + this.newline.length);
    const result = Papa.parse<string[]>(part, {
      delimiter: this.delimiter,
      newline: this.newline,
    });
    if (result.errors.some((e) => e.code === 'MissingQuotes')) return this.checkPending();
    this.pending = this.pending.slice(cut + this.newline.length);
    // The text ends with a line break: the parser's last, empty row is not a row.
    const data = result.data.slice(0, -1);
    return this.take(data);
  }

  /** The file has ended: the rest of the text, and the checks parseTable makes. */
  end(): { line: number; cells: string[] }[] {
    const rest = this.pending;
    this.pending = '';
    let rows: { line: number; cells: string[] }[] = [];
    if (rest !== '') {
      const result = Papa.parse<string[]>(rest, {
        delimiter: this.delimiter ?? sniffDelimiter(rest),
        ...(this.newline ? { newline: this.newline } : {}),
      });
      const quoteError = result.errors.find((e) => e.code === 'MissingQuotes');
      if (quoteError)
        throw new ImportFileError(
          'unterminated_quote',
          `a quoted field is never closed (row ${this.lines + (quoteError.row ?? 0) + 1}): the file is cut short or malformed`,
        );
      rows = this.take(result.data);
    }
    if (!this.header) throw new ImportFileError('empty', 'the file is empty');
    if (this.dataRows === 0)
      throw new ImportFileError('header_only', 'the file has a header but no rows');
    return rows;
  }

  /** The header, once the first line has been read. */
  get columns(): { header: string[]; delimiter: string } | null {
    return this.header && this.delimiter
      ? { header: this.header, delimiter: this.delimiter }
      : null;
  }

  private take(data: string[][]): { line: number; cells: string[] }[] {
    const out: { line: number; cells: string[] }[] = [];
    for (const cells of data) {
      const line = ++this.lines;
      if (!cells.some((c) => c.trim() !== '')) continue;
      if (!this.header) {
        if (cells.length > IMPORT_LIMITS.maxColumns)
          throw new ImportFileError(
            'too_many_columns',
            `the file has ${cells.length} columns; at most ${IMPORT_LIMITS.maxColumns} are read`,
          );
        this.header = cells.map((h) => h.trim());
        continue;
      }
      if (++this.dataRows > this.limits.maxRows)
        throw new ImportFileError(
          'too_many_rows',
          `the file has more than ${this.limits.maxRows} rows; split it`,
        );
      out.push({ line, cells });
    }
    return out;
  }

  private checkPending(): [] {
    if (this.pending.length > this.limits.maxPendingChars)
      throw new ImportFileError(
        'unterminated_quote',
        `a quoted field is never closed (row ${this.lines + 1}): the file is cut short or malformed`,
      );
    return [];
  }
}
