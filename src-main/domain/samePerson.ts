// Is this the same person, or only someone who looks alike? Merging two different people
// is silent data loss, so an import merges by itself only on a strong identifier (the
// same source record, email or phone) with nothing identifying that disagrees (another
// email, another person's name). Anything weaker — a name at a company, or a shared
// email with different names (a team inbox) — is a *possible* duplicate for a person to
// decide on the Duplicates page.
import {
  companyKey,
  duplicateReasons,
  emailsOf,
  nameKey,
  phonesOf,
  similarNameKeys,
  type DuplicateDraft,
  type DuplicateReason,
} from './dedupe.js';

/** What identifies a person, as compared between two records. */
export const identityFields = ['name', 'email', 'phone', 'company'] as const;
export type IdentityField = (typeof identityFields)[number];

export interface Likeness {
  /** `same`: merge without asking; `possible`: create, and ask. */
  kind: 'same' | 'possible';
  reasons: DuplicateReason[];
  /** Identifying fields both have and that disagree. */
  differs: IdentityField[];
}

const STRONG: readonly DuplicateReason[] = ['source_record', 'email', 'phone'];

const words = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,.]+/)
    .filter(Boolean);

/** A record's name is a person's name unless it is a stand-in the importer or a user put
 * there: the company, the email or a phone. */
function personName(p: DuplicateDraft): string | null {
  const name = p.name?.trim();
  if (!name) return null;
  const lower = name.toLowerCase();
  if (p.company && lower === p.company.trim().toLowerCase()) return null;
  if (lower.includes('@') || !/\p{L}/u.test(name)) return null;
  return name;
}

/** Two names that can be one person: the same letters (张三 / Zhang San), the same words
 * in another order (Li Wei / Wei Li), one typo apart, or initials ("J. Smith"). */
export function namesAgree(a: string, b: string): boolean {
  const [ka, kb] = [nameKey(a), nameKey(b)];
  if (!ka || !kb || ka === kb || similarNameKeys(ka, kb)) return true;
  const [wa, wb] = [words(a), words(b)];
  if ([...wa].sort().join(' ') === [...wb].sort().join(' ')) return true;
  if (wa.length !== wb.length || wa.length < 2) return false;
  return wa.every((w, i) => {
    const v = wb[i]!;
    return w === v || (w.length === 1 && v.startsWith(w)) || (v.length === 1 && w.startsWith(v));
  });
}

/** How `a` and `b` are alike; null when they are not. */
export function likeness(a: DuplicateDraft, b: DuplicateDraft, region: string): Likeness | null {
  const reasons = duplicateReasons(a, b, region);
  if (!reasons.length) return null;
  const differs: IdentityField[] = [];
  const [na, nb] = [personName(a), personName(b)];
  if (na && nb && !namesAgree(na, nb)) differs.push('name');
  const [ea, eb] = [emailsOf(a), emailsOf(b)];
  if (ea.length && eb.length && !ea.some((e) => eb.includes(e))) differs.push('email');
  const [pa, pb] = [phonesOf(a, region), phonesOf(b, region)];
  if (pa.length && pb.length && !pa.some((p) => pb.includes(p))) differs.push('phone');
  const [ca, cb] = [companyKey(a.company), companyKey(b.company)];
  if (ca && cb && ca !== cb) differs.push('company');
  // The same record of the same system is the same person even with a new email — unless
  // the names disagree: a spreadsheet's "No." column 1, 2, 3 … is no proof of anything.
  const same = reasons.includes('source_record')
    ? !differs.includes('name')
    : reasons.some((r) => STRONG.includes(r)) &&
      !differs.includes('name') &&
      !differs.includes('email');
  return { kind: same ? 'same' : 'possible', reasons, differs };
}
