// Live duplicate lookup for the capture form: finds leads and contacts that look like the
// person being typed. The full-text index (already kept in step with every write) narrows
// the candidates — the national phone number, the compact email, the name and company
// words — and domain/dedupe.ts decides which really match, and why.
import { sql } from 'kysely';
import type { ReadonlyKysely } from 'kysely/readonly';
import type { DuplicateMatch } from '../contract/index.js';
import {
  duplicateReasons,
  nameKey,
  normalizeEmail,
  personKeys,
  phoneKey,
  similarNameKeys,
  similarNameKeysOf,
  type DuplicateDraft,
  type DuplicateReason,
} from '../domain/dedupe.js';
import { toFtsQuery } from '../domain/searchText.js';
import type { Reader } from '../store/readQuery.js';
import { readTeamSettings } from './settings.js';

type AnyDb = Record<string, Record<string, unknown>>;
/** Candidates share whole words with the draft: keys decide, prefixes would only add
 * (costly) noise. */
const WHOLE_WORDS = { prefix: false };
const CANDIDATES = 50;

/** Full-text terms for a person's email (compact) and phones (national number): what
 * finds the same person whatever way the address or number was typed. */
export function identityTerms(
  draft: Pick<DuplicateDraft, 'email' | 'phone' | 'mobile'>,
  region: string,
): string[] {
  const parts: string[] = [];
  const email = normalizeEmail(draft.email);
  if (email) parts.push(`body : "${email.replace(/[^\p{L}\p{N}]/gu, '')}"`);
  for (const p of [draft.phone, draft.mobile]) {
    const key = phoneKey(p, region);
    if (key) parts.push(`body : "${key.national}"`);
  }
  return parts;
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
    const company = toFtsQuery(draft.company, WHOLE_WORDS);
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

export function findDuplicates(
  r: Reader,
  draft: DuplicateDraft & { exclude_id?: string },
  limit = 10,
): DuplicateMatch[] {
  const region = readTeamSettings(r).phoneRegion;
  const match = candidateQuery(draft, region);
  if (!match) return [];
  const fromFts = (table: string) => fullTextCandidates(r, table, match);
  const leads = r.all(
    fromFts('leads').select([
      'leads.id',
      'leads.name',
      'leads.company',
      'leads.email',
      'leads.phone',
      'leads.mobile',
    ]),
  ) as (DuplicateDraft & { id: string })[];
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
  for (const [entity, rows] of [
    ['leads', leads],
    ['contacts', contacts],
  ] as const) {
    for (const row of rows) {
      if (row.id === draft.exclude_id) continue;
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

const BATCH = 200;
const BATCH_CANDIDATES = 20_000;

/** The existing lead each draft duplicates, if any — for imports. One full-text query per
 * 200 drafts finds every candidate, whose keys are computed once; each draft is then
 * matched by its own keys. Same evidence as `findDuplicates`, ~10× fewer queries. */
export function findLeadDuplicatesBatch(
  r: Reader,
  drafts: readonly DuplicateDraft[],
): ({ id: string; name: string; reasons: DuplicateReason[] } | undefined)[] {
  const region = readTeamSettings(r).phoneRegion;
  const qb = r.qb as unknown as ReadonlyKysely<AnyDb>;
  const out: ({ id: string; name: string; reasons: DuplicateReason[] } | undefined)[] = [];
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
            .select([
              'leads.id',
              'leads.name',
              'leads.company',
              'leads.email',
              'leads.phone',
              'leads.mobile',
              'leads.created_at',
            ])
            .orderBy('leads.created_at')
            .limit(BATCH_CANDIDATES),
        ) as (DuplicateDraft & { id: string; name: string })[])
      : [];
    // Each key → the oldest candidate holding it.
    const byKey = new Map<string, DuplicateDraft & { id: string; name: string }>();
    const put = (
      key: string | null | undefined,
      c: DuplicateDraft & { id: string; name: string },
    ) => {
      if (key && !byKey.has(key)) byKey.set(key, c);
    };
    for (const c of candidates)
      for (const k of [...personKeys(c, region), ...similarNameKeysOf(c)]) put(k, c);
    for (const d of chunk) {
      const name = nameKey(d.name);
      const hit =
        personKeys(d, region)
          .map((k) => byKey.get(k))
          .find((c) => c !== undefined) ??
        similarNameKeysOf(d)
          .map((k) => byKey.get(k))
          .find((c) => c !== undefined && similarNameKeys(name, nameKey(c.name)));
      out.push(
        hit ? { id: hit.id, name: hit.name, reasons: duplicateReasons(d, hit, region) } : undefined,
      );
    }
  }
  return out;
}
