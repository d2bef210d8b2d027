// Lead assignment rules (F3), pure: an ordered list of rules, each with conditions on the
// lead (the same fields and operators as scoring's fit rules) and a target — one rep, or a
// pool of reps taken in turn (round-robin) or by who has the fewest open leads
// (least-loaded), each with an optional daily capacity. The first rule that matches and
// has someone available wins; a default owner catches the rest. Inactive reps are never
// chosen. The state (counts, round-robin cursors) is passed in and updated, so a batch
// (an import) is balanced as it goes and the cursors can be stored for the next run.
import type { AssignmentField, AssignmentStrategy, RuleOperator } from '../contract/index.js';
import type { ScorableLead } from './leadFeatures.js';
import { ruleMatches } from './scoring.js';

export interface AssignmentCondition {
  field: AssignmentField;
  op: RuleOperator;
  value?: string | number | string[] | undefined;
}

export interface AssignmentRuleDef {
  id: string;
  name: string;
  enabled: boolean;
  /** All must hold; none means "every lead". */
  conditions: AssignmentCondition[];
  strategy: AssignmentStrategy;
  /** The rep, for `user`. */
  userId: string | null;
  /** The reps, in order, for the pool strategies. */
  pool: string[];
  /** Leads a rep of this pool may receive per day; null for no limit. */
  dailyCapacity: number | null;
}

export interface AssignmentState {
  active: ReadonlySet<string>;
  /** Open leads per rep (least-loaded), counted up as leads are assigned. */
  openLeads: Map<string, number>;
  /** Leads assigned today per rep (capacity), counted up as leads are assigned. */
  assignedToday: Map<string, number>;
  /** Per rule: the pool index of the rep who got the last lead. */
  cursors: Map<string, number>;
}

export interface Assignment {
  ownerId: string | null;
  /** The rule that decided; null when the default owner (or nobody) got the lead. */
  ruleId: string | null;
}

export function conditionsHold(lead: ScorableLead, conditions: readonly AssignmentCondition[]) {
  return conditions.every((c) => ruleMatches(c, lead));
}

function available(rule: AssignmentRuleDef, state: AssignmentState, user: string): boolean {
  if (!state.active.has(user)) return false;
  return rule.dailyCapacity === null || (state.assignedToday.get(user) ?? 0) < rule.dailyCapacity;
}

function pick(rule: AssignmentRuleDef, state: AssignmentState): string | null {
  switch (rule.strategy) {
    case 'user':
      return rule.userId && available(rule, state, rule.userId) ? rule.userId : null;
    case 'round_robin': {
      const n = rule.pool.length;
      const last = state.cursors.get(rule.id) ?? -1;
      for (let step = 1; step <= n; step++) {
        const i = (((last + step) % n) + n) % n;
        if (available(rule, state, rule.pool[i]!)) {
          state.cursors.set(rule.id, i);
          return rule.pool[i]!;
        }
      }
      return null;
    }
    case 'least_loaded': {
      let best: string | null = null;
      for (const user of rule.pool) {
        if (!available(rule, state, user)) continue;
        // Ties go to the rep listed first: the same answer on every device.
        if (best === null || (state.openLeads.get(user) ?? 0) < (state.openLeads.get(best) ?? 0))
          best = user;
      }
      return best;
    }
  }
}

/** The owner of one lead by the rules, and which rule decided. Updates `state`. */
export function assignLead(
  lead: ScorableLead,
  rules: readonly AssignmentRuleDef[],
  state: AssignmentState,
  defaultOwner: string | null,
): Assignment {
  for (const rule of rules) {
    if (!rule.enabled || !conditionsHold(lead, rule.conditions)) continue;
    const owner = pick(rule, state);
    if (owner === null) continue; // nobody available here: the next rule may have someone
    state.openLeads.set(owner, (state.openLeads.get(owner) ?? 0) + 1);
    state.assignedToday.set(owner, (state.assignedToday.get(owner) ?? 0) + 1);
    return { ownerId: owner, ruleId: rule.id };
  }
  const fallback = defaultOwner !== null && state.active.has(defaultOwner) ? defaultOwner : null;
  return { ownerId: fallback, ruleId: null };
}
