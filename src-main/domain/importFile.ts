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
