// Duplicate keys (PRODUCT.md F2): the same person typed twice looks different — an email
// in capitals, a phone with or without +86 and dashes, 张三 vs "Zhang San", "华为技术有限公司"
// vs "华为技术". These functions reduce each to a comparable key; they are pure, so the
// capture form, imports and the merge screen all compare the same way.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { pinyin } from 'pinyin-pro';

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

/** The number in E.164, read with `region` when it has no country code; null when it
 * is not a possible phone number. */
export function phoneKey(phone: string | null | undefined, region: string): PhoneKey | null {
  if (!phone || !/\d/.test(phone)) return null;
  const parsed = parsePhoneNumberFromString(phone, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  return { e164: parsed.number, national: parsed.nationalNumber };
}

const HAN = /\p{Script=Han}/u;

/** A person's name as comparable letters: Chinese by its pinyin, so 张三, "Zhang San" and
 * "zhangsan" are one key; Western names by their letters in order. */
export function nameKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const text = name.normalize('NFKC').toLowerCase();
  const spelled = HAN.test(text)
    ? pinyin(text, { toneType: 'none', type: 'array', v: true }).join('')
    : text;
  const key = spelled.replace(/[^\p{L}\p{N}]/gu, '');
  return key || null;
}

const COMPANY_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团',
  '公司',
  'co ltd',
  'co., ltd.',
  'co.,ltd.',
  'co. ltd.',
  'ltd.',
  'ltd',
  'limited',
  'inc.',
  'inc',
  'corp.',
  'corp',
  'corporation',
  'gmbh',
  'llc',
  'ag',
  'plc',
];

/** A company name without its legal form and punctuation: "华为技术有限公司" and
 * "华为技术" match, and so do "Acme, Inc." and "ACME". */
export function companyKey(company: string | null | undefined): string | null {
  if (!company) return null;
  let c = company.normalize('NFKC').toLowerCase().trim();
  c = c.replace(/[（(][^）)]*[）)]/g, ' ').trim(); // "(中国)", "(Shanghai)"
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of COMPANY_SUFFIXES) {
      if (c.endsWith(suffix) && c.length > suffix.length) {
        c = c.slice(0, -suffix.length).replace(/[\s,.]+$/, '');
        changed = true;
      }
    }
  }
  const key = c.replace(/[^\p{L}\p{N}]/gu, '');
  return key || null;
}

export type DuplicateReason = 'email' | 'phone' | 'name_company';

export interface DuplicateDraft {
  name?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
}

/** Why `existing` looks like the same person as `draft` (empty when it does not). */
export function duplicateReasons(
  draft: DuplicateDraft,
  existing: DuplicateDraft,
  region: string,
): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  const email = normalizeEmail(draft.email);
  if (email && email === normalizeEmail(existing.email)) reasons.push('email');
  const draftPhones = [draft.phone, draft.mobile]
    .map((p) => phoneKey(p, region)?.e164)
    .filter(Boolean);
  const theirPhones = [existing.phone, existing.mobile]
    .map((p) => phoneKey(p, region)?.e164)
    .filter(Boolean);
  if (draftPhones.some((p) => theirPhones.includes(p))) reasons.push('phone');
  const name = nameKey(draft.name);
  const company = companyKey(draft.company);
  if (
    name &&
    company &&
    name === nameKey(existing.name) &&
    company === companyKey(existing.company)
  ) {
    reasons.push('name_company');
  }
  return reasons;
}

/** The keys under which two records are the same person, as `duplicateReasons` judges:
 * the email, each phone in E.164, the name with the company. Equal keys ⇒ a reason. */
export function personKeys(p: DuplicateDraft, region: string): string[] {
  const keys: string[] = [];
  const email = normalizeEmail(p.email);
  if (email) keys.push(`e:${email}`);
  for (const phone of [p.phone, p.mobile]) {
    const k = phoneKey(phone, region);
    if (k) keys.push(`p:${k.e164}`);
  }
  const n = nameKey(p.name);
  const c = companyKey(p.company);
  if (n && c) keys.push(`n:${n}|${c}`);
  return keys;
}
