// Reading one cell of an export for what it means, never refusing it: the words other
// programs write for "empty" (HubSpot's `null`, Excel's `#N/A`, 无), phone cells holding
// several numbers ("702-544-7834 / 818-257-2525", "138… 或 139…"), extensions, `tel:` URIs,
// pause/wait dialling, SIP addresses, email cells with several addresses, and dates in the
// ways people type them. What cannot be read is handed back as it was typed, so the
// importer can keep it (in the notes) and say so.
import { PHONE_TEXT } from '../contract/fields.js';

/** Cells that mean "no value". Compared after NFKC, trim and lower case. */
const EMPTY_MARKERS = new Set([
  'null',
  'nil',
  'none',
  'undefined',
  '#n/a',
  'n/a',
  'n.a.',
  '#null!',
  '#value!',
  '#ref!',
  '#name?',
  '#div/0!',
  '-',
  '--',
  '---',
  '—',
  '(blank)',
  '(empty)',
  '(none)',
  '无',
  '空',
  '不详',
  '暂无',
  '(空)',
  '(无)',
]);
/** In a BANT column "none" is an answer (no budget, no need), not an empty cell. */
const MEANINGFUL_IN_LEVELS = new Set(['none', '无']);
const LEVEL_FIELDS = new Set(['budget', 'authority', 'need', 'timeline']);

export interface CellReading {
  /** The cell's value, '' when empty. */
  value: string;
  /** The marker the cell held when it stood for "empty" (`null`, `#N/A` …). */
  marker?: string;
}

/** A raw cell → its value, with empty markers and whitespace-only cells read as empty. */
export function readCell(raw: string, target?: string | null): CellReading {
  const value = raw.trim();
  if (!value) return { value: '' };
  if (value.length > 12) return { value };
  const key = value.normalize('NFKC').toLowerCase();
  if (!EMPTY_MARKERS.has(key)) return { value };
  if (target && LEVEL_FIELDS.has(target) && MEANINGFUL_IN_LEVELS.has(key)) return { value };
  return { value: '', marker: value };
}

export interface PhoneCellReading {
  /** Phone numbers in the form the phone fields take ("+1 201-555-0123 x12"). */
  numbers: string[];
  /** SIP addresses and other dialable addresses, kept as written. */
  addresses: string[];
  /** Email addresses typed into a phone column. */
  emails: string[];
  /** Parts that are none of these ("on facebook"), as typed. */
  unreadable: string[];
}

/** A JSON list in a cell (Leadbook's own export of other phones and emails) → one value
 * per line; any other cell as it is. */
function listCell(cell: string): string {
  if (!cell.startsWith('[')) return cell;
  try {
    const parsed: unknown = JSON.parse(cell);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string'))
      return parsed.join('\n');
  } catch {
    // Not JSON: read as typed.
  }
  return cell;
}

const digitCount = (s: string) => (s.match(/\d/g) ?? []).length;
/** Enough digits to be a number of its own rather than an extension or a fragment. */
const FULL_NUMBER = 6;

/** Between numbers: line breaks, `、` `|`, and the words "or"/"and" in the languages the
 * users' files are in. */
const CHUNK_SEPARATORS = /\r?\n|、|\||\s+(?:or|and|oder|und|ou)\s+|\s*[或及和]\s*/i;

/** Every number in a phone cell. `/`, `,` and `;` separate two numbers only when both
 * sides are whole numbers: "0711/123456" is one number, "5551234,,22" one number dialled
 * through to extension 22, "702-544-7834 / 818-257-2525" two. */
export function readPhoneCell(text: string): PhoneCellReading {
  const out: PhoneCellReading = { numbers: [], addresses: [], emails: [], unreadable: [] };
  const cell = listCell(text.normalize('NFKC').trim());
  for (const chunk of cell.split(CHUNK_SEPARATORS)) {
    for (const token of splitNumbers(chunk.trim())) {
      const read = readPhoneToken(token);
      if (!read) continue;
      out[read.kind].push(read.value);
    }
  }
  out.numbers = [...new Set(out.numbers)];
  return out;
}

function splitNumbers(chunk: string): string[] {
  if (!chunk) return [];
  // A URI keeps its own `;` parameters (tel:+1-201-555-0123;ext=12).
  if (/^(tel|sips?):(?!\s)/i.test(chunk)) return chunk.split(/\s*,\s*|\s+/).filter(Boolean);
  const parts = chunk.split(/([/,;])/);
  const tokens: string[] = [];
  let current = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const sep = parts[i]!;
    const next = parts[i + 1] ?? '';
    const pause = sep !== '/' && /^\s*[\d#*]{0,6}\s*$/.test(next) && digitCount(current) > 0;
    if (pause) current += sep + next;
    else if (digitCount(current) >= FULL_NUMBER && digitCount(next) >= FULL_NUMBER) {
      tokens.push(current);
      current = next;
    } else if (sep !== '/' && !/\d/.test(next)) {
      tokens.push(current);
      current = next;
    } else current += sep + next;
  }
  tokens.push(current);
  // Numbers separated by spaces alone, each a whole number ("13800138000 13900139000").
  return tokens.flatMap((t) => {
    const words = t.trim().split(/\s+/);
    return words.length > 1 &&
      words.every((w) => /^\+?\d[\d\-.()]*$/.test(w) && digitCount(w) >= 10)
      ? words
      : [t];
  });
}

const LABEL =
  /^(?:tel|phone|mobile|mob|cell|fax|office|work|home|main|[tmfoh]|手机|电话|座机|办公|家庭|传真|分机)\s*[:：.]\s*/i;
const TRAILING_NOTE = /\s*[([（][^)\]）]*[^\d\s)\]）][^)\]）]*[)\]）]\s*$/;
const EXTENSION = /[-\s]*(?:ext\.?|extension|x|#|转|分机)\s*(\d{1,8})$/i;
const PAUSE = /^(.*?\d)\s*[,;pw]+\s*([\d#*]{1,12})$/i;
const MAIN = /^\+?[\d\s().\-/]*\d[\d\s().\-/]*$/;

type TokenReading = { kind: keyof PhoneCellReading; value: string } | null;

function readPhoneToken(raw: string): TokenReading {
  let t = raw.trim();
  if (!t) return null;
  if (/^sips?:/i.test(t)) return { kind: 'addresses', value: t };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)) return { kind: 'emails', value: t.toLowerCase() };
  let ext: string | undefined;
  if (/^tel:(?!\s)/i.test(t)) {
    const [number = '', ...params] = t.slice(4).split(';');
    t = number;
    for (const p of params) {
      const [k, v = ''] = p.split('=');
      if (k?.toLowerCase() === 'ext' && /^\d{1,8}$/.test(v)) ext = v;
    }
  }
  t = t.replace(LABEL, '').replace(TRAILING_NOTE, '').trim();
  const extMatch = EXTENSION.exec(t);
  if (extMatch && !ext && MAIN.test(t.slice(0, extMatch.index))) {
    ext = extMatch[1];
    t = t.slice(0, extMatch.index);
  }
  const pause = ext ? null : PAUSE.exec(t);
  if (pause && MAIN.test(pause[1]!)) {
    t = pause[1]!;
    ext = pause[2]!.replace(/[^\d]/g, '') || undefined;
  }
  t = t.trim();
  const number = ext ? `${t} x${ext}` : t;
  if (MAIN.test(t) && digitCount(t) <= 20 && PHONE_TEXT.test(number))
    return { kind: 'numbers', value: number };
  return { kind: 'unreadable', value: raw.trim() };
}

const WHOLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_IN_TEXT =
  /[^\s<>,;:"'()（）[\]、|/]+@[^\s<>,;:"'()（）[\]、|/]+\.[^\s<>,;:"'()（）[\]、|/]+/g;

/** Every address in an email cell ("a@x.com; b@y.com", "John <j@x.com>", "mailto:…"). */
export function readEmailCell(text: string): { emails: string[]; unreadable: string[] } {
  const emails: string[] = [];
  const unreadable: string[] = [];
  for (const raw of listCell(text.normalize('NFKC').trim()).split(/\r?\n/)) {
    const line = raw.trim().replace(/^mailto:/i, '');
    if (!line) continue;
    // One address as the lead's email field takes it is kept exactly.
    if (WHOLE_EMAIL.test(line)) {
      emails.push(line.toLowerCase());
      continue;
    }
    const found = [...line.matchAll(EMAIL_IN_TEXT)].map((m) =>
      m[0]
        .replace(/^mailto:/i, '')
        .replace(/[.]+$/, '')
        .toLowerCase(),
    );
    if (found.length) emails.push(...found);
    else unreadable.push(line);
  }
  return { emails: [...new Set(emails)], unreadable };
}

const pad = (n: number) => String(n).padStart(2, '0');
function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null; // 31 February
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A date as people and programs write it → YYYY-MM-DD; null when it is not one.
 * 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 5.3.2024 (day first), 3/5/2024 (month
 * first, as US exports write it, unless the first number cannot be a month), and ISO
 * date-times (the date part). */
export function readDate(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s].*)?$/.exec(t);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) return isoDate(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(t);
  if (m) {
    const [a, b] = [+m[1]!, +m[2]!];
    return a > 12 ? isoDate(+m[3]!, b, a) : isoDate(+m[3]!, a, b);
  }
  return null;
}
