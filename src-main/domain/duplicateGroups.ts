// Duplicates among leads already stored (found after a sync or a careless import): people
// who share an email, a phone (E.164) or a name with a company are grouped — transitively,
// so A~B and B~C make one group — and groups are ranked by how sure the evidence is.
import {
  companyKey,
  nameKey,
  normalizeEmail,
  phoneKey,
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
  email: 60,
  phone: 50,
  name_company: 35,
  similar_name: 20,
};

export function findDuplicateGroups(
  leads: readonly GroupCandidate[],
  region: string,
): DuplicateGroup[] {
  const parent = leads.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const reasonsOf = new Map<number, Set<DuplicateReason>>();
  const firstByKey = new Map<string, number>();
  const join = (key: string, i: number, reason: DuplicateReason) => {
    const j = firstByKey.get(key);
    if (j === undefined) return void firstByKey.set(key, i);
    joinPair(i, j, reason);
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
    const email = normalizeEmail(lead.email);
    if (email) join(`e:${email}`, i, 'email');
    for (const p of [lead.phone, lead.mobile]) {
      const key = phoneKey(p, region);
      if (key) join(`p:${key.e164}`, i, 'phone');
    }
    const n = nameKey(lead.name);
    const c = companyKey(lead.company);
    if (n && c) join(`n:${n}|${c}`, i, 'name_company');
    for (const key of similarNameKeysOf(lead)) {
      const j = firstByKey.get(key);
      if (j === undefined) firstByKey.set(key, i);
      else if (similarNameKeys(n, nameKey(leads[j]!.name))) joinPair(i, j, 'similar_name');
    }
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
