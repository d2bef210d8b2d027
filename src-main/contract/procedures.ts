// The API contract: procedure name → zod input → output type. Electron IPC, local HTTP and
// the in-process client all dispatch these same names to the same handlers.
import { z } from 'zod';
import {
  accountFields,
  activityFields,
  campaignFields,
  contactFields,
  customFieldKey,
  customFieldTypes,
  leadDerivedColumns,
  leadFields,
  opportunityDerivedColumns,
  opportunityFields,
  savedViewFields,
  stageFields,
  systemColumns,
  userFields,
  type AccountRow,
  type ActivityRow,
  type CampaignRow,
  type ContactRow,
  type CustomFieldType,
  type LeadRow,
  type OpportunityRow,
  type SavedViewRow,
  type StageHistoryRow,
  type StageRow,
  type SyncedTable,
  type TargetRow,
  type UserRow,
} from './entities.js';
import { locales } from './enums.js';
import {
  backupNameSchema,
  recoveryKeyInput,
  type BackupInfo,
  type BackupList,
  type BackupPreview,
  type WorkspaceStatus,
} from './workspace.js';
import { idSchema, MAX_INSTANT, reqText } from './fields.js';
import type { DuplicateReason } from './duplicates.js';
import { teamSettingsPatchSchema, type TeamSettings } from './settings.js';
import {
  scoringConfigSchema,
  type ModelReport,
  type RescoreState,
  type SearchIndexState,
  type ScoreBreakdown,
  type ScoringConfig,
} from './scoring.js';
import { convertInput, type ConversionCandidates, type ConversionResult } from './conversion.js';
import { customFieldRef } from './scoring.js';
import { syncConnectInput, type SyncOutcome, type SyncStatus } from './sync.js';
import {
  formKeyInput,
  hubStartInput,
  type FormKeyView,
  inviteRequestSchema,
  resolveConflictInput,
  type SyncConflict,
  type FileSyncStatus,
  type HubStatus,
  type SyncFileImport,
  type TeamDevice,
  type TeamInvite,
} from './team.js';
import { removeStageInput, stagesInputSchema } from './stages.js';
import {
  dashboardInput,
  type DashboardReport,
  forecastInput,
  listTargetsInput,
  reportInput,
  setTargetInput,
  type CycleReport,
  type ForecastReport,
  type FunnelReport,
  type RepActivityRow,
  type SourcesReport,
  type WinRatesReport,
} from './reports.js';
import { boardInput, moveInput, type BoardColumn, type StageTime } from './pipeline.js';
import {
  assignmentConfigSchema,
  type AssignmentConfig,
  type AssignmentTrial,
  type ReassignResult,
} from './assignment.js';
import {
  importInput,
  importJobInput,
  importUploadInput,
  type ImportBatchSummary,
  type ImportJobState,
  type ImportPreview,
  type ImportReport,
} from './imports.js';

export type ProcKind = 'query' | 'mutation';
export interface ProcDef<I extends z.ZodType, O> {
  readonly input: I;
  readonly kind: ProcKind;
  /** Phantom: carries the output type; never set at run time. */
  readonly output?: () => O;
}
const proc = <O>() => ({
  query: <I extends z.ZodType>(input: I): ProcDef<I, O> => ({ input, kind: 'query' }),
  mutation: <I extends z.ZodType>(input: I): ProcDef<I, O> => ({ input, kind: 'mutation' }),
});

const filterValue = z.union([z.string().max(200), z.number(), z.null()]);

/** What a CRUD entity exposes through the API. */
export interface CrudEntityDef<F extends z.ZodObject = z.ZodObject> {
  readonly table: SyncedTable;
  readonly fields: F;
  /** Columns `list` can filter on with a set of values. */
  readonly filters: readonly string[];
  /** Columns besides fields and system columns that a row carries (derived, generated). */
  readonly extraColumns: readonly string[];
  /** Whether the entity is in the full-text index. */
  readonly searchable: boolean;
  /** The activities column that links tasks to this entity, when `list` can filter on
   * "has an overdue task". */
  readonly taskLink?: 'lead_id';
  /** Whether rows carry custom fields: `list` then filters and sorts on them
   * (`custom`, `cf.<key>`) and answers each row's values (`custom` on the row). */
  readonly custom?: true;
}

export const crudEntities = {
  leads: {
    table: 'leads',
    fields: leadFields,
    filters: ['status', 'owner_id', 'source', 'campaign_id', 'grade', 'industry', 'city'],
    extraColumns: leadDerivedColumns,
    searchable: true,
    taskLink: 'lead_id',
    custom: true,
  },
  accounts: {
    table: 'accounts',
    fields: accountFields,
    filters: ['owner_id', 'industry', 'city'],
    extraColumns: [],
    searchable: true,
  },
  contacts: {
    table: 'contacts',
    fields: contactFields,
    filters: ['owner_id', 'account_id', 'lead_id'],
    extraColumns: [],
    searchable: true,
  },
  opportunities: {
    table: 'opportunities',
    fields: opportunityFields,
    filters: [
      'owner_id',
      'stage_id',
      'account_id',
      'contact_id',
      'lead_id',
      'source',
      'campaign_id',
      'forecast_category',
    ],
    extraColumns: [...opportunityDerivedColumns, 'stage_id'],
    searchable: true,
  },
  activities: {
    table: 'activities',
    fields: activityFields,
    filters: [
      'kind',
      'owner_id',
      'lead_id',
      'contact_id',
      'account_id',
      'opportunity_id',
      'done_at',
    ],
    extraColumns: [],
    searchable: false,
  },
  stages: {
    table: 'stages',
    fields: stageFields,
    filters: ['kind'],
    extraColumns: [],
    searchable: false,
  },
  users: {
    table: 'users',
    fields: userFields,
    filters: ['role'],
    extraColumns: [],
    searchable: false,
  },
  campaigns: {
    table: 'campaigns',
    fields: campaignFields,
    filters: ['kind', 'owner_id'],
    extraColumns: [],
    searchable: false,
  },
  savedViews: {
    table: 'saved_views',
    fields: savedViewFields,
    filters: ['entity', 'owner_id'],
    extraColumns: [],
    searchable: false,
  },
} as const satisfies Record<string, CrudEntityDef>;
export type CrudEntity = keyof typeof crudEntities;

export interface EntityRows {
  leads: LeadRow;
  accounts: AccountRow;
  contacts: ContactRow;
  opportunities: OpportunityRow;
  activities: ActivityRow;
  stages: StageRow;
  users: UserRow;
  campaigns: CampaignRow;
  savedViews: SavedViewRow;
}

/** Every column a row of the entity carries — the columns `list` may sort on. */
export function entityColumns(def: CrudEntityDef): string[] {
  return ['id', ...systemColumns, ...Object.keys(def.fields.shape), ...def.extraColumns];
}

export function listInputSchema(def: CrudEntityDef) {
  const columns = entityColumns(def) as [string, ...string[]];
  const filterShape = Object.fromEntries(
    def.filters.map((f) => [f, z.array(filterValue).min(1).max(500).optional()]),
  );
  return z.strictObject({
    q: z.string().trim().max(200).optional(),
    filters: z.strictObject(filterShape).optional(),
    created_from: z.int().min(0).optional(),
    created_to: z.int().min(0).optional(),
    deleted: z.enum(['exclude', 'only', 'include']).default('exclude'),
    sort: z
      .strictObject({
        field: def.custom ? z.union([z.enum(columns), customFieldRef]) : z.enum(columns),
        dir: z.enum(['asc', 'desc']).default('asc'),
      })
      .optional(),
    // Rows whose custom field holds one of these values (stored form), by field key.
    ...(def.custom
      ? {
          custom: z
            .record(customFieldKey, z.array(z.string().max(2000)).min(1).max(100))
            .optional(),
          /** Rows whose number or date field lies within a range (either end optional). */
          customRange: z
            .record(
              customFieldKey,
              z.strictObject({
                min: z.union([z.number(), z.iso.date()]).optional(),
                max: z.union([z.number(), z.iso.date()]).optional(),
              }),
            )
            .optional(),
        }
      : {}),
    limit: z.int().min(1).max(1000).default(50),
    offset: z.int().min(0).max(10_000_000).default(0),
    withTotal: z.boolean().default(true),
    // Only where tasks link to the entity: rows with an open task due before this instant
    // (the UI passes the start of the user's local day, as the agenda does).
    ...(def.taskLink ? { overdue_before: z.int().min(0).max(MAX_INSTANT).optional() } : {}),
  });
}
export type ListInput = z.input<ReturnType<typeof listInputSchema>>;
export type ListQuery = z.output<ReturnType<typeof listInputSchema>>;

export interface ListResult<R> {
  rows: R[];
  /** Rows matching the filters, or null when `withTotal` was false. */
  total: number | null;
  offset: number;
  limit: number;
}

export const idInput = z.strictObject({ id: idSchema });
export const updateInput = <F extends z.ZodObject>(fields: F) =>
  z.strictObject({ id: idSchema, patch: fields.partial().strict() });

/** Opportunities are placed on the board by stage; the service picks the rank. */
export const opportunityCreateInput = opportunityFields
  .omit({ stage_position: true })
  .extend({ stage_id: idSchema.optional() });

/** An opportunity created directly (an existing customer, a referral), with a new account
 * and contact when the rep names ones that do not exist yet — one transaction. */
export const createOpportunityInput = z
  .strictObject({
    opportunity: opportunityCreateInput,
    newAccount: accountFields.pick({ name: true }).strict().optional(),
    newContact: contactFields.pick({ name: true, email: true, phone: true }).strict().optional(),
  })
  .refine((v) => !(v.newAccount && v.opportunity.account_id), {
    message: 'choose an account or name a new one, not both',
    path: ['newAccount'],
  })
  .refine((v) => !(v.newContact && v.opportunity.contact_id), {
    message: 'choose a contact or name a new one, not both',
    path: ['newContact'],
  });

type Crud<N extends CrudEntity, CreateIn extends z.ZodType> = {
  [K in `${N}.create`]: ProcDef<CreateIn, EntityRows[N]>;
} & {
  [K in `${N}.update`]: ProcDef<
    ReturnType<typeof updateInput<(typeof crudEntities)[N]['fields']>>,
    EntityRows[N]
  >;
} & {
  [K in `${N}.delete` | `${N}.restore`]: ProcDef<typeof idInput, EntityRows[N]>;
} & { [K in `${N}.get`]: ProcDef<typeof idInput, EntityRows[N]> } & {
  [K in `${N}.list`]: ProcDef<ReturnType<typeof listInputSchema>, ListResult<EntityRows[N]>>;
};

function crud<N extends CrudEntity, CreateIn extends z.ZodType>(
  name: N,
  createInput: CreateIn,
): Crud<N, CreateIn> {
  const def: CrudEntityDef = crudEntities[name];
  return {
    [`${name}.create`]: { input: createInput, kind: 'mutation' },
    [`${name}.update`]: { input: updateInput(def.fields), kind: 'mutation' },
    [`${name}.delete`]: { input: idInput, kind: 'mutation' },
    [`${name}.restore`]: { input: idInput, kind: 'mutation' },
    [`${name}.get`]: { input: idInput, kind: 'query' },
    [`${name}.list`]: { input: listInputSchema(def), kind: 'query' },
  } as Crud<N, CreateIn>;
}

export interface SearchHit {
  entity: 'leads' | 'contacts' | 'accounts' | 'opportunities';
  id: string;
  title: string;
  subtitle: string | null;
}

export const agendaViews = ['today', 'overdue', 'upcoming', 'done'] as const;
export type AgendaView = (typeof agendaViews)[number];
export const agendaInput = z.strictObject({
  view: z.enum(agendaViews),
  /** The user's local day, [day_start, day_end) in epoch ms. */
  day_start: z.int().min(0),
  day_end: z.int().min(0),
  limit: z.int().min(1).max(1000).default(200),
});

/** A lead or contact that looks like the one being captured, and why. */

export interface DuplicateMatch {
  entity: 'leads' | 'contacts';
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  reasons: DuplicateReason[];
}

/** A draft as it is being typed: lenient on purpose (half an email is not an error). */
export const duplicateLookupInput = z.strictObject({
  name: z.string().max(200).optional(),
  company: z.string().max(200).optional(),
  email: z.string().max(254).optional(),
  phone: z.string().max(40).optional(),
  mobile: z.string().max(40).optional(),
  exclude_id: idSchema.optional(),
});

/** Fields a bulk action may set on many leads at once. */
export const leadBulkPatch = leadFields
  .pick({ status: true, owner_id: true, campaign_id: true, source: true, disqualify_reason: true })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'choose at least one field to change');
export const idsInput = z.strictObject({ ids: z.array(idSchema).min(1).max(100_000) });

/** A lead typed in to try rules against: any lead fields, none required. */
const sampleLeadSchema = leadFields.partial();

export interface BulkResult {
  /** Rows changed. */
  changed: number;
  /** Rows left alone: already had the values, or read-only (converted). */
  skipped: number;
}

export interface ExportResult {
  text: string;
  rows: number;
}

/** The predictive model as Settings shows it. */
export interface ModelSummary {
  won: number;
  lost: number;
  /** Whether there is enough history (`minClosed` of each outcome) for probabilities. */
  enough: boolean;
  minClosed: number;
  /** Leads rescored at once; 0 when a big database is rescored in the background. */
  rescored: number;
  /** Whether every lead is being rescored in the background (see scoring.rescoreState). */
  inBackground: boolean;
}

/** What can be exported, and how (F11). */
export const exportableEntities = [
  'leads',
  'opportunities',
  'accounts',
  'contacts',
  'activities',
] as const;
export type ExportEntity = (typeof exportableEntities)[number];
export const exportFormats = ['csv', 'xlsx', 'json'] as const;
export type ExportFileFormat = (typeof exportFormats)[number];
export const csvEncodings = ['utf-8', 'gb18030'] as const;
export type CsvEncoding = (typeof csvEncodings)[number];

/** An exported file, ready to save. */
export interface ExportedFile {
  fileName: string;
  mime: string;
  /** The file's bytes in base64. */
  content: string;
  rows: number;
}

export interface FieldChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
  /** For a link to an account or contact: the names of what it linked to. */
  fromLabel?: string | null;
  toLabel?: string | null;
}

/** One entry of a record's timeline: an activity, or one change to the record's fields. */
export type TimelineItem =
  | { kind: 'activity'; at: number; activity: ActivityRow }
  | {
      kind: 'change';
      at: number;
      hlc: string;
      action: 'created' | 'updated' | 'deleted' | 'restored';
      author_id: string | null;
      author_name: string | null;
      changes: FieldChange[];
    }
  | {
      /** A value typed here met a concurrent one from another laptop (team sync). */
      kind: 'conflict';
      at: number;
      conflict: SyncConflict;
    }
  | {
      /** An opportunity entered a stage (from the append-only stage history). */
      kind: 'stage';
      at: number;
      id: string;
      from_stage_id: string | null;
      to_stage_id: string;
      user_id: string | null;
      user_name: string | null;
      /** The deal's amount at that moment. */
      amount: number | null;
      currency: string | null;
    };

/** What the opportunity panel shows beside the editable row. */
export interface OpportunityDetail {
  opportunity: OpportunityRow;
  stage: StageRow | null;
  /** The probability the deal counts with: the stage's default unless overridden. */
  probability: { value: number; overridden: boolean; stageDefault: number };
  accountName: string | null;
  contactName: string | null;
  /** Time in each stage, in the order the stages were first entered. */
  timeInStage: StageTime[];
}

/** A custom field as the app shows and uses it. */
export interface CustomField {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  position: number;
}

export const customFieldInput = z.strictObject({
  id: idSchema.optional(),
  /** Made from the label when absent. */
  key: customFieldKey.optional(),
  label: reqText(80),
  type: z.enum(customFieldTypes),
  options: z.array(z.string().trim().min(1).max(80)).max(200).optional(),
  position: z.int().min(0).max(10_000).optional(),
});

/** A group of leads that look like one person, for the merge screen. */
export interface DuplicateGroupView {
  reasons: DuplicateReason[];
  confidence: number;
  /** Identifying fields the leads both have that disagree (two emails, two names): why
   * this group is only a possible duplicate. */
  differs: ('name' | 'email' | 'phone' | 'company')[];
  /** Oldest first. */
  leads: LeadRow[];
}

/** Fields the merge screen lets the user pick per group. */
export const mergeableLeadFields = leadFields
  .pick({
    name: true,
    family_name: true,
    given_name: true,
    company: true,
    title: true,
    email: true,
    phone: true,
    mobile: true,
    wechat: true,
    website: true,
    industry: true,
    city: true,
    region: true,
    country: true,
    address: true,
    source: true,
    campaign_id: true,
    owner_id: true,
    status: true,
    budget: true,
    authority: true,
    need: true,
    timeline: true,
    notes: true,
    next_step: true,
    next_step_date: true,
    tags: true,
    disqualify_reason: true,
  })
  .partial()
  .strict();

/** Lead fields read from pasted text (a vCard, a WeChat card, a signature). */
export interface ContactDraft {
  name?: string;
  family_name?: string;
  given_name?: string;
  company?: string;
  title?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  wechat?: string;
  website?: string;
  address?: string;
  /** What a scanned badge held that is not a contact (a URL, an attendee number). */
  notes?: string;
}

/** A business card's photo read on this laptop: the fields found (as pasted text would
 * fill them), how sure the reading of each is (0–1), and the card's text in reading order. */
export interface CardReading {
  draft: ContactDraft;
  confidence: Partial<Record<Exclude<keyof ContactDraft, 'family_name' | 'given_name'>, number>>;
  text: string;
}

/** The photo of the business card a lead was read from (kept on the laptop that scanned
 * it): a JPEG without metadata, base64. */
export interface CardPhoto {
  mime: string;
  image: string;
  width: number;
  height: number;
  takenAt: number;
}

/** Preferences of this device (not synced): who is using it and the booth's event. */
export interface DeviceSettings {
  currentUserId: string | null;
  currentEventId: string | null;
}
export const deviceSettingsPatch = z.strictObject({
  currentUserId: idSchema.nullable().optional(),
  currentEventId: idSchema.nullable().optional(),
});

export interface AppStatus {
  version: string;
  /** True until the user has chosen "start empty" or loaded demo data on a new database. */
  needsWelcome: boolean;
  counts: { leads: number; opportunities: number; accounts: number; contacts: number };
  dbPath: string;
  nodeId: string;
}

export interface DemoResult {
  users: number;
  campaigns: number;
  leads: number;
  accounts: number;
  contacts: number;
  opportunities: number;
  activities: number;
}

export const demoInput = z.strictObject({
  leads: z.int().min(0).max(200_000).default(1000),
  locale: z.enum(locales).default('zh-CN'),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
});

export const procedures = {
  ...crud('leads', leadFields),
  ...crud('accounts', accountFields),
  ...crud('contacts', contactFields),
  ...crud('opportunities', opportunityCreateInput),
  ...crud('activities', activityFields),
  ...crud('stages', stageFields),
  ...crud('users', userFields),
  ...crud('campaigns', campaignFields),
  ...crud('savedViews', savedViewFields),
  'leads.bulkUpdate': proc<BulkResult>().mutation(
    z.strictObject({ ids: idsInput.shape.ids, patch: leadBulkPatch }),
  ),
  'leads.bulkDelete': proc<BulkResult>().mutation(idsInput),
  'leads.bulkRestore': proc<BulkResult>().mutation(idsInput),
  'leads.export': proc<ExportResult>().query(
    z.strictObject({
      ids: idsInput.shape.ids.optional(),
      format: z.enum(['csv', 'json']).default('csv'),
    }),
  ),
  'leads.timeline': proc<TimelineItem[]>().query(idInput),
  'scoring.getConfig': proc<ScoringConfig>().query(z.strictObject({})),
  'leads.score': proc<ScoreBreakdown | null>().query(idInput),
  'scoring.updateConfig': proc<ScoringConfig>().mutation(scoringConfigSchema),
  'scoring.rebuildModel': proc<ModelSummary>().mutation(z.strictObject({})),
  /** The score a sample lead would get under a configuration not saved yet. */
  'scoring.test': proc<ScoreBreakdown>().query(
    z.strictObject({ config: scoringConfigSchema, lead: sampleLeadSchema }),
  ),
  /** The predictive model trained on the older 80% of closed leads, tested on the rest. */
  'scoring.report': proc<ModelReport>().query(z.strictObject({})),
  /** Progress of rescoring every lead in the background. */
  'scoring.rescoreState': proc<RescoreState>().query(z.strictObject({})),
  /** Whether the search index is being rebuilt in the background (after an upgrade). */
  'search.indexState': proc<SearchIndexState>().query(z.strictObject({})),
  'assignment.getConfig': proc<AssignmentConfig>().query(z.strictObject({})),
  'assignment.updateConfig': proc<AssignmentConfig>().mutation(assignmentConfigSchema),
  /** Which rule would take a sample lead, and who would get it (nothing is written). */
  'assignment.test': proc<AssignmentTrial>().query(
    z.strictObject({ config: assignmentConfigSchema, lead: sampleLeadSchema }),
  ),
  /** What an existing account and contact a lead matches, for the convert dialog. */
  'leads.conversionCandidates': proc<ConversionCandidates>().query(idInput),
  /** Converts a lead into an opportunity (one transaction). */
  'leads.convert': proc<ConversionResult>().mutation(convertInput),
  /** Saves the whole list of pipeline stages, in order. */
  'stages.saveAll': proc<StageRow[]>().mutation(stagesInputSchema),
  /** Removes a stage, moving the opportunities it holds to `moveTo` first. */
  'stages.remove': proc<{ moved: number }>().mutation(removeStageInput),
  /** The board: every stage's cards (filtered), counts and totals. */
  'opportunities.board': proc<BoardColumn[]>().query(boardInput),
  /** Moves a card to a stage, between two neighbours. */
  'opportunities.move': proc<OpportunityRow>().mutation(moveInput),
  /** Applies the assignment rules again to the chosen leads. */
  'leads.reassign': proc<ReassignResult>().mutation(idsInput),
  'data.export': proc<ExportedFile>().query(
    z.strictObject({
      entity: z.enum(exportableEntities),
      format: z.enum(exportFormats).default('csv'),
      encoding: z.enum(csvEncodings).default('utf-8'),
      /** A list's filters, search and sort (as for `<entity>.list`, without paging): the
       * rows of that list, in its order. Everything when absent. */
      list: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  'leads.duplicateGroups': proc<DuplicateGroupView[]>().query(
    z.strictObject({ limit: z.int().min(1).max(500).default(100) }),
  ),
  'leads.merge': proc<{ mergeId: string; survivor: LeadRow }>().mutation(
    z.strictObject({
      survivorId: idSchema,
      otherIds: z.array(idSchema).min(1).max(50),
      values: mergeableLeadFields,
    }),
  ),
  'leads.unmerge': proc<{ restored: number }>().mutation(idInput),
  'customFields.list': proc<CustomField[]>().query(z.strictObject({})),
  'customFields.save': proc<CustomField>().mutation(customFieldInput),
  'customFields.delete': proc<{ deleted: boolean }>().mutation(idInput),
  /** A lead's custom values by field key. */
  'leads.customValues': proc<Record<string, string>>().query(idInput),
  /** Sets (null or '' clears) a lead's custom values by field key, as typed. */
  'leads.setCustom': proc<Record<string, string>>().mutation(
    z.strictObject({
      id: idSchema,
      values: z.record(customFieldKey, z.string().max(2000).nullable()),
    }),
  ),
  /** "Different people": the pairs among these leads are never offered as duplicates again. */
  'leads.dismissDuplicates': proc<{ dismissed: number }>().mutation(
    z.strictObject({ ids: z.array(idSchema).min(2).max(50) }),
  ),
  'leads.parseText': proc<ContactDraft>().query(
    z.strictObject({
      text: z.string().max(20_000),
      /** Pasted text, or the payload of a badge QR code read by the camera. */
      from: z.enum(['paste', 'badge']).default('paste'),
    }),
  ),
  /** A business card's photo (JPEG, PNG, WebP, HEIC …, base64, up to 20 MB) read offline. */
  'leads.readCard': proc<CardReading>().mutation(
    z.strictObject({ image: z.string().min(1).max(28_000_000) }),
  ),
  /** Keeps a card's photo with the lead read from it (replacing one it had). */
  'leads.setCardPhoto': proc<Omit<CardPhoto, 'image'>>().mutation(
    z.strictObject({ id: idSchema, image: z.string().min(1).max(28_000_000) }),
  ),
  'leads.cardPhoto': proc<CardPhoto | null>().query(idInput),
  'imports.preview': proc<ImportPreview>().query(importInput),
  'imports.run': proc<ImportReport>().mutation(importInput),
  'imports.list': proc<ImportBatchSummary[]>().query(z.strictObject({})),
  'imports.start': proc<ImportJobState>().mutation(importJobInput),
  /** A chunk of a file too big for one call; `imports.start` then names the upload. */
  'imports.upload': proc<{ id: string; bytes: number }>().mutation(importUploadInput),
  'imports.job': proc<ImportJobState>().query(idInput),
  'imports.cancel': proc<ImportJobState>().mutation(idInput),
  'imports.undo': proc<{ deleted: number; restored: number }>().mutation(idInput),
  /** The rows of an import that were warned about or rejected, as a CSV to fix. */
  'imports.problems': proc<{ fileName: string; text: string }>().query(idInput),
  'device.get': proc<DeviceSettings>().query(z.strictObject({})),
  'device.update': proc<DeviceSettings>().mutation(deviceSettingsPatch),
  'opportunities.history': proc<StageHistoryRow[]>().query(idInput),
  /** Stage changes, activities and field changes, newest first. */
  'opportunities.timeline': proc<TimelineItem[]>().query(idInput),
  'opportunities.detail': proc<OpportunityDetail>().query(idInput),
  'opportunities.createDirect': proc<OpportunityRow>().mutation(createOpportunityInput),
  'reports.funnel': proc<FunnelReport>().query(reportInput),
  'reports.sources': proc<SourcesReport>().query(reportInput),
  'reports.winRates': proc<WinRatesReport>().query(reportInput),
  'reports.cycle': proc<CycleReport>().query(reportInput),
  'reports.repActivity': proc<RepActivityRow[]>().query(reportInput),
  'reports.forecast': proc<ForecastReport>().query(forecastInput),
  'reports.dashboard': proc<DashboardReport>().query(dashboardInput),
  'targets.list': proc<TargetRow[]>().query(listTargetsInput),
  'targets.set': proc<TargetRow | null>().mutation(setTargetInput),
  'leads.duplicates': proc<DuplicateMatch[]>().query(duplicateLookupInput),
  'activities.agenda': proc<ActivityRow[]>().query(agendaInput),
  'activities.snooze': proc<ActivityRow>().mutation(
    z.strictObject({ id: idSchema, days: z.int().min(1).max(365).default(1) }),
  ),
  'search.all': proc<SearchHit[]>().query(
    z.strictObject({
      q: z.string().trim().min(1).max(200),
      limit: z.int().min(1).max(100).default(20),
    }),
  ),
  'settings.get': proc<TeamSettings>().query(z.strictObject({})),
  'settings.update': proc<TeamSettings>().mutation(teamSettingsPatchSchema.strict()),
  'sync.status': proc<SyncStatus>().query(z.strictObject({})),
  'sync.connect': proc<SyncStatus>().mutation(syncConnectInput),
  'sync.disconnect': proc<SyncStatus>().mutation(
    z.strictObject({ peerId: z.string().max(100).optional() }),
  ),
  'sync.join': proc<SyncStatus>().mutation(
    z.strictObject({
      link: z.string().trim().min(1, 'paste the invite link').max(2000),
      /** Who uses this laptop, when no team member was chosen here yet. */
      name: z.string().trim().min(1).max(120).optional(),
    }),
  ),
  'sync.invite': proc<TeamInvite>().mutation(
    inviteRequestSchema.extend({ peerId: z.string().max(100).optional() }),
  ),
  'sync.devices': proc<TeamDevice[]>().query(
    z.strictObject({ peerId: z.string().max(100).optional() }),
  ),
  'sync.forms': proc<FormKeyView[]>().query(
    z.strictObject({ peerId: z.string().max(100).optional() }),
  ),
  'sync.createForm': proc<FormKeyView>().mutation(
    formKeyInput.extend({ peerId: z.string().max(100).optional() }),
  ),
  'sync.revokeForm': proc<FormKeyView[]>().mutation(
    z.strictObject({ key: z.string().min(1).max(100), peerId: z.string().max(100).optional() }),
  ),
  'sync.conflicts': proc<SyncConflict[]>().query(z.strictObject({})),
  'sync.resolveConflict': proc<SyncConflict>().mutation(resolveConflictInput),
  'sync.fileStatus': proc<FileSyncStatus>().query(z.strictObject({})),
  'sync.fileExport': proc<ExportedFile>().mutation(
    z.strictObject({ everything: z.boolean().default(false) }),
  ),
  'sync.fileImport': proc<SyncFileImport>().mutation(
    z.strictObject({ content: z.base64().max(Math.ceil((128 * 1024 * 1024 * 4) / 3) + 4) }),
  ),
  'sync.filePairLink': proc<{ link: string }>().query(z.strictObject({})),
  'hub.status': proc<HubStatus>().query(z.strictObject({})),
  'hub.start': proc<HubStatus>().mutation(hubStartInput),
  'hub.stop': proc<HubStatus>().mutation(z.strictObject({})),
  'hub.invite': proc<TeamInvite>().mutation(inviteRequestSchema),
  'hub.devices': proc<TeamDevice[]>().query(z.strictObject({})),
  'hub.revoke': proc<TeamDevice[]>().mutation(
    z.strictObject({ deviceId: z.string().min(1).max(100) }),
  ),
  'sync.revoke': proc<TeamDevice[]>().mutation(
    z.strictObject({
      deviceId: z.string().min(1).max(100),
      peerId: z.string().max(100).optional(),
    }),
  ),
  'sync.now': proc<SyncOutcome>().mutation(z.strictObject({})),
  'app.status': proc<AppStatus>().query(z.strictObject({})),
  'app.startEmpty': proc<AppStatus>().mutation(z.strictObject({})),
  'app.loadDemo': proc<DemoResult>().mutation(demoInput),
  'workspace.status': proc<WorkspaceStatus>().query(z.strictObject({})),
  'workspace.unlock': proc<WorkspaceStatus>().mutation(recoveryKeyInput),
  /** Encrypts a plain workspace: a backup first, then an encrypted copy, checked, swapped
   * in. Answers the recovery key, shown once. */
  'workspace.encrypt': proc<{ recoveryKey: string | null }>().mutation(z.strictObject({})),
  'workspace.recoveryKey': proc<{ recoveryKey: string | null }>().mutation(z.strictObject({})),
  'backups.list': proc<BackupList>().query(z.strictObject({})),
  'backups.create': proc<BackupInfo>().mutation(z.strictObject({})),
  'backups.preview': proc<BackupPreview>().query(z.strictObject({ name: backupNameSchema })),
  /** Replaces the workspace with a backup; the current file is backed up first. */
  'backups.restore': proc<WorkspaceStatus>().mutation(z.strictObject({ name: backupNameSchema })),
  'backups.setFolder': proc<BackupList>().mutation(
    z.strictObject({ folder: z.string().trim().min(1).max(1000).nullable() }),
  ),
} as const;

export type Procedures = typeof procedures;
export type ProcName = keyof Procedures;
export type ProcInput<P extends ProcName> = z.input<Procedures[P]['input']>;
export type ProcParsedInput<P extends ProcName> = z.output<Procedures[P]['input']>;
export type ProcOutput<P extends ProcName> =
  Procedures[P] extends ProcDef<z.ZodType, infer O> ? O : never;

export function isProcName(name: string): name is ProcName {
  return Object.prototype.hasOwnProperty.call(procedures, name);
}

/** Tells clients which tables changed so views can refresh. */
export interface ChangeEvent {
  type: 'changed';
  tables: SyncedTable[];
  /** 'local' for writes made here, 'sync' for changes merged from another device. */
  origin: 'local' | 'sync';
}

/** A menu item or global shortcut in the desktop shell asking the page to act. */
export interface CommandEvent {
  type: 'command';
  command: 'new-lead' | 'search';
}

/** The team-sync status changed (the frame's status and Settings › Team sync). */
export interface SyncEvent {
  type: 'sync';
  status: SyncStatus;
}

/** An invite link opened the desktop app: Settings › Team sync shows it to confirm. */
export interface JoinLinkEvent {
  type: 'join-link';
  link: string;
}

/** The workspace was unlocked, restored, encrypted, or found damaged: the page reloads
 * its state from scratch. */
export interface WorkspaceEvent {
  type: 'workspace';
  status: WorkspaceStatus;
}

export type AppEvent = ChangeEvent | CommandEvent | SyncEvent | JoinLinkEvent | WorkspaceEvent;

/** The whole surface a client sees, in both shells. */
export interface LeadbookApi {
  call<P extends ProcName>(name: P, input: ProcInput<P>): Promise<ProcOutput<P>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}
