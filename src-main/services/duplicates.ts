// Live duplicate lookup for the capture form: finds leads and contacts that look like the
// person being typed. The full-text index (already kept in step with every write) narrows
// the candidates — the national phone number, the compact email, the name and company
// words — and domain/dedupe.ts decides which really match, and why.
import { sql } from 'kysely';
import type { ReadonlyKysely } from 'kysely/readonly';
import type { DuplicateMatch } from '../contract/index.js';
import {
  duplicateReasons,
  emailsOf,
  nameKey,
  phoneTextsOf,
  personKeys,
  phoneKey,
  similarNameKeys,
  similarNameKeysOf,
  type DuplicateDraft,
} from '../domain/dedupe.js';
import { companyFtsQuery, toFtsQuery } from '../domain/searchText.js';
import type { Reader } from '../store/readQuery.js';
import { readTeamSettings } from './settings.js';

type AnyDb = Record<string, Record<string, unknown>>;
/** Candidates share whole words with the draft: keys decide, prefixes would only add
 * (costly) noise. */
const WHOLE_WORDS = { prefix: false };
const CANDIDATES = 50;

/** Full-text terms for a person's email (compact) and phones (national number): what
 * finds the same person whatever way the address or number was typed. */
export function identityTerms(draft: DuplicateDraft, region: string): string[] {
  const parts: string[] = [];
  for (const email of emailsOf(draft))
    parts.push(`body : "${email.replace(/[^\p{L}\p{N}]/gu, '')}"`);
  for (const p of phoneTextsOf(draft)) {
    const key = phoneKey(p, region);
    if (key) parts.push(`body : "${key.national}"`);
  }
  return [...new Set(parts)];
}

/** Live rows of `table` whose search document matches `match` (a full-text query). */
export function fullTextCandidates(r: Reader, table: string, match: string, limit = CANDIDATES) {
  const qb = r.qb as unknown as ReadonlyKysely<AnyDb>;
  return qb
    .selectFrom(`search_${table}`)
    .crossJoin(table)
    .where(sql<boolean>`${sql.ref(`${table}.rowid`)} = ${sql.ref(`search_${table}.rowid`)}`)
    .where(sql<boolean>`${sql.table(`search_${table}`)} MATCH ${match}`)
    .where(`${table}.deleted_at`, 'is', null)
    .limit(limit);
}

function candidateQuery(draft: DuplicateDraft, region: string): string | null {
  const parts = identityTerms(draft, region);
  if (draft.name?.trim() && draft.company?.trim()) {
    // The same company and any one word of the name (for Chinese, any one character):
    // enough to find 张山 for 张三 or Jon for John, narrow enough to stay fast.
    const company = companyFtsQuery(draft.company);
    const nameWords = nameWordQueries(draft.name);
    if (company && nameWords.length) parts.push(`(${company}) AND (${nameWords.join(' OR ')})`);
  }
  return parts.length ? parts.map((p) => `(${p})`).join(' OR ') : null;
}

/** Words of a name as search terms, any of which may match: a Chinese name by its first
 * character (the family name: a typo in pinyin is nearly always in the given name, and
 * single common characters are costly terms), other names by each word. */
function nameWordQueries(name: string): string[] {
  const text = name.normalize('NFKC').trim();
  const han = /^\p{Script=Han}/u.exec(text);
  const words = han ? [han[0]] : (text.match(/[\p{L}\p{N}]{2,}/gu) ?? []).slice(0, 3);
  return words.map((w) => toFtsQuery(w, WHOLE_WORDS)).filter((q): q is string => q !== null);
}

export type DuplicateCandidate = DuplicateDraft & { id: string; name: string };

const candidateColumns = [
  'leads.id',
  'leads.name',
  'leads.company',
  'leads.email',
  'leads.phone',
  'leads.mobile',
  'leads.other_phones',
  'leads.other_emails',
  'leads.source_system',
  'leads.source_record_id',
  'leads.created_at',
] as const;

export function findDuplicates(
  r: Reader,
  draft: DuplicateDraft & { exclude_id?: string },
  limit = 10,
): DuplicateMatch[] {
  const region = readTeamSettings(r).phoneRegion;
  const match = candidateQuery(draft, region);
  if (!match) return [];
  const fromFts = (table: string) => fullTextCandidates(r, table, match);
  const leads = r.all(fromFts('leads').select([...candidateColumns])) as DuplicateCandidate[];
  const contacts = r.all(
    fromFts('contacts')
      .leftJoin('accounts', 'accounts.id', 'contacts.account_id')
      .select([
        'contacts.id',
        'contacts.name',
        'accounts.name as company',
        'contacts.email',
        'contacts.phone',
        'contacts.mobile',
      ]),
  ) as (DuplicateDraft & { id: string })[];
  const out: DuplicateMatch[] = [];
  // An open lead is not warned about the leads a person said are someone else.
  const apart = draft.exclude_id ? dismissedPartners(r, draft.exclude_id) : new Set<string>();
  for (const [entity, rows] of [
    ['leads', leads],
    ['contacts', contacts],
  ] as const) {
    for (const row of rows) {
      if (row.id === draft.exclude_id || apart.has(row.id)) continue;
      const reasons = duplicateReasons(draft, row, region);
      if (!reasons.length) continue;
      out.push({
        entity,
        id: row.id,
        name: row.name ?? '',
        company: row.company ?? null,
        email: row.email ?? null,
        phone: row.phone ?? row.mobile ?? null,
        reasons,
      });
    }
  }
  // Strongest evidence first: more reasons, then email/phone over name.
  return out.sort((a, b) => b.reasons.length - a.reasons.length).slice(0, limit);
}

/** The leads dismissed as "different people" from this one. */
function dismissedPartners(r: Reader, leadId: string): Set<string> {
  const rows = r.all(
    r.qb
      .selectFrom('duplicate_dismissals')
      .select(['lead_id', 'other_lead_id'])
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('lead_id', '=', leadId), eb('other_lead_id', '=', leadId)])),
  );
  return new Set(
    rows.map((d) => (d.lead_id === leadId ? d.other_lead_id : d.lead_id)).filter((x) => x !== null),
  );
}

const BATCH = 200;
const BATCH_CANDIDATES = 20_000;
/** Existing leads a draft is compared with: those sharing a key, oldest first. */
const PER_DRAFT = 5;

/** The existing leads each draft may duplicate — for imports, which then judge each pair
 * (same person, or only alike). One full-text query per 200 drafts finds every candidate
 * by email and phone, name and company; one indexed lookup finds those with the same
 * source record. Keys are computed once per candidate. */
export function findLeadDuplicatesBatch(
  r: Reader,
  drafts: readonly DuplicateDraft[],
): DuplicateCandidate[][] {
  const region = readTeamSettings(r).phoneRegion;
  const qb = r.qb as unknown as ReadonlyKysely<AnyDb>;
  const out: DuplicateCandidate[][] = [];
  for (let start = 0; start < drafts.length; start += BATCH) {
    const chunk = drafts.slice(start, start + BATCH);
    const parts = chunk.map((d) => candidateQuery(d, region)).filter((p) => p !== null);
    const candidates = parts.length
      ? (r.all(
          qb
            .selectFrom('search_leads')
            .crossJoin('leads')
            .where(sql<boolean>`${sql.ref('leads.rowid')} = ${sql.ref('search_leads.rowid')}`)
            .where(
              sql<boolean>`${sql.table('search_leads')} MATCH ${parts.map((p) => `(${p})`).join(' OR ')}`,
            )
            .where('leads.deleted_at', 'is', null)
            .select([...candidateColumns])
            .orderBy('leads.created_at')
            .limit(BATCH_CANDIDATES),
        ) as DuplicateCandidate[])
      : [];
    const sourceIds = [
      ...new Set(chunk.map((d) => d.source_record_id?.trim()).filter((x): x is string => !!x)),
    ];
    if (sourceIds.length)
      candidates.push(
        ...(r.all(
          qb
            .selectFrom('leads')
            .where('leads.source_record_id', 'in', sourceIds)
            .where('leads.deleted_at', 'is', null)
            .select([...candidateColumns])
            .orderBy('leads.created_at'),
        ) as DuplicateCandidate[]),
      );
    // Each key → the candidates holding it, oldest first.
    const byKey = new Map<string, DuplicateCandidate[]>();
    const put = (key: string, c: DuplicateCandidate) => {
      const list = byKey.get(key);
      if (!list) byKey.set(key, [c]);
      else if (list.length < PER_DRAFT && !list.includes(c)) list.push(c);
    };
    for (const c of candidates)
      for (const k of [...personKeys(c, region), ...similarNameKeysOf(c)]) put(k, c);
    for (const d of chunk) {
      const name = nameKey(d.name);
      const found = new Set<DuplicateCandidate>();
      for (const k of personKeys(d, region)) for (const c of byKey.get(k) ?? []) found.add(c);
      for (const k of similarNameKeysOf(d))
        for (const c of byKey.get(k) ?? [])
          if (similarNameKeys(name, nameKey(c.name))) found.add(c);
      out.push([...found].slice(0, PER_DRAFT));
    }
  }
  return out;
}
