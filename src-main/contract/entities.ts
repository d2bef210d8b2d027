// One schema per entity. The keys of each `fields` object are exactly the entity's synced
// columns (besides id/created_at/updated_at/deleted_at); the store derives its column
// whitelist from them, so a column cannot be synced without being declared here.
import { z } from 'zod';
import {
  activityKinds,
  authorityLevels,
  budgetLevels,
  campaignKinds,
  forecastCategories,
  grades,
  leadSources,
  leadStatuses,
  needLevels,
  stageKinds,
  timelineLevels,
  userRoles,
  type Grade,
} from './enums.js';
import {
  idSchema,
  optCurrency,
  optDate,
  optEmail,
  optInstant,
  optJson,
  optList,
  optMoney,
  optPhone,
  optRef,
  optTags,
  optText,
  reqText,
} from './fields.js';

const optEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).nullable().optional();

export const leadFields = z.strictObject({
  name: reqText(200),
  family_name: optText(100),
  given_name: optText(100),
  company: optText(200),
  title: optText(200),
  email: optEmail,
  phone: optPhone,
  mobile: optPhone,
  wechat: optText(100),
  website: optText(300),
  industry: optText(100),
  country: optText(100),
  region: optText(100),
  city: optText(100),
  address: optText(500),
  source: optEnum(leadSources),
  campaign_id: optRef,
  status: z.enum(leadStatuses).optional(),
  owner_id: optRef,
  budget: optEnum(budgetLevels),
  authority: optEnum(authorityLevels),
  need: optEnum(needLevels),
  timeline: optEnum(timelineLevels),
  budget_amount: optMoney,
  currency: optCurrency,
  notes: optText(20_000),
  next_step: optText(500),
  next_step_date: optDate,
  disqualify_reason: optText(500),
  converted_at: optInstant,
  converted_opportunity_id: optRef,
  converted_account_id: optRef,
  converted_contact_id: optRef,
  tags: optTags,
  /** Set when this lead was merged into another (it is then deleted). */
  merged_into_id: optRef,
  /** The assignment rule that gave the lead its owner (null: chosen by hand or default). */
  assigned_rule_id: optRef,
  /** When the current owner was given the lead (daily capacities count these). */
  assigned_at: optInstant,
  /** Numbers and addresses beyond the first of each (a JSON list): shown, searched,
   * used to find duplicates, exported. */
  other_phones: optList(100),
  other_emails: optList(254),
  /** Where the lead came from in another system: which one ("salesforce", "hubspot", or
   * the file's name) and its id there. A re-import finds the lead by these. */
  source_system: optText(60),
  source_record_id: optText(100),
});

/** The types a custom field can have. */
export const customFieldTypes = ['text', 'number', 'date', 'boolean', 'choice'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** A custom field's key: what rules, views and files name it by (`cf.visits`). */
export const customFieldKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (a letter first)');

/** A field the team added to leads (team settings: managers and admins define them). */
export const customFieldFields = z.strictObject({
  key: customFieldKey,
  label: reqText(80),
  type: z.enum(customFieldTypes),
  /** The choices of a `choice` field (a JSON list). */
  options: optList(80, 200),
  position: z.int().min(0).max(10_000).nullable().optional(),
});

/** One lead's value of one custom field, as text in the field type's canonical form
 * (a number in decimal, a date YYYY-MM-DD, yes/no as 1/0). */
export const customValueFields = z.strictObject({
  lead_id: idSchema.nullable().optional(),
  field_id: idSchema.nullable().optional(),
  value: optText(2000),
});

/** Two leads a person said are different people: the duplicates page never pairs them
 * again (synced, so nobody on the team is asked twice). The row id is derived from the
 * pair, so two laptops dismissing it offline make one row. */
export const duplicateDismissalFields = z.strictObject({
  lead_id: idSchema.nullable().optional(),
  other_lead_id: idSchema.nullable().optional(),
  dismissed_by: optRef,
});

export const accountFields = z.strictObject({
  name: reqText(200),
  domain: optText(200),
  industry: optText(100),
  website: optText(300),
  phone: optPhone,
  country: optText(100),
  region: optText(100),
  city: optText(100),
  address: optText(500),
  owner_id: optRef,
  notes: optText(20_000),
});

export const contactFields = z.strictObject({
  name: reqText(200),
  family_name: optText(100),
  given_name: optText(100),
  account_id: optRef,
  title: optText(200),
  email: optEmail,
  phone: optPhone,
  mobile: optPhone,
  wechat: optText(100),
  owner_id: optRef,
  lead_id: optRef,
  notes: optText(20_000),
});

/** `stage_position` is "<stage id>:<fractional rank>": a card's column and its place in
 * the column are one field, so two concurrent moves can never mix one laptop's stage with
 * the other's position. The store exposes `stage_id` as a generated column for queries. */
export const stagePositionSchema = z
  .string()
  .regex(/^[0-9a-f-]{36}:[0-9A-Za-z]+$/, 'must be "<stage id>:<rank>"');

export const opportunityFields = z.strictObject({
  name: reqText(200),
  account_id: optRef,
  contact_id: optRef,
  lead_id: optRef,
  owner_id: optRef,
  stage_position: stagePositionSchema.optional(),
  amount: optMoney,
  currency: optCurrency,
  expected_close_date: optDate,
  probability_override: z.int().min(0).max(100).nullable().optional(),
  forecast_category: optEnum(forecastCategories),
  source: optEnum(leadSources),
  campaign_id: optRef,
  next_step: optText(500),
  next_step_date: optDate,
  lost_reason: optText(500),
  closed_at: optInstant,
  description: optText(20_000),
});

export const stageFields = z.strictObject({
  name_zh: reqText(60),
  name_en: reqText(60),
  sort_order: z.int().min(0).max(10_000),
  probability: z.int().min(0).max(100),
  kind: z.enum(stageKinds),
  stale_days: z.int().min(1).max(3650).nullable().optional(),
  active: z.boolean().optional(),
});

/** Stage history is append-only: each move is a row of its own so that moves made on
 * different laptops all survive a sync. */
export const stageHistoryFields = z.strictObject({
  opportunity_id: idSchema,
  from_stage_id: optRef,
  to_stage_id: idSchema,
  changed_at: z.int().min(0),
  user_id: optRef,
  amount: optMoney,
  currency: optCurrency,
});

export const activityFields = z.strictObject({
  kind: z.enum(activityKinds),
  subject: reqText(300),
  body: optText(20_000),
  lead_id: optRef,
  contact_id: optRef,
  account_id: optRef,
  opportunity_id: optRef,
  owner_id: optRef,
  occurred_at: optInstant,
  due_at: optInstant,
  done_at: optInstant,
  remind_at: optInstant,
  outcome: optText(500),
  duration_min: z.int().min(0).max(100_000).nullable().optional(),
});

export const campaignFields = z.strictObject({
  name: reqText(200),
  kind: z.enum(campaignKinds).optional(),
  location: optText(200),
  start_date: optDate,
  end_date: optDate,
  cost: optMoney,
  currency: optCurrency,
  owner_id: optRef,
  notes: optText(20_000),
});

export const userFields = z.strictObject({
  name: reqText(100),
  email: optEmail,
  role: z.enum(userRoles).optional(),
  active: z.boolean().optional(),
});

export const assignmentRuleFields = z.strictObject({
  name: reqText(200),
  sort_order: z.int().min(0).max(100_000),
  enabled: z.boolean().optional(),
  conditions: optJson,
  strategy: z.enum(['user', 'round_robin', 'least_loaded']),
  user_id: optRef,
  pool: optJson,
  rr_cursor: z.int().min(0).nullable().optional(),
  daily_capacity: z.int().min(1).max(100_000).nullable().optional(),
});

export const scoringRuleFields = z.strictObject({
  name: reqText(200),
  sort_order: z.int().min(0).max(100_000),
  enabled: z.boolean().optional(),
  kind: z.enum(['bant', 'fit', 'engagement']),
  field: optText(100),
  operator: optText(30),
  value: optJson,
  points: z.int().min(-1000).max(1000),
});

export const targetFields = z.strictObject({
  user_id: optRef,
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'must be YYYY-MM or YYYY-Qn'),
  amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: optCurrency,
});

export const savedViewFields = z.strictObject({
  name: reqText(100),
  entity: z.enum(['lead', 'opportunity', 'activity', 'contact', 'account']),
  owner_id: optRef,
  filters: optJson,
  sort: optJson,
  columns: optJson,
  shared: z.boolean().optional(),
});

/** Team-wide settings are a synced key/value table; device preferences live elsewhere. */
export const settingFields = z.strictObject({
  value: optJson,
});

/** Columns computed locally from synced inputs: stored for sorting, never synced. */
export const leadDerivedColumns = [
  'score',
  'grade',
  'score_breakdown',
  'predicted_probability',
  'scored_at',
] as const;
export const opportunityDerivedColumns = ['predicted_probability'] as const;

/** Every synced table, keyed by table name. */
export const syncedTables = {
  users: userFields,
  campaigns: campaignFields,
  accounts: accountFields,
  contacts: contactFields,
  leads: leadFields,
  stages: stageFields,
  opportunities: opportunityFields,
  stage_history: stageHistoryFields,
  activities: activityFields,
  assignment_rules: assignmentRuleFields,
  scoring_rules: scoringRuleFields,
  targets: targetFields,
  saved_views: savedViewFields,
  settings: settingFields,
  duplicate_dismissals: duplicateDismissalFields,
  custom_fields: customFieldFields,
  custom_values: customValueFields,
} as const;
export type SyncedTable = keyof typeof syncedTables;

/** Columns every synced row has besides its fields. */
export const systemColumns = ['created_at', 'updated_at', 'deleted_at'] as const;

type Nullable<T> = { [K in keyof T]-?: Exclude<T[K], undefined> | null };
type SystemRow = { id: string; created_at: number; updated_at: number; deleted_at: number | null };
type BoolAsInt<T> = { [K in keyof T]: T[K] extends boolean | null ? number | null : T[K] };
/** A stored row: every field nullable (a synced row can arrive field by field), booleans as
 * 0/1 integers, JSON documents as text. */
export type RowOf<S extends z.ZodType> = SystemRow & BoolAsInt<Nullable<z.output<S>>>;

export type LeadRow = RowOf<typeof leadFields> & {
  /** Custom values by field key — on rows a list answers (not stored on the row). */
  custom?: Record<string, string>;
  name: string;
  status: string;
  score: number | null;
  grade: Grade | null;
  score_breakdown: string | null;
  predicted_probability: number | null;
  scored_at: number | null;
};
export type AccountRow = RowOf<typeof accountFields> & { name: string };
export type ContactRow = RowOf<typeof contactFields> & { name: string };
export type OpportunityRow = RowOf<typeof opportunityFields> & {
  name: string;
  stage_id: string | null;
  predicted_probability: number | null;
};
export type StageRow = RowOf<typeof stageFields>;
export type StageHistoryRow = RowOf<typeof stageHistoryFields> & {
  /** When the deal left this stage (its next entry's time), kept by the database
   * (migration 0009); null for the stage it is in now. Derived, never synced. */
  left_at: number | null;
  /** How the deal ended ('won' / 'lost' while it is live, closed and in such a stage),
   * kept by the database too (migration 0009). Derived, never synced. */
  deal_outcome: 'won' | 'lost' | null;
};
export type ActivityRow = RowOf<typeof activityFields>;
export type CampaignRow = RowOf<typeof campaignFields>;
export type UserRow = RowOf<typeof userFields>;
export type AssignmentRuleRow = RowOf<typeof assignmentRuleFields>;
export type ScoringRuleRow = RowOf<typeof scoringRuleFields>;
export type TargetRow = RowOf<typeof targetFields>;
export type SavedViewRow = RowOf<typeof savedViewFields>;
export type SettingRow = RowOf<typeof settingFields>;
export type DuplicateDismissalRow = RowOf<typeof duplicateDismissalFields>;
export type CustomFieldRow = RowOf<typeof customFieldFields>;
export type CustomValueRow = RowOf<typeof customValueFields>;

export { grades };
