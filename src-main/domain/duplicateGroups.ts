// Duplicates among leads already stored (found after a sync or a careless import): people
// who share an email, a phone (E.164) or a name with a company are grouped — transitively,
// so A~B and B~C make one group — and groups are ranked by how sure the evidence is.
import {
  nameKey,
  personKeys,
  similarNameKeys,
  similarNameKeysOf,
  type DuplicateDraft,
  type DuplicateReason,
} from './dedupe.js';

export interface GroupCandidate extends DuplicateDraft {
  id: string;
}

export interface DuplicateGroup {
  ids: string[];
  reasons: DuplicateReason[];
  /** 0–100: an email or phone shared is strong evidence, a name + company alone weaker. */
  confidence: number;
}

const weight: Record<DuplicateReason, number> = {
  source_record: 70,
  email: 60,
  phone: 50,
  name_company: 35,
  similar_name: 20,
};

/** The reason a key of `personKeys` stands for. */
const reasonOfKey: Record<string, DuplicateReason> = {
  r: 'source_record',
  e: 'email',
  p: 'phone',
  n: 'name_company',
};

/** How many earlier holders of one key are tried when the first was dismissed. */
const HOLDERS_PER_KEY = 8;

/** An unordered pair of lead ids as one key. */
export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function findDuplicateGroups(
  leads: readonly GroupCandidate[],
  region: string,
  /** Pairs a person said are different people (`pairKey`): never joined directly. */
  dismissed: ReadonlySet<string> = new Set(),
): DuplicateGroup[] {
  const parent = leads.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const reasonsOf = new Map<number, Set<DuplicateReason>>();
  const holders = new Map<string, number[]>();
  const apart = (i: number, j: number) =>
    dismissed.size > 0 && dismissed.has(pairKey(leads[i]!.id, leads[j]!.id));
  const join = (key: string, i: number, reason: DuplicateReason, accept = (_j: number) => true) => {
    const list = holders.get(key);
    if (!list) return void holders.set(key, [i]);
    const j = list.find((h) => !apart(i, h) && accept(h));
    if (j !== undefined) joinPair(i, j, reason);
    if (list.length < HOLDERS_PER_KEY) list.push(i);
  };
  const joinPair = (i: number, j: number, reason: DuplicateReason) => {
    const [a, b] = [find(i), find(j)];
    if (a !== b) parent[a] = b;
    const root = find(i);
    const set = reasonsOf.get(root) ?? new Set<DuplicateReason>();
    set.add(reason);
    for (const r of reasonsOf.get(a === root ? b : a) ?? []) set.add(r);
    reasonsOf.set(root, set);
  };
  leads.forEach((lead, i) => {
    for (const key of personKeys(lead, region)) join(key, i, reasonOfKey[key[0]!]!);
    const n = nameKey(lead.name);
    for (const key of similarNameKeysOf(lead))
      join(key, i, 'similar_name', (j) => similarNameKeys(n, nameKey(leads[j]!.name)));
  });
  const members = new Map<number, number[]>();
  leads.forEach((_, i) => {
    const root = find(i);
    members.set(root, [...(members.get(root) ?? []), i]);
  });
  const groups: DuplicateGroup[] = [];
  for (const [root, idx] of members) {
    if (idx.length < 2) continue;
    const reasons = [...(reasonsOf.get(root) ?? [])].sort((a, b) => weight[b] - weight[a]);
    const confidence = Math.min(
      100,
      reasons.reduce((sum, r) => sum + weight[r], 0),
    );
    groups.push({ ids: idx.map((i) => leads[i]!.id), reasons, confidence });
  }
  return groups.sort((a, b) => b.confidence - a.confidence || b.ids.length - a.ids.length);
}
