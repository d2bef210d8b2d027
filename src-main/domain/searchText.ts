// What the full-text index stores for a record, and how a typed query becomes an FTS5
// query. SQLite's unicode61 tokenizer treats a run of Chinese characters as one word, so
// Han text is split: overlapping two-character tokens in `body` (selective: "市" is in
// every company name, "市沐" is not), single characters in `han1` (for one-character
// searches), and pinyin in `pinyin` — syllables, joined spelling and initials — so "zs",
// "zhangsan" and "zhang" all find 张三.
import { parseList, parseTags } from '../contract/fields.js';
import { pinyin } from 'pinyin-pro';
import { companyCore } from './dedupe.js';
import { memoize } from './memo.js';

const HAN_RUN = /\p{Script=Han}+/gu;
/** A run of Chinese characters, or a run of other letters and digits: "3m中国" is "3m" and
 * "中国", as the index holds it (a letter class alone would take "3m中国" as one word
 * that no document has). */
const HAN_OR_WORD = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return [];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]!);
}

/** Latin words stay as they are; each Han run becomes its bigrams. */
function bodyText(text: string): string {
  return text.replace(HAN_RUN, (run) => ` ${bigrams(run).join(' ')} `);
}

function unigrams(text: string): string {
  return (text.match(HAN_RUN) ?? []).flatMap((run) => [...run]).join(' ');
}

function phoneVariants(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 3) return [];
  const out = [digits];
  // A trunk prefix ("010-…") is not part of the national number duplicate lookups use.
  if (digits.startsWith('0') && !phone.trim().startsWith('00')) out.push(digits.replace(/^0+/, ''));
  // "+86 138…" or "0086 138…": also index the national number so it can be typed
  // without its country code. Country codes are 1–3 digits.
  const international = /^\s*(\+|00)/.test(phone);
  const body = phone.trim().startsWith('00') ? digits.slice(2) : digits;
  if (international) for (let cc = 1; cc <= 3; cc++) out.push(body.slice(cc));
  return out;
}

interface RunPinyin {
  /** Forms of the whole run: syllables, joined spelling, initials. */
  whole: string[];
  /** Forms from a later syllable on (company-length runs only). */
  mid: string[];
}

const initialsOf = (syllables: string[]) => syllables.map((syl) => syl[0] ?? '').join('');

// Pinyin is the costly part of indexing a row; names and companies repeat (family names,
// one company for many leads), so spellings are memoised per run of Han characters.
const pinyinOfRun = memoize((run: string): RunPinyin => {
  // One call per run: pinyin-pro reads the run as words, so polyphones (重庆 chong qing,
  // 银行 yin hang) come out right; initials are the first letters of the syllables.
  const syllables = pinyin(run, { toneType: 'none', type: 'array', v: true });
  const whole = [syllables.join(' '), syllables.join('')];
  if (syllables.length > 1) whole.push(initialsOf(syllables));
  // Company-length runs (4+ characters) are also spelled from every later syllable on,
  // so typing from the middle works: 字节 in 北京字节跳动 is found by "zijie" and "zjtd".
  // Those go to a column of their own that only queries of 3+ letters search: "zs"
  // means 张三, not the 圳市 inside 深圳市腾讯. Person names (2–3 characters) get only
  // the whole-name forms.
  const mid: string[] = [];
  if (syllables.length >= 4) {
    for (let i = 1; i < syllables.length; i++) {
      const tail = syllables.slice(i);
      mid.push(tail.join(''));
      if (tail.length > 1) mid.push(initialsOf(tail));
    }
  }
  return { whole, mid };
});

function pinyinOf(text: string): RunPinyin[] {
  return (text.match(HAN_RUN) ?? []).map(pinyinOfRun);
}

/** Bumped whenever what goes into a search document changes: a database indexed by an
 * older version is re-indexed when it is opened. */
export const SEARCH_DOC_VERSION = 2;

/** Latin words shorter than this search only whole-name pinyin, not mid-name tails. */
const MID_NAME_MIN = 3;

export interface SearchDocInput {
  /** Names and companies: indexed with their pinyin. */
  names: (string | null | undefined)[];
  /** Other text: emails, titles, notes. */
  text: (string | null | undefined)[];
  phones: (string | null | undefined)[];
}

export interface SearchDoc {
  body: string;
  han1: string;
  pinyin: string;
  pinyin_mid: string;
}

/** "li.wei@acme.com.cn" also as "liweiacmecomcn" and "acmecomcn", so a typed address or
 * domain matches as one prefix instead of several short words. */
function compactAddresses(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[.@_+-][\p{L}\p{N}]+)+/gu)) {
    const whole = m[0].toLowerCase();
    out.push(compact(whole));
    const at = whole.indexOf('@');
    if (at > 0) out.push(compact(whole.slice(at + 1)));
  }
  return out;
}

const compact = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');

export function buildSearchDoc(input: SearchDocInput): SearchDoc {
  const names = input.names.filter((s): s is string => !!s);
  const text = input.text.filter((s): s is string => !!s);
  const phones = input.phones.filter((s): s is string => !!s).flatMap(phoneVariants);
  const all = [...names, ...text, ...phones, ...text.flatMap(compactAddresses)].join(' ');
  const spelled = names.flatMap(pinyinOf);
  return {
    body: bodyText(all),
    han1: unigrams(all),
    pinyin: spelled.flatMap((p) => p.whole).join(' '),
    pinyin_mid: spelled.flatMap((p) => p.mid).join(' '),
  };
}

/** Turns what a user typed into an FTS5 MATCH expression, or null when nothing searchable
 * is left. Every word must match (AND); Latin words and digits match as prefixes (in the
 * text or the pinyin); Chinese matches as a phrase of bigrams, or a single character.
 * User input never reaches FTS5 syntax: each token is quoted. Without `prefix` (duplicate
 * lookups, which want whole words) no term is a prefix: a prefix such as "0"* would
 * expand to every phone number in the index. */
export function toFtsQuery(
  input: string,
  { prefix = true }: { prefix?: boolean } = {},
): string | null {
  const parts: string[] = [];
  const words = input.normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  for (const word of words) {
    // An address or domain typed with its punctuation matches its compact form.
    if (/^[\p{L}\p{N}]+(?:[.@_+-][\p{L}\p{N}]*)+$/u.test(word) && !/\p{Script=Han}/u.test(word)) {
      parts.push(`body : "${compact(word)}"${prefix ? '*' : ''}`);
      continue;
    }
    for (const run of word.match(HAN_OR_WORD) ?? []) {
      if (/\p{Script=Han}/u.test(run)) {
        parts.push(
          [...run].length === 1 ? `han1 : "${run}"` : `body : "${bigrams(run).join(' ')}"`,
        );
      } else {
        // A lone letter as the whole query would be a prefix of half the index: it is
        // taken as a word of its own (an initial) instead.
        const lone = words.length === 1 && run.length === 1;
        const columns = run.length >= MID_NAME_MIN ? '{body pinyin pinyin_mid}' : '{body pinyin}';
        parts.push(`${columns} : "${run}"${lone || !prefix ? '' : '*'}`);
      }
    }
  }
  return parts.length ? parts.join(' AND ') : null;
}

/** Two-character words nearly every Chinese company name holds — legal forms and the
 * commonest trade words. In a full-text query each is a posting list of most of the
 * index: a phrase of them made a duplicate check of an import batch 20× slower at
 * 1 000 000 leads. They are left out of company lookups (the candidates found are then
 * judged by their company keys, which still compare the whole name). */
const GENERIC_COMPANY_WORDS = new Set([
  '有限',
  '限公',
  '公司',
  '股份',
  '份有',
  '责任',
  '任公',
  '集团',
  '科技',
  '技术',
  '贸易',
  '实业',
  '发展',
  '国际',
  '信息',
  '电子',
  '网络',
  '工程',
  '制造',
  '中国',
  '上海',
  '北京',
  '深圳',
  '广州',
  '杭州',
  '服务',
  '咨询',
  '管理',
  '控股',
]);

/** A company as a full-text query that finds every record naming the same company
 * (written with or without its legal form) while staying cheap: its distinctive words
 * AND-ed — Chinese text by the bigrams of what is left once generic words are taken out,
 * other words whole — or, when every word is generic, the whole name as a phrase. A
 * superset of the phrase's matches: callers compare company keys afterwards. */
export function companyFtsQuery(company: string): string | null {
  const text = (companyCore(company) ?? company).normalize('NFKC').toLowerCase();
  const terms = new Set<string>();
  for (const run of text.match(HAN_OR_WORD) ?? []) {
    if (!/\p{Script=Han}/u.test(run)) {
      const columns = run.length >= MID_NAME_MIN ? '{body pinyin pinyin_mid}' : '{body pinyin}';
      terms.add(`${columns} : "${run}"`);
      continue;
    }
    for (const part of distinctiveParts(run))
      if ([...part].length === 1) terms.add(`han1 : "${part}"`);
      else for (const gram of bigrams(part)) terms.add(`body : "${gram}"`);
  }
  return terms.size ? [...terms].join(' AND ') : toFtsQuery(text, { prefix: false });
}

/** A run of Chinese characters without its generic words (and without the bigrams that
 * straddle them, such as 技有 in 科技有限: as common as the words themselves). */
function distinctiveParts(run: string): string[] {
  const chars = [...run];
  const generic = chars.map(() => false);
  for (let i = 0; i + 1 < chars.length; i++)
    if (GENERIC_COMPANY_WORDS.has(chars[i]! + chars[i + 1]!)) generic[i] = generic[i + 1] = true;
  const parts: string[] = [];
  let part = '';
  chars.forEach((c, i) => {
    if (generic[i]) {
      if (part) parts.push(part);
      part = '';
    } else part += c;
  });
  if (part) parts.push(part);
  return parts;
}

export const searchableTables = ['leads', 'contacts', 'accounts', 'opportunities'] as const;
export type SearchableTable = (typeof searchableTables)[number];

export function isSearchableTable(table: string): table is SearchableTable {
  return (searchableTables as readonly string[]).includes(table);
}

type RowLike = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The columns searchDocInputFor reads, per table: a re-index reads only these (whole
 * rows were most of its cost). A unit test holds the two together. */
export const searchDocColumns: Record<SearchableTable, readonly string[]> = {
  leads: [
    'name',
    'company',
    'email',
    'title',
    'wechat',
    'city',
    'industry',
    'notes',
    'tags',
    'other_emails',
    'source_record_id',
    'phone',
    'mobile',
    'other_phones',
  ],
  contacts: ['name', 'email', 'title', 'wechat', 'notes', 'phone', 'mobile'],
  accounts: ['name', 'domain', 'website', 'city', 'industry', 'notes', 'phone'],
  opportunities: ['name', 'description', 'next_step'],
};

/** Which columns of a row go into its search document. */
export function searchDocInputFor(table: SearchableTable, row: RowLike): SearchDocInput {
  switch (table) {
    case 'leads':
      return {
        names: [s(row.name), s(row.company)],
        text: [
          s(row.email),
          s(row.title),
          s(row.wechat),
          s(row.city),
          s(row.industry),
          s(row.notes),
          ...parseTags(s(row.tags)),
          ...parseList(s(row.other_emails)),
          s(row.source_record_id),
        ],
        phones: [s(row.phone), s(row.mobile), ...parseList(s(row.other_phones))],
      };
    case 'contacts':
      return {
        names: [s(row.name)],
        text: [s(row.email), s(row.title), s(row.wechat), s(row.notes)],
        phones: [s(row.phone), s(row.mobile)],
      };
    case 'accounts':
      return {
        names: [s(row.name)],
        text: [s(row.domain), s(row.website), s(row.city), s(row.industry), s(row.notes)],
        phones: [s(row.phone)],
      };
    case 'opportunities':
      return { names: [s(row.name)], text: [s(row.description), s(row.next_step)], phones: [] };
  }
}

/** The title and subtitle a search hit shows. */
export function searchHitLabel(
  table: SearchableTable,
  row: RowLike,
): { title: string; subtitle: string | null } {
  const title = s(row.name) ?? '';
  switch (table) {
    case 'leads':
      return {
        title,
        subtitle: [s(row.company), s(row.email)].filter(Boolean).join(' · ') || null,
      };
    case 'contacts':
      return { title, subtitle: [s(row.title), s(row.email)].filter(Boolean).join(' · ') || null };
    case 'accounts':
      return {
        title,
        subtitle: [s(row.industry), s(row.city)].filter(Boolean).join(' · ') || null,
      };
    case 'opportunities':
      return { title, subtitle: s(row.next_step) };
  }
}
