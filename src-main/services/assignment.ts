// Lead assignment (F3) against the database: the team's rules (synced rows of
// `assignment_rules`) and options (a synced setting), the state they need (active reps,
// open leads per rep, today's assignments, round-robin cursors), and the use cases that
// apply them — on capture, on import (the whole file balanced as one batch), and on
// demand to a selection. Each assigned lead records the rule that assigned it; the
// round-robin cursor is saved with its rule, so the turn survives a restart.
import {
  ApiError,
  assignmentConfigSchema,
  assignmentRuleSchema,
  type AssignmentConfig,
  type AssignmentRule,
  type AssignmentTrial,
  type ApiIssue,
  type LeadRow,
  type LeadStatus,
  type ReassignResult,
} from '../contract/index.js';
import type { z } from 'zod';
import {
  assignLead,
  conditionsHold,
  type AssignmentRuleDef,
  type AssignmentState,
} from '../domain/assignment.js';
import type { ScorableLead } from '../domain/leadFeatures.js';
import type { Reader } from '../store/readQuery.js';
import type { Store, WriteTx } from '../store/store.js';
import { attachCustomValues } from './customValues.js';
import { getRecord } from './recordRows.js';
import { computeScore, scoringContext, type ScoringContext } from './scoring.js';
import { readSettingJson, writeSetting } from './settings.js';

const OPTIONS_ID = 'assignment.options';
const OPEN_STATUSES: LeadStatus[] = ['new', 'contacted', 'qualified'];

type Options = Omit<AssignmentConfig, 'rules'>;
const defaultOptions: Options = { defaultOwnerId: null, onCapture: true, onImport: true };

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The rules in force and the options. A stored rule that no longer validates (written by
 * a newer version) is left out rather than applied half-understood. */
export function readAssignmentConfig(r: Reader): AssignmentConfig {
  return r.derived('assignmentConfig', ['assignment_rules', 'settings'], () => {
    const rows = r.all(
      r.qb
        .selectFrom('assignment_rules')
        .selectAll()
        .where('deleted_at', 'is', null)
        .orderBy('sort_order')
        .orderBy('id'),
    );
    const rules: AssignmentRule[] = [];
    for (const row of rows) {
      const parsed = assignmentRuleSchema.safeParse({
        id: row.id,
        name: row.name ?? '',
        enabled: row.enabled !== 0,
        conditions: parseJson(row.conditions) ?? [],
        strategy: row.strategy,
        userId: row.user_id,
        pool: parseJson(row.pool) ?? [],
        dailyCapacity: row.daily_capacity,
      });
      if (parsed.success) rules.push({ ...parsed.data, id: row.id });
    }
    const options = assignmentConfigSchema
      .omit({ rules: true })
      .safeParse(readSettingJson(r, OPTIONS_ID) ?? {});
    return { rules, ...(options.success ? options.data : defaultOptions) };
  });
}

/** Every rep a configuration names must be a live user: a typo'd id would silently send
 * leads nowhere. */
function assertReps(r: Reader, config: z.output<typeof assignmentConfigSchema>): void {
  const live = new Set(
    r.all(r.qb.selectFrom('users').select('id').where('deleted_at', 'is', null)).map((u) => u.id),
  );
  const issues: ApiIssue[] = [];
  const check = (id: string | null, path: string) => {
    if (id !== null && !live.has(id)) issues.push({ path, message: 'unknown user' });
  };
  config.rules.forEach((rule, i) => {
    if (rule.strategy === 'user') check(rule.userId, `rules.${i}.userId`);
    else rule.pool.forEach((u, j) => check(u, `rules.${i}.pool.${j}`));
  });
  check(config.defaultOwnerId, 'defaultOwnerId');
  if (issues.length)
    throw new ApiError('BAD_INPUT', 'the rules name a user who does not exist', issues);
}

/** Replaces the rules (in the order given) and the options, in one transaction. Rules
 * left out are deleted; a rule's round-robin turn restarts only when its pool changes. */
export function updateAssignmentConfig(
  store: Store,
  input: z.output<typeof assignmentConfigSchema>,
): AssignmentConfig {
  return store.write((tx) => updateAssignmentConfigIn(tx, input));
}

export function updateAssignmentConfigIn(
  tx: WriteTx,
  input: z.output<typeof assignmentConfigSchema>,
): AssignmentConfig {
  assertReps(tx, input);
  const existing = new Map(
    tx
      .all(tx.qb.selectFrom('assignment_rules').selectAll().where('deleted_at', 'is', null))
      .map((row) => [row.id, row]),
  );
  const kept = new Set<string>();
  input.rules.forEach((rule, i) => {
    const values = {
      name: rule.name,
      sort_order: i,
      enabled: rule.enabled ? 1 : 0,
      conditions: JSON.stringify(rule.conditions),
      strategy: rule.strategy,
      user_id: rule.strategy === 'user' ? rule.userId : null,
      pool: JSON.stringify(rule.strategy === 'user' ? [] : rule.pool),
      daily_capacity: rule.dailyCapacity,
    };
    const row = rule.id ? existing.get(rule.id) : undefined;
    if (!row) {
      tx.insert('assignment_rules', { ...values, rr_cursor: null });
      return;
    }
    kept.add(row.id);
    // Only what changed: an unchanged rule adds nothing to the change log.
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (row[k as keyof typeof row] !== v) patch[k] = v;
    if ('pool' in patch) patch.rr_cursor = null;
    if (Object.keys(patch).length) tx.update('assignment_rules', row.id, patch);
  });
  for (const id of existing.keys()) if (!kept.has(id)) tx.softDelete('assignment_rules', id);
  const { rules: _rules, ...options } = input;
  writeSetting(tx, OPTIONS_ID, JSON.stringify(options));
  return readAssignmentConfig(tx);
}

const asDef = (rule: AssignmentRule): AssignmentRuleDef => ({ ...rule });

/** The start of the local day `now` falls in: "per day" is the rep's day, not UTC's. */
function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

const countBy = (rows: { owner_id: string | null; n: number }[]) =>
  new Map(rows.filter((r) => r.owner_id !== null).map((r) => [r.owner_id!, Number(r.n)]));

/** What the rules need to know about the team right now. Counts are read only when a rule
 * needs them (least-loaded pools, daily capacities). */
export function assignmentState(
  r: Reader,
  rules: readonly AssignmentRule[],
  now: number,
): AssignmentState {
  const enabled = rules.filter((rule) => rule.enabled);
  const active = new Set(
    r
      .all(
        r.qb
          .selectFrom('users')
          .select('id')
          .where('deleted_at', 'is', null)
          .where((eb) => eb.or([eb('active', '=', 1), eb('active', 'is', null)])),
      )
      .map((u) => u.id),
  );
  const openLeads = enabled.some((rule) => rule.strategy === 'least_loaded')
    ? countBy(
        r.all(
          r.qb
            .selectFrom('leads')
            .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('deleted_at', 'is', null)
            .where('status', 'in', OPEN_STATUSES)
            .groupBy('owner_id'),
        ),
      )
    : new Map<string, number>();
  const assignedToday = enabled.some((rule) => rule.dailyCapacity !== null)
    ? countBy(
        r.all(
          r.qb
            .selectFrom('leads')
            .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('assigned_at', '>=', startOfDay(now))
            .groupBy('owner_id'),
        ),
      )
    : new Map<string, number>();
  const cursors = new Map<string, number>();
  const stored = r.all(
    r.qb
      .selectFrom('assignment_rules')
      .select(['id', 'rr_cursor'])
      .where('deleted_at', 'is', null)
      .where('rr_cursor', 'is not', null),
  );
  for (const row of stored) cursors.set(row.id, row.rr_cursor!);
  return { active, openLeads, assignedToday, cursors };
}

/** Saves the round-robin turns that moved, so the next lead (after a restart too) goes to
 * the next rep. */
function saveCursors(tx: WriteTx, before: Map<string, number>, state: AssignmentState): void {
  for (const [id, cursor] of state.cursors)
    if (before.get(id) !== cursor) tx.update('assignment_rules', id, { rr_cursor: cursor });
}

/** Whether any enabled rule looks at the score or grade: only then is a new lead scored
 * before it is assigned. */
const needsScore = (rules: readonly AssignmentRule[]) =>
  rules.some(
    (r) => r.enabled && r.conditions.some((c) => c.field === 'score' || c.field === 'grade'),
  );

/** A batch of new leads assigned in turn (an import, one capture): the state is read once,
 * balanced as the batch goes, and the cursors saved at the end. */
export class AssignmentBatch {
  private readonly rules: AssignmentRuleDef[];
  private readonly state: AssignmentState;
  private readonly cursorsBefore: Map<string, number>;
  private readonly scoring: ScoringContext | null;

  constructor(
    private readonly tx: WriteTx,
    private readonly config: AssignmentConfig,
  ) {
    this.rules = config.rules.map(asDef);
    this.state = assignmentState(tx, config.rules, tx.now);
    this.cursorsBefore = new Map(this.state.cursors);
    // The scoring context (configuration, model) is read once for the whole batch.
    this.scoring = needsScore(config.rules) ? scoringContext(tx, tx.now) : null;
  }

  /** Sets `owner_id`, `assigned_rule_id` and `assigned_at` on the values of a new lead
   * that has no owner yet. Answers whether someone was found. */
  assign(values: Record<string, unknown>): boolean {
    const lead: ScorableLead = this.scoring ? withScore(this.scoring, values) : values;
    const { ownerId, ruleId } = assignLead(
      lead,
      this.rules,
      this.state,
      this.config.defaultOwnerId,
    );
    if (ownerId === null) return false;
    values.owner_id = ownerId;
    values.assigned_rule_id = ruleId;
    values.assigned_at = this.tx.now;
    return true;
  }

  finish(): void {
    saveCursors(this.tx, this.cursorsBefore, this.state);
  }
}

function withScore(ctx: ScoringContext, values: Record<string, unknown>): ScorableLead {
  const s = computeScore(ctx, values, [], false);
  return { ...values, score: s.score, grade: s.grade };
}

/** The rules applied to a lead being captured without an owner; when no rule (and no
 * default owner) takes it, whoever uses this laptop keeps it. */
export function assignCapturedLeadIn(
  tx: WriteTx,
  values: Record<string, unknown>,
  deviceUser: string | null,
): void {
  if (values.owner_id !== undefined && values.owner_id !== null) return;
  const config = readAssignmentConfig(tx);
  if (config.onCapture && config.rules.length + (config.defaultOwnerId ? 1 : 0) > 0) {
    const batch = new AssignmentBatch(tx, config);
    const found = batch.assign(values);
    batch.finish();
    if (found) return;
  }
  if (deviceUser) {
    values.owner_id = deviceUser;
    values.assigned_at = tx.now;
  }
}

/** A lead's new owner by the rules ("reassign by rules"), as a patch services/leadBulk.ts
 * applies in the same transaction. */
export interface Reassignment {
  id: string;
  patch: { owner_id?: string; assigned_rule_id: string | null; assigned_at?: number };
}

/** Applies the rules again to chosen leads, in the caller's transaction: answers what to
 * change (the caller writes it) and saves the rules' round-robin turns. A lead the rules
 * give to nobody keeps its owner; converted and deleted leads are left. */
export function planReassignment(
  tx: WriteTx,
  ids: readonly string[],
): { changes: Reassignment[]; result: ReassignResult } {
  const config = readAssignmentConfig(tx);
  const rules = config.rules.map(asDef);
  const state = assignmentState(tx, config.rules, tx.now);
  const cursorsBefore = new Map(state.cursors);
  const result: ReassignResult = { changed: 0, unchanged: 0, skipped: 0 };
  const changes: Reassignment[] = [];
  for (const id of new Set(ids)) {
    const lead = getRecord(tx, 'leads', id) as LeadRow;
    // A condition may test a custom field.
    attachCustomValues(tx, [lead as unknown as ScorableLead]);
    if (lead.deleted_at !== null || lead.status === 'converted') {
      result.skipped++;
      continue;
    }
    // The lead leaves its owner's open leads while the rules decide: a least-loaded pool
    // then sees the load it would have without this lead.
    const current = lead.owner_id;
    const open = OPEN_STATUSES.includes(lead.status as LeadStatus);
    const bump = (map: Map<string, number>, user: string, by: number) =>
      map.set(user, (map.get(user) ?? 0) + by);
    if (current && open) bump(state.openLeads, current, -1);
    const { ownerId, ruleId } = assignLead(
      lead as unknown as ScorableLead,
      rules,
      state,
      config.defaultOwnerId,
    );
    // assignLead counted the lead as a new open lead of its owner, assigned today.
    if (ownerId !== null && !open) bump(state.openLeads, ownerId, -1);
    if (ownerId === null && current && open) bump(state.openLeads, current, 1);
    if (ownerId === null || ownerId === current) {
      if (ownerId !== null) bump(state.assignedToday, ownerId, -1);
      if (ownerId !== null && lead.assigned_rule_id !== ruleId)
        changes.push({ id, patch: { assigned_rule_id: ruleId } });
      result.unchanged++;
      continue;
    }
    changes.push({
      id,
      patch: { owner_id: ownerId, assigned_rule_id: ruleId, assigned_at: tx.now },
    });
    result.changed++;
  }
  saveCursors(tx, cursorsBefore, state);
  return { changes, result };
}

/** What the given rules would do with a sample lead, against the team as it is now —
 * without taking anyone's turn or writing anything. */
export function tryAssignment(
  r: Reader,
  input: z.output<typeof assignmentConfigSchema>,
  sample: Record<string, unknown>,
  now: number,
): AssignmentTrial {
  const rules = input.rules.map((rule, i) => ({ ...rule, id: rule.id ?? `new-${i}` }));
  const state = assignmentState(r, rules, now);
  const lead = needsScore(rules) ? withScore(scoringContext(r, now), sample) : sample;
  const matches = rules.map((rule) => rule.enabled && conditionsHold(lead, rule.conditions));
  const { ownerId, ruleId } = assignLead(lead, rules.map(asDef), state, input.defaultOwnerId);
  const index = ruleId === null ? null : rules.findIndex((rule) => rule.id === ruleId);
  return { ownerId, ruleIndex: index, matches };
}
