// Duplicate keys (PRODUCT.md F2): the same person typed twice looks different — an email
// in capitals, a phone with or without +86 and dashes, 张三 vs "Zhang San", "华为技术有限公司"
// vs "华为技术". These functions reduce each to a comparable key; they are pure, so the
// capture form, imports and the merge screen all compare the same way.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { pinyin } from 'pinyin-pro';
import { parseList, type DuplicateReason } from '../contract/index.js';
import { memoize } from './memo.js';

export function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e && e.includes('@') ? e : null;
}

export interface PhoneKey {
  /** +8613800138000 */
  e164: string;
  /** 13800138000: what the search index holds for any way of writing it. */
  national: string;
}

/** The last ten digits of a number as written: enough to see that "+86 138-0013-8000"
 * and "13800138000" are one number when merging values, without parsing either. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '').slice(-10);
}

/** The number in E.164, read with `region` when it has no country code; null when it
 * is not a possible phone number. */
export function phoneKey(phone: string | null | undefined, region: string): PhoneKey | null {
  if (!phone || !/\d/.test(phone)) return null;
  return phoneKeyOf(`${region}|${phone}`);
}

// Parsing a number is the costliest step of checking a row; an import meets the same
// numbers again and again (validation, duplicate keys, the write rules).
// A file of 1 000 000 rows holds as many distinct numbers, so the memo alone does not
// help there: a Chinese mobile number written as its eleven digits (what booth scanners
// and most exports give) is read without the parser — ~30 µs saved per number, and the
// same answer (a property test compares the two on every such number).
const phoneKeyOf = memoize((regionAndPhone: string): PhoneKey | null => {
  const bar = regionAndPhone.indexOf('|');
  const region = regionAndPhone.slice(0, bar);
  const phone = regionAndPhone.slice(bar + 1);
  return region === 'CN' && CN_MOBILE.test(phone)
    ? Object.freeze({ e164: `+86${phone}`, national: phone })
    : parsedPhoneKey(phone, region);
});

// 179 is left to the parser: some of its numbers (179xx00…) are not possible numbers in
// its metadata. Every other 13x–19x number is, as the property test and a sweep of all
// 7 000 five-digit prefixes found.
const CN_MOBILE = /^1(?:[345689]\d|7[0-8])\d{8}$/;

/** The parser's reading of a number (exported for the test that checks the fast path). */
export function parsedPhoneKey(phone: string, region: string): PhoneKey | null {
  const parsed = parsePhoneNumberFromString(phone, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  return Object.freeze({ e164: parsed.number, national: parsed.nationalNumber });
}

const HAN = /\p{Script=Han}/u;

/** A person's name as comparable letters: Chinese by its pinyin, so 张三, "Zhang San" and
 * "zhangsan" are one key; Western names by their letters in order. */
export function nameKey(name: string | null | undefined): string | null {
  return name ? nameKeyOf(name) : null;
}

const nameKeyOf = memoize((name: string): string | null => {
  const text = name.normalize('NFKC').toLowerCase();
  const spelled = HAN.test(text)
    ? pinyin(text, { toneType: 'none', type: 'array', v: true }).join('')
    : text;
  const key = spelled.replace(/[^\p{L}\p{N}]/gu, '');
  return key || null;
});

/** Chinese legal forms: a suffix wherever they end the name. */
const HAN_COMPANY_SUFFIXES = ['股份有限公司', '有限责任公司', '有限公司', '集团', '公司'];

/** Latin legal forms, matched as whole words at the end (after a space, comma or dot), so
 * "Boag" keeps its "ag" and "Visa" its "sa". Dots and spaces inside are optional:
 * "Co., Ltd.", "co ltd", "S.r.l." and "srl" are one form each. */
const LATIN_COMPANY_SUFFIXES = [
  'co ltd',
  'co limited',
  'pty ltd',
  'gmbh co kg',
  'gmbh',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'llp',
  'plc',
  'ag',
  'kg',
  'se',
  'srl',
  'spa',
  'sas',
  'sarl',
  'sa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'kk',
  'co',
].map(
  (form) =>
    new RegExp(
      `[\\s,.&]+${form
        .split(' ')
        .map((w) => [...w].join('\\.?'))
        .join('[\\s,.&]*')}\\.?$`,
    ),
);

/** A company name without its legal form and punctuation: "华为技术有限公司" and
 * "华为技术" match, and so do "Acme, Inc.", "ACME" and "Acme Co., Ltd.". */
export function companyKey(company: string | null | undefined): string | null {
  const core = companyCore(company);
  const key = core?.replace(/[^\p{L}\p{N}]/gu, '');
  return key || null;
}

/** A company name without its legal form, words kept apart ("deutsche bank" for
 * "Deutsche Bank AG"): what to look an account up by. */
export function companyCore(company: string | null | undefined): string | null {
  if (!company) return null;
  let c = company.normalize('NFKC').toLowerCase().trim();
  c = c.replace(/[（(][^）)]*[）)]/g, ' ').trim(); // "(中国)", "(Shanghai)"
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of HAN_COMPANY_SUFFIXES) {
      if (c.endsWith(suffix) && c.length > suffix.length) {
        c = c.slice(0, -suffix.length).trim();
        changed = true;
      }
    }
    for (const form of LATIN_COMPANY_SUFFIXES) {
      const stripped = c.replace(form, '');
      if (stripped !== c && stripped.trim()) {
        c = stripped.trim();
        changed = true;
      }
    }
  }
  return c.trim() || null;
}

export type { DuplicateReason };

/** Names shorter than this (in letters of their key) are too short to call a one-letter
 * difference a typo: "li" and "lu" are different people. */
const SIMILAR_NAME_MIN = 5;

/** Edit distance with adjacent transpositions (optimal string alignment), capped at
 * `max + 1` and stopping early once it must exceed `max`: only "0, 1, or more" is ever
 * needed. */
export function nameDistance(a: string, b: string, max = 1): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[b.length]!, max + 1);
}

/** A name with digits ("Visitor 17", "客户1") is a label, not a person's name: labels one
 * digit apart are different records. */
const DIGIT = /\p{N}/u;

/** Two name keys one typo apart (a letter added, dropped, changed or two swapped), both
 * long enough for that to mean a typo rather than another person. */
export function similarNameKeys(a: string | null, b: string | null): boolean {
  if (!a || !b || a === b || DIGIT.test(a) || DIGIT.test(b)) return false;
  if (a.length < SIMILAR_NAME_MIN || b.length < SIMILAR_NAME_MIN) return false;
  return nameDistance(a, b, 1) <= 1;
}

/** Blocking keys for similar names at one company: the name key and each way of dropping
 * one letter from it. Two names one edit apart always share one of these (then
 * `similarNameKeys` confirms), so similar names are found by lookup, not by comparing
 * every pair. */
export function similarNameKeysOf(p: DuplicateDraft): string[] {
  const n = nameKey(p.name);
  const c = companyKey(p.company);
  if (!n || !c || n.length < SIMILAR_NAME_MIN || DIGIT.test(n)) return [];
  const out = new Set([`s:${c}|${n}`]);
  for (let i = 0; i < n.length; i++) out.add(`s:${c}|${n.slice(0, i)}${n.slice(i + 1)}`);
  return [...out];
}

export interface DuplicateDraft {
  name?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
  /** JSON lists, as stored. */
  other_phones?: string | null;
  other_emails?: string | null;
  source_system?: string | null;
  source_record_id?: string | null;
}

/** Every email of a record, normalised: the first and the others. */
export function emailsOf(p: DuplicateDraft): string[] {
  const all = [p.email, ...parseList(p.other_emails)].map(normalizeEmail);
  return [...new Set(all.filter((e): e is string => e !== null))];
}

/** Every phone of a record as written: phone, mobile and the others. */
export function phoneTextsOf(p: DuplicateDraft): string[] {
  return [p.phone, p.mobile, ...parseList(p.other_phones)].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
}

/** Every phone of a record in E.164 (those that are possible numbers). */
export function phonesOf(p: DuplicateDraft, region: string): string[] {
  const keys = phoneTextsOf(p)
    .map((t) => phoneKey(t, region)?.e164)
    .filter((k): k is string => k !== undefined);
  return [...new Set(keys)];
}

/** The key of the record in the system it came from, when it has one. */
export function sourceRecordKey(p: DuplicateDraft): string | null {
  const id = p.source_record_id?.trim();
  return id ? `${(p.source_system ?? '').trim().toLowerCase()}|${id}` : null;
}

/** Why `existing` looks like the same person as `draft` (empty when it does not). */
export function duplicateReasons(
  draft: DuplicateDraft,
  existing: DuplicateDraft,
  region: string,
): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  const source = sourceRecordKey(draft);
  if (source && source === sourceRecordKey(existing)) reasons.push('source_record');
  const theirEmails = emailsOf(existing);
  if (emailsOf(draft).some((e) => theirEmails.includes(e))) reasons.push('email');
  const theirPhones = phonesOf(existing, region);
  if (phonesOf(draft, region).some((p) => theirPhones.includes(p))) reasons.push('phone');
  const name = nameKey(draft.name);
  const company = companyKey(draft.company);
  if (name && company && company === companyKey(existing.company)) {
    const theirs = nameKey(existing.name);
    if (name === theirs) reasons.push('name_company');
    else if (similarNameKeys(name, theirs)) reasons.push('similar_name');
  }
  return reasons;
}

/** The keys under which two records are the same person, as `duplicateReasons` judges:
 * the source record, each email, each phone in E.164, the name with the company. Equal
 * keys ⇒ a reason. */
export function personKeys(p: DuplicateDraft, region: string): string[] {
  const keys: string[] = [];
  const source = sourceRecordKey(p);
  if (source) keys.push(`r:${source}`);
  for (const email of emailsOf(p)) keys.push(`e:${email}`);
  for (const phone of phonesOf(p, region)) keys.push(`p:${phone}`);
  const n = nameKey(p.name);
  const c = companyKey(p.company);
  if (n && c) keys.push(`n:${n}|${c}`);
  return keys;
}
