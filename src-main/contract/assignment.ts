// Lead assignment rules (F3): who gets a new lead. The rules are team-wide (synced rows of
// `assignment_rules`, one per rule, so two managers editing different rules both keep
// their edit); the options (default owner, when rules apply) are one synced setting.
import { z } from 'zod';
import {
  customFieldRef,
  ruleFields,
  ruleOperators,
  isRulePattern,
  type CustomFieldRef,
} from './scoring.js';

/** What a condition may test: every fit-rule field, and the lead's score and grade. */
export const assignmentFields = [...ruleFields, 'score', 'grade'] as const;
export type AssignmentField = (typeof assignmentFields)[number] | CustomFieldRef;

export const assignmentStrategies = ['user', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategy = (typeof assignmentStrategies)[number];

const ref = z.string().trim().min(1).max(60);

export const assignmentConditionSchema = z
  .strictObject({
    /** A lead field, its score or grade, or a custom field. */
    field: z.union([z.enum(assignmentFields), customFieldRef]),
    op: z.enum(ruleOperators),
    value: z
      .union([z.string().max(500), z.number(), z.array(z.string().max(200)).max(100)])
      .optional(),
  })
  .refine((c) => c.op !== 'matches' || isRulePattern(c.value), {
    message: 'is not a valid regular expression',
    path: ['value'],
  });
export type AssignmentConditionInput = z.infer<typeof assignmentConditionSchema>;

export const assignmentRuleSchema = z
  .strictObject({
    /** Absent for a rule added in this edit. */
    id: ref.optional(),
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    /** All must hold; none means every lead. */
    conditions: z.array(assignmentConditionSchema).max(20),
    strategy: z.enum(assignmentStrategies),
    userId: ref.nullable().default(null),
    pool: z.array(ref).max(100).default([]),
    /** Leads one rep may receive from this rule per day; null for no limit. */
    dailyCapacity: z.int().min(1).max(100_000).nullable().default(null),
  })
  .refine((r) => r.strategy !== 'user' || r.userId !== null, {
    message: 'choose the rep who gets these leads',
    path: ['userId'],
  })
  .refine((r) => r.strategy === 'user' || r.pool.length > 0, {
    message: 'a pool needs at least one rep',
    path: ['pool'],
  })
  .refine((r) => new Set(r.pool).size === r.pool.length, {
    message: 'a rep is listed twice',
    path: ['pool'],
  });
export type AssignmentRuleInput = z.input<typeof assignmentRuleSchema>;
export type AssignmentRule = z.output<typeof assignmentRuleSchema> & { id: string };

export const assignmentConfigSchema = z.strictObject({
  /** In order: the first that matches and has someone available wins. */
  rules: z.array(assignmentRuleSchema).max(100),
  /** Gets the leads no rule takes; null leaves them to whoever captured them. */
  defaultOwnerId: ref.nullable().default(null),
  /** Apply the rules to leads captured without an owner. */
  onCapture: z.boolean().default(true),
  /** Apply the rules to imported leads without an owner. */
  onImport: z.boolean().default(true),
});
export type AssignmentConfigInput = z.input<typeof assignmentConfigSchema>;
export interface AssignmentConfig {
  rules: AssignmentRule[];
  defaultOwnerId: string | null;
  onCapture: boolean;
  onImport: boolean;
}

/** What the rules would do with one lead (nothing is written). */
export interface AssignmentTrial {
  ownerId: string | null;
  /** Index of the rule that decided in the list tried; null for the default owner. */
  ruleIndex: number | null;
  /** Per rule, in order: whether its conditions hold for the lead. */
  matches: boolean[];
}

export interface ReassignResult {
  /** Leads whose owner changed. */
  changed: number;
  /** Leads the rules gave to the owner they already had. */
  unchanged: number;
  /** Converted or deleted leads, left alone. */
  skipped: number;
}
