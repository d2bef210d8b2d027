// Reading a big import file from disk a piece at a time (issue 21): a 1 000 000-row CSV is
// ~100 MB of text, and holding it whole — bytes, text, rows, drafts — took a gigabyte.
// Here the encoding is decided from the file's first megabyte (as decodeBytes decides for
// a whole file), the text is decoded as it is read, and rows come out in batches; only one
// megabyte of the file and one batch of rows are in memory at a time.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { CsvRowStream, IMPORT_LIMITS, ImportFileError } from '../domain/importFile.js';
import { isZip } from '../domain/importXlsx.js';

/** How much of the file is read at a time, and decides the encoding. */
const PIECE_BYTES = 1024 * 1024;

export interface FileRow {
  line: number;
  cells: string[];
}

export interface RowBatch {
  rows: FileRow[];
  /** Bytes of the file read so far, and the rows they held (some not yet given out):
   * their ratio estimates the file's rows while the count is not known. */
  bytesRead: number;
  rowsRead: number;
}

export interface StreamedTable {
  encoding: string;
  delimiter: string;
  header: string[];
  /** The file's size in bytes. */
  bytes: number;
  /** The rows in file order, at most `batchRows` at a time; read once. */
  batches: AsyncGenerator<RowBatch>;
}

/** A streaming decoder for one encoding: `write` answers the text of the bytes given
 * (holding back a character cut between pieces), `end` the rest. */
interface TextPieces {
  write(bytes: Buffer): string;
  end(): string;
}

function decoderFor(encoding: string): TextPieces {
  if (encoding === 'utf-8') {
    const d = new TextDecoder('utf-8');
    return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder(encoding);
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}

/** The encoding of a file from its first piece, by decodeBytes' rules; and how many bytes
 * of byte-order mark to skip. */
export function sniffEncoding(sample: Buffer): { encoding: string; skip: number } {
  if (sample.length === 0) throw new ImportFileError('empty', 'the file is empty');
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    return { encoding: 'utf-8', skip: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (sample.subarray(0, 8192).includes(0))
    throw new ImportFileError(
      'binary',
      'the file is not text (a spreadsheet must be saved as CSV)',
    );
  try {
    // `stream`: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return { encoding: 'utf-8', skip: 0 };
  } catch {
    // Not UTF-8: detected below.
  }
  const guess = (chardet.detect(sample.subarray(0, 256 * 1024)) ?? '').toLowerCase();
  const encoding = /gb|big5|euc|shift_jis/.test(guess)
    ? guess === 'big5'
      ? 'big5'
      : 'gb18030'
    : 'windows-1252';
  return { encoding, skip: 0 };
}

/** Whether a file can be read in pieces: CSV or TSV text (a workbook is a zip that must be
 * read whole; a vCard file is read whole too). */
export async function isStreamableTable(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const sample = Buffer.alloc(64);
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    return looksLikeTable(sample.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The same, read without waiting (deciding how to start a worker). */
export function isStreamableTableSync(file: string): boolean {
  const fd = fsSync.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    return looksLikeTable(head.subarray(0, fsSync.readSync(fd, head, 0, head.length, 0)));
  } finally {
    fsSync.closeSync(fd);
  }
}

function looksLikeTable(head: Buffer): boolean {
  if (isZip(head)) return false;
  return !/^(\uFEFF)?\s*BEGIN:VCARD/i.test(head.toString('latin1').replace(/^\xEF\xBB\xBF/, ''));
}

/** Opens a CSV/TSV file for reading in batches of `batchRows` rows. The header is read
 * before this answers; a file that cannot be a table fails here, before anything is
 * stored. Later problems (a quote never closed at the very end) fail the batch that meets
 * them. */
export async function openCsvFile(
  file: string,
  options: { batchRows: number; maxRows?: number },
): Promise<StreamedTable> {
  const handle = await fs.open(file, 'r');
  let open = true;
  const close = async () => {
    if (open) {
      open = false;
      await handle.close();
    }
  };
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(PIECE_BYTES);
    let position = 0;
    const readPiece = async (): Promise<Buffer | null> => {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      position += bytesRead;
      return bytesRead ? buffer.subarray(0, bytesRead) : null;
    };
    const first = await readPiece();
    if (!first) throw new ImportFileError('empty', 'the file is empty');
    const { encoding, skip } = sniffEncoding(first);
    const decoder = decoderFor(encoding);
    const stream = new CsvRowStream({
      maxRows: options.maxRows ?? IMPORT_LIMITS.maxStreamedRows,
      maxPendingChars: 16 * 1024 * 1024,
    });
    // Rows read while looking for the header wait here for the first batch.
    let ready: FileRow[] = stream.push(decoder.write(Buffer.from(first.subarray(skip))));
    let rowsRead = ready.length;
    const take = (rows: FileRow[]) => {
      rowsRead += rows.length;
      // A loop, not a spread: a piece of very short rows holds hundreds of thousands.
      for (const row of rows) ready.push(row);
    };
    let ended = false;
    while (!stream.columns) {
      const piece = await readPiece();
      if (!piece) {
        take(stream.end());
        ended = true;
        break;
      }
      take(stream.push(decoder.write(piece)));
    }
    const columns = stream.columns;
    if (!columns) throw new ImportFileError('empty', 'the file is empty');

    async function* batches(): AsyncGenerator<RowBatch> {
      try {
        for (;;) {
          while (ready.length >= options.batchRows) {
            yield { rows: ready.slice(0, options.batchRows), bytesRead: position, rowsRead };
            ready = ready.slice(options.batchRows);
          }
          if (ended) break;
          const piece = await readPiece();
          if (piece) take(stream.push(decoder.write(piece)));
          else {
            take(stream.push(decoder.end()));
            take(stream.end());
            ended = true;
          }
        }
        if (ready.length) yield { rows: ready, bytesRead: position, rowsRead };
        ready = [];
      } finally {
        await close();
      }
    }
    return {
      encoding,
      delimiter: columns.delimiter,
      header: columns.header,
      bytes: size,
      batches: batches(),
    };
  } catch (err) {
    await close();
    throw err;
  }
}
